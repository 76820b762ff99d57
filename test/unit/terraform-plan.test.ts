// The plan reader (src/terraform/) piece by piece: what is a plan, what remains after apply, what
// is unknown until apply, how references link resources, where the region comes from, and how the
// bucket and the IAM user are chosen. The check tables (test/checks/ghes-s3-plan/) and the
// end-to-end runs (test/e2e/terraform-plan.test.ts) cover the same code through the checks.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'vitest';
import { UsageError } from '../../src/config/usage-error.ts';
import { cannedAclGrants, PLAN_OWNER_ID } from '../../src/terraform/plan-bucket.ts';
import { toPlanJson } from '../../src/terraform/plan-file.ts';
import { PlanIndex } from '../../src/terraform/plan-index.ts';
import { PLAN_ACCOUNT_UNKNOWN } from '../../src/terraform/plan-principal.ts';
import { selectPlanTarget } from '../../src/terraform/plan-target.ts';
import { BUCKET, bucketRow, GHES_USER_POLICY, planOf, policy, subRow, userRows } from '../checks/ghes-s3-plan/plan-builder.ts';

const REAL = new URL('../fixtures/terraform/real/', import.meta.url).pathname;
const real = (name: string) => toPlanJson(JSON.parse(readFileSync(`${REAL}${name}`, 'utf8')), name);
const usage = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof UsageError && pattern.test(e.message) && !e.message.includes('\n'));

describe('what is a plan', () => {
  test('format_version 0.x and 1.x are read; 2.x, states, reports and policies are refused with what they are', () => {
    assert.equal(toPlanJson({ format_version: '0.1', resource_changes: [] }, 'p').format_version, '0.1');
    assert.equal(toPlanJson({ format_version: '1.2', planned_values: {} }, 'p').format_version, '1.2');
    usage(() => toPlanJson({ format_version: '2.0', resource_changes: [] }, 'p'), /format_version "2\.0" is not one this tool reads/);
    usage(() => toPlanJson({ format_version: '1.0', values: {} }, 'p'), /the JSON of a state, not of a plan/);
    usage(() => toPlanJson({ schemaVersion: 3, targets: [] }, 'p'), /a packages-preflight report/);
    usage(() => toPlanJson({ Version: '2012-10-17', Statement: [] }, 'p'), /an IAM policy document/);
    usage(() => toPlanJson([1, 2], 'p'), /not a JSON object/);
    usage(() => toPlanJson({ format_version: '1.2', resource_changes: [{ address: 'a.b' }] }, 'p'), /resource_changes\.0\.mode/);
  });

  test('unknown properties of newer minor versions are ignored', () => {
    const plan = toPlanJson({ format_version: '1.9', resource_changes: [], checks: [{ x: 1 }], applyable: true, complete: true }, 'p');
    assert.deepEqual(plan.resource_changes, []);
  });
});

describe('what remains after apply', () => {
  const index = new PlanIndex(
    toPlanJson(
      planOf([
        bucketRow(),
        { address: 'aws_s3_bucket.gone', values: { bucket: 'gone' }, actions: ['delete'] },
        { address: 'aws_s3_bucket.replaced', values: { bucket: 'replaced' }, actions: ['delete', 'create'] },
        subRow('aws_s3_bucket_policy.packages', { policy: 'x' }, { policy: true }),
        { address: 'aws_s3_bucket_versioning.packages', values: { versioning_configuration: [{ status: 'Enabled' }] }, unknown: { versioning_configuration: [{ status: true }] } },
      ]),
      'p',
    ),
  );

  test('destroyed resources are absent; replaced ones stay', () => {
    assert.deepEqual(index.ofType('aws_s3_bucket').map((r) => r.address), ['aws_s3_bucket.packages', 'aws_s3_bucket.replaced']);
  });

  test('after_unknown: a leaf, a parent that is unknown as a whole, and the leaves under a block', () => {
    const policyResource = index.get('aws_s3_bucket_policy.packages')!;
    assert.equal(index.unknownAt(policyResource, ['policy']), 'aws_s3_bucket_policy.packages.policy');
    assert.equal(index.unknownAt(policyResource, ['policy', 0, 'Statement']), 'aws_s3_bucket_policy.packages.policy.0.Statement');
    assert.equal(index.unknownAt(index.get('aws_s3_bucket.packages')!, ['bucket']), undefined);
    const versioning = index.get('aws_s3_bucket_versioning.packages')!;
    assert.equal(index.unknownAt(versioning, ['versioning_configuration']), undefined);
    assert.deepEqual(index.unknownUnder(versioning, ['versioning_configuration']), ['aws_s3_bucket_versioning.packages.versioning_configuration.0.status']);
  });
});

describe('references and the region', () => {
  test('count instances: a reference with an index links that instance; without one, the instance with the same key', () => {
    const index = new PlanIndex(
      toPlanJson(
        planOf([
          bucketRow({ bucket: 'a' }, 'aws_s3_bucket.this[0]'),
          bucketRow({ bucket: 'b' }, 'aws_s3_bucket.this[1]'),
          { address: 'aws_s3_bucket_policy.fixed', values: {}, unknown: { bucket: true }, refs: { bucket: ['aws_s3_bucket.this[1].id', 'aws_s3_bucket.this[1]', 'aws_s3_bucket.this'] } },
          { address: 'aws_s3_bucket_policy.each[0]', values: {}, unknown: { bucket: true }, refs: { bucket: ['aws_s3_bucket.this', 'count.index'] } },
        ]),
        'p',
      ),
    );
    assert.deepEqual(index.resolve(index.get('aws_s3_bucket_policy.fixed')!, 'bucket').resources.map((r) => r.address), ['aws_s3_bucket.this[1]']);
    const each = index.resolve(index.get('aws_s3_bucket_policy.each[0]')!, 'bucket');
    assert.deepEqual(each.resources.map((r) => r.address), ['aws_s3_bucket.this[0]']);
    assert.deepEqual(each.unresolved, ['count.index']);
  });

  test('a module variable is followed to the caller\'s expression, a root variable to its value', () => {
    const index = new PlanIndex(
      toPlanJson(
        planOf([bucketRow(), { address: 'module.guard.aws_s3_bucket_public_access_block.this', values: {}, unknown: { bucket: true }, refs: { bucket: ['var.bucket'] } }, { address: 'aws_s3_bucket_policy.named', values: {}, unknown: { bucket: true }, refs: { bucket: ['var.name'] } }], {
          moduleCalls: { guard: { bucket: { references: ['aws_s3_bucket.packages.id', 'aws_s3_bucket.packages'] } } },
          variables: { name: BUCKET },
        }),
        'p',
      ),
    );
    assert.deepEqual(index.resolve(index.get('module.guard.aws_s3_bucket_public_access_block.this')!, 'bucket').resources.map((r) => r.address), ['aws_s3_bucket.packages']);
    assert.deepEqual(index.resolve(index.get('aws_s3_bucket_policy.named')!, 'bucket').constants, [BUCKET]);
  });

  test('region: the provider constant, a root variable, the inherited root provider of a module, nothing', () => {
    const region = (plan: ReturnType<typeof planOf>, address = 'aws_s3_bucket.packages') => {
      const index = new PlanIndex(toPlanJson(plan, 'p'));
      return index.region(index.get(address)!);
    };
    assert.equal(region(planOf([bucketRow()], { region: 'eu-west-1' })).region, 'eu-west-1');
    assert.equal(region(planOf([bucketRow()], { regionReference: 'var.region', variables: { region: 'ap-south-1' } })).region, 'ap-south-1');
    assert.match(region(planOf([bucketRow()], { regionReference: 'local.region' })).from ?? '', /not resolvable from the plan/);
    assert.deepEqual(region(planOf([bucketRow()])), {});
    // checkov's modules_edges: resources in module.test.module.s3-bucket-2 use "s3-bucket-2:aws", declared without a region.
    const edges = new PlanIndex(real('checkov-modules-edges.json'));
    assert.equal(edges.region(edges.get('module.test.module.s3-bucket-2.aws_s3_bucket.this[0]')!).region, 'eu-central-1');
  });

  test('the bucket\'s own planned region (provider v6 argument, or an existing bucket) wins over the provider', () => {
    const target = selectPlanTarget(toPlanJson(planOf([{ address: 'aws_s3_bucket.packages', values: { bucket: BUCKET, region: 'eu-north-1' }, actions: ['no-op'] }], { region: 'us-west-2' }), 'p'), {});
    assert.deepEqual(target.bucket.region(), { state: 'known', value: 'eu-north-1', from: ['aws_s3_bucket.packages.region'] });
  });
});

describe('the bucket and the user', () => {
  test('a bucket named only after apply (bucket_prefix) is chosen by address and named by it', () => {
    const target = selectPlanTarget(toPlanJson(planOf([{ address: 'aws_s3_bucket.packages', values: { bucket_prefix: 'ghes-' }, unknown: { bucket: true, id: true } }]), 'p'), { bucketAddress: 'aws_s3_bucket.packages' });
    assert.equal(target.bucketName, 'aws_s3_bucket.packages');
  });

  test('--principal-arn matches a user of the plan by name and path; its account is the ARN\'s', async () => {
    const plan = toPlanJson(planOf([bucketRow(), { ...userRows()[0], values: { name: 'ghes-packages', path: '/ghes/' } }, userRows()[1]]), 'p');
    const target = selectPlanTarget(plan, { principalArn: 'arn:aws:iam::111122223333:user/ghes/ghes-packages' });
    assert.ok(!('unavailable' in target.principal));
    assert.deepEqual(target.principal.principal(), { state: 'known', value: { arn: 'arn:aws:iam::111122223333:user/ghes/ghes-packages', kind: 'user', name: 'ghes-packages', accountId: '111122223333' }, from: ['aws_iam_user.ghes'] });
    const otherPath = selectPlanTarget(plan, { principalArn: 'arn:aws:iam::111122223333:user/ghes-packages' });
    assert.match((otherPath.principal as { unavailable: string }).unavailable, /holds no aws_iam_user named ghes-packages \(path \/\)/);
    const role = selectPlanTarget(plan, { principalArn: 'arn:aws:iam::111122223333:role/ghes' });
    assert.match((role.principal as { unavailable: string }).unavailable, /names a role/);
  });

  test('without an ARN or allowed_account_ids the account is a stand-in, named as such', () => {
    const target = selectPlanTarget(toPlanJson(planOf([bucketRow(), ...userRows()]), 'p'), { userAddress: 'aws_iam_user.ghes' });
    assert.ok(!('unavailable' in target.principal));
    assert.equal(target.principal.account().id, PLAN_ACCOUNT_UNKNOWN);
    assert.match(target.principal.account().from, /known only after apply/);
  });

  test('policies through aws_iam_group_membership and aws_iam_policy_attachment; an AWS-managed boundary is named as not evaluated', () => {
    const rows = [
      bucketRow(),
      ...userRows(null),
      { address: 'aws_iam_group.devs', values: { name: 'devs', path: '/' }, unknown: { arn: true } },
      { address: 'aws_iam_group_membership.devs', values: { name: 'devs', group: 'devs', users: ['ghes-packages'] }, unknown: { id: true } },
      { address: 'aws_iam_group_policy.devs', values: { name: 'inline', group: 'devs', policy: GHES_USER_POLICY }, unknown: { id: true } },
      { address: 'aws_iam_policy.extra', values: { name: 'extra', policy: policy([{ Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: '*' }]) }, unknown: { arn: true } },
      { address: 'aws_iam_policy_attachment.extra', values: { name: 'extra', users: ['ghes-packages'], groups: [], roles: [] }, unknown: { id: true, policy_arn: true }, refs: { policy_arn: ['aws_iam_policy.extra.arn', 'aws_iam_policy.extra'] } },
    ];
    const target = selectPlanTarget(toPlanJson(planOf(rows), 'p'), { userAddress: 'aws_iam_user.ghes' });
    assert.ok(!('unavailable' in target.principal));
    const policies = target.principal.policies();
    assert.equal(policies.state, 'known');
    assert.deepEqual(policies.state === 'known' && policies.value.identity.map((p) => `${p.kind}:${p.name}${p.group ? `@${p.group}` : ''}`), ['group-inline:inline@devs', 'user-managed:aws_iam_policy.extra.arn']);

    const bounded = selectPlanTarget(toPlanJson(planOf([bucketRow(), { ...userRows()[0], values: { name: 'ghes-packages', path: '/', permissions_boundary: 'arn:aws:iam::aws:policy/PowerUserAccess' } }, userRows()[1]]), 'p'), { userAddress: 'aws_iam_user.ghes' });
    assert.ok(!('unavailable' in bounded.principal));
    const f = bounded.principal.policies();
    assert.equal(f.state, 'unavailable');
    assert.match(f.state === 'unavailable' ? f.reason : '', /arn:aws:iam::aws:policy\/PowerUserAccess \(AWS-managed\)/);
  });
});

describe('bucket settings from the plan', () => {
  test('canned ACLs are the grants S3 documents; unknown names are not guessed', () => {
    assert.deepEqual(cannedAclGrants('private'), [{ grantee: { type: 'CanonicalUser', id: PLAN_OWNER_ID }, permission: 'FULL_CONTROL' }]);
    assert.deepEqual(cannedAclGrants('public-read-write')?.slice(1).map((g) => g.permission), ['READ', 'WRITE']);
    assert.equal(cannedAclGrants('authenticated-read')?.[1].grantee.uri, 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers');
    assert.equal(cannedAclGrants('log-delivery-write')?.length, 3);
    assert.equal(cannedAclGrants('public-everything'), undefined);
  });

  test('an existing bucket: a setting the plan does not manage is not available, the inline value read back is used', () => {
    const existing = { address: 'aws_s3_bucket.packages', values: { bucket: BUCKET, versioning: [{ enabled: false, mfa_delete: false }] }, actions: ['no-op'] };
    const target = selectPlanTarget(toPlanJson(planOf([existing]), 'p'), {});
    assert.deepEqual(target.bucket.versioning(), { state: 'known', value: { status: 'Suspended' }, from: ['aws_s3_bucket.packages.versioning'] });
    assert.equal(target.bucket.publicAccessBlock().state, 'unavailable');
    assert.equal(target.bucket.ownership().state, 'unavailable');
  });

  test('two resources of one kind for one bucket: which wins is not decided', () => {
    const target = selectPlanTarget(toPlanJson(planOf([bucketRow(), subRow('aws_s3_bucket_policy.a', { policy: '{}' }), subRow('aws_s3_bucket_policy.b', { policy: '{}' })]), 'p'), {});
    const f = target.bucket.policy();
    assert.equal(f.state, 'unknown');
    assert.match(f.state === 'unknown' ? f.paths.join() : '', /2 aws_s3_bucket_policy resources for one bucket/);
  });

  test('a real plan: the public-read-write ACL of terraform-aws-modules/s3-bucket with count', () => {
    const target = selectPlanTarget(real('checkov-nested-child-modules.json'), { bucketAddress: 'module.s3_bucket.aws_s3_bucket.this[0]' });
    const acl = target.bucket.acl();
    assert.equal(acl.state, 'known');
    assert.deepEqual(acl.state === 'known' && acl.value.grants.map((g) => `${g.grantee.uri ?? g.grantee.id}:${g.permission}`), [`${PLAN_OWNER_ID}:FULL_CONTROL`, 'http://acs.amazonaws.com/groups/global/AllUsers:READ', 'http://acs.amazonaws.com/groups/global/AllUsers:WRITE']);
    assert.deepEqual(acl.state === 'known' && acl.from, ['module.s3_bucket.aws_s3_bucket_acl.this[0].acl']);
  });
});
