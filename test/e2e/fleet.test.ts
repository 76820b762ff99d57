// Fleet mode end to end: the built CLI against the emulator with twelve targets in three simulated
// accounts and seven credential sources (the env key of an auditor, profiles holding the access keys
// of IAM users in two accounts, a role assumed into a third account with an external id, and a
// profile that does not exist). Mixed verdicts; the target whose credentials fail is incomplete while
// the others complete; facts the same for several targets are fetched once; shards merged equal
// the unsharded run; `report --from` re-renders byte-identical JUnit, Markdown and HTML.
// moto: an access key belongs to the account its user was created in, and AssumeRole into
// arn:aws:iam::ACCOUNT:role/... hands out credentials of that account (the role need not exist).

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { stringify as toYaml } from 'yaml';
import type { Report, TargetReport } from '../../src/report/report.ts';
import { type Moto, sdkConfig, startMoto } from '../harness/moto.ts';
import { startFaultProxy } from '../harness/fault-proxy.ts';
import { ghesUserPolicy, objectActionsOnBucketArnPolicy } from '../harness/scenarios.ts';
import { type CliRun, runCli } from './cli.ts';

const A = '123456789012';
const B = '111111111111';
const C = '222222222222';
const AUDITOR_ROLE = `arn:aws:iam::${C}:role/preflight-auditor`;

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** SDK clients acting in one emulated account. */
function clients(endpoint: string, credentials: Creds, region = 'us-east-1') {
  const base = { ...sdkConfig(endpoint), credentials, region };
  return { s3: new S3Client(base), iam: new IAMClient(base) };
}

/** Temporary credentials in `account` (moto: AssumeRole switches accounts). */
async function accountCredentials(endpoint: string, account: string, role = 'fleet-seed'): Promise<Creds> {
  const sts = new STSClient(sdkConfig(endpoint));
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${role}`, RoleSessionName: 'seed' }));
  sts.destroy();
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
}

interface BucketSpec {
  bucket: string;
  region: string;
  /** private + TLS-only + SSE-S3 + versioned: what a compliant Packages bucket looks like. */
  hardened?: boolean;
  publicReadAcl?: boolean;
}

async function seedBucket(endpoint: string, creds: Creds, b: BucketSpec): Promise<void> {
  const { s3, iam } = clients(endpoint, creds, b.region);
  iam.destroy();
  const location = b.region === 'us-east-1' ? undefined : { LocationConstraint: b.region as BucketLocationConstraint };
  await s3.send(new CreateBucketCommand({ Bucket: b.bucket, CreateBucketConfiguration: location }));
  if (b.hardened) {
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: b.bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: b.bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
    const tlsOnly = { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${b.bucket}`, `arn:aws:s3:::${b.bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    await s3.send(new PutBucketPolicyCommand({ Bucket: b.bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [tlsOnly] }) }));
    await s3.send(new PutBucketEncryptionCommand({ Bucket: b.bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: b.bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  if (b.publicReadAcl) await s3.send(new PutBucketAclCommand({ Bucket: b.bucket, ACL: 'public-read' }));
  s3.destroy();
}

/** An IAM user with inline policies; returns its ARN and a fresh access key. */
async function seedUser(endpoint: string, creds: Creds, name: string, policies: Record<string, object>) {
  const { s3, iam } = clients(endpoint, creds);
  s3.destroy();
  const user = await iam.send(new CreateUserCommand({ UserName: name }));
  for (const [policyName, doc] of Object.entries(policies)) {
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: policyName, PolicyDocument: JSON.stringify(doc) }));
  }
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  iam.destroy();
  return { arn: user.User!.Arn!, accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
}

const ghesPolicy = (buckets: string[]) => ({
  Version: '2012-10-17',
  Statement: (ghesUserPolicy('BUCKET') as { Statement: Array<{ Resource: string }> }).Statement.map((s) => ({
    ...s,
    Resource: buckets.map((b) => s.Resource.replace('BUCKET', b)),
  })),
});

const US_WEST_2 = 'https://s3.us-west-2.amazonaws.com';
const US_EAST_1 = 'https://s3.us-east-1.amazonaws.com';

interface Fleet {
  dir: string;
  file: string;
  env: Record<string, string>;
  secrets: string[];
}

/** Seeds three accounts and writes the fleet file and a credentials file with the users' keys. */
async function seedFleet(endpoint: string): Promise<Fleet> {
  const envKey: Creds = sdkConfig(endpoint).credentials;
  const inB = await accountCredentials(endpoint, B);
  const inC = await accountCredentials(endpoint, C);
  const buckets: Array<[Creds, BucketSpec]> = [
    [envKey, { bucket: 'fleet-a-good-1', region: 'us-west-2', hardened: true }],
    [envKey, { bucket: 'fleet-a-good-2', region: 'us-west-2', hardened: true }],
    [envKey, { bucket: 'fleet-a-good-3', region: 'us-east-1', hardened: true }],
    [envKey, { bucket: 'fleet-a-demo', region: 'us-west-2', publicReadAcl: true }],
    [envKey, { bucket: 'fleet-a-own', region: 'us-east-1', hardened: true }],
    [envKey, { bucket: 'fleet-actions', region: 'us-east-1' }],
    [inB, { bucket: 'fleet-b-good', region: 'us-east-1', hardened: true }],
    [inB, { bucket: 'fleet-b-bad', region: 'us-east-1', hardened: true }],
    [inB, { bucket: 'fleet-b-audited', region: 'us-east-1', hardened: true }],
    [inC, { bucket: 'fleet-c-good', region: 'us-east-1', hardened: true }],
    [inC, { bucket: 'fleet-c-public', region: 'us-east-1', publicReadAcl: true }],
  ];
  for (const [creds, spec] of buckets) await seedBucket(endpoint, creds, spec);
  // One GHES user for four buckets of account A, evaluated in auditor mode with the env key: its
  // policies are read once for all four. The demo bucket gets the common mistake.
  const shared = await seedUser(endpoint, envKey, 'ghes-shared', {
    storage: ghesPolicy(['fleet-a-good-1', 'fleet-a-good-2', 'fleet-a-good-3']),
    demo: objectActionsOnBucketArnPolicy('fleet-a-demo'),
  });
  const ownA = await seedUser(endpoint, envKey, 'ghes-own', { storage: ghesPolicy(['fleet-a-own']) });
  const ghesB = await seedUser(endpoint, inB, 'ghes-b', { storage: ghesPolicy(['fleet-b-good', 'fleet-b-audited']) });
  const badB = await seedUser(endpoint, inB, 'ghes-b-bad', { storage: objectActionsOnBucketArnPolicy('fleet-b-bad') });
  const auditorB = await seedUser(endpoint, inB, 'auditor', { read: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 'iam:Get*', 'iam:List*'], Resource: '*' }] } });
  const ghesC = await seedUser(endpoint, inC, 'ghes-c', { storage: ghesPolicy(['fleet-c-good', 'fleet-c-public']) });
  assert.ok(ghesB.arn.includes(`::${B}:`) && ghesC.arn.includes(`::${C}:`), `users land in their accounts: ${ghesB.arn} ${ghesC.arn}`);
  // The auditor role in account C, trusting account A with an external id (as a real setup would).
  const iamC = clients(endpoint, inC).iam;
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'fleet-external-id' } } }] };
  await iamC.send(new CreateRoleCommand({ RoleName: 'preflight-auditor', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  iamC.destroy();

  const dir = mkdtempSync(join(tmpdir(), 'preflight-fleet-'));
  const credentialsFile = join(dir, 'credentials');
  const profile = (name: string, u: { accessKeyId: string; secretAccessKey: string }) => `[${name}]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`;
  writeFileSync(credentialsFile, [profile('ghes-own-a', ownA), profile('ghes-b', ghesB), profile('ghes-b-bad', badB), profile('auditor-b', auditorB)].join('\n'));
  const fleet = {
    defaults: { engine: 'local', actionsBucket: 'fleet-actions' },
    targets: [
      { name: 'a-good-1', bucket: 'fleet-a-good-1', serviceUrl: US_WEST_2, principalArn: shared.arn },
      { name: 'a-good-2', bucket: 'fleet-a-good-2', serviceUrl: US_WEST_2, region: 'us-west-2', principalArn: shared.arn },
      { name: 'a-good-3', bucket: 's3://fleet-a-good-3', serviceUrl: US_EAST_1, principalArn: shared.arn },
      { name: 'a-demo', bucket: 'fleet-a-demo', serviceUrl: US_EAST_1, principalArn: shared.arn },
      { name: 'a-missing', bucket: 'fleet-a-no-such-bucket', serviceUrl: US_EAST_1, principalArn: shared.arn },
      { name: 'a-own-key', bucket: 'fleet-a-own', serviceUrl: US_EAST_1, profile: 'ghes-own-a' },
      { name: 'b-good', bucket: 'fleet-b-good', serviceUrl: US_EAST_1, profile: 'ghes-b' },
      { name: 'b-object-actions-on-bucket-arn', bucket: 'fleet-b-bad', serviceUrl: US_EAST_1, profile: 'ghes-b-bad' },
      { name: 'b-audited', bucket: 'fleet-b-audited', serviceUrl: US_EAST_1, profile: 'auditor-b', principalArn: ghesB.arn },
      { name: 'c-good', bucket: 'fleet-c-good', serviceUrl: US_EAST_1, assumeRoleArn: AUDITOR_ROLE, externalId: 'fleet-external-id', principalArn: ghesC.arn },
      { name: 'c-public', bucket: 'fleet-c-public', serviceUrl: US_EAST_1, assumeRoleArn: AUDITOR_ROLE, externalId: 'fleet-external-id', principalArn: ghesC.arn },
      { name: 'x-no-credentials', bucket: 'fleet-a-good-1', serviceUrl: US_WEST_2, profile: 'no-such-profile' },
    ],
  };
  const file = join(dir, 'fleet.yml');
  writeFileSync(file, toYaml(fleet));
  return {
    dir,
    file,
    env: { AWS_SHARED_CREDENTIALS_FILE: credentialsFile },
    secrets: [shared, ownA, ghesB, badB, auditorB, ghesC].map((u) => u.secretAccessKey).concat(inB.secretAccessKey, inC.secretAccessKey),
  };
}

const EXPECTED: Record<string, string> = {
  'a-demo': 'non-compliant',
  'a-good-1': 'compliant',
  'a-good-2': 'compliant',
  'a-good-3': 'compliant',
  'a-missing': 'non-compliant',
  'a-own-key': 'compliant',
  'b-audited': 'compliant',
  'b-good': 'compliant',
  'b-object-actions-on-bucket-arn': 'non-compliant',
  'c-good': 'compliant',
  'c-public': 'non-compliant',
  'x-no-credentials': 'incomplete',
};

/** What must be equal between runs: everything but timings, request ids and the API call log. */
function comparable(report: Report) {
  const scrub = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'durationMs' && k !== 'requestId').map(([k, x]) => [k, scrub(x)]));
    return v;
  };
  return {
    verdict: report.verdict,
    exitCode: report.exitCode,
    summary: report.summary,
    target: report.target,
    targets: report.targets!.map((t) => scrub({ name: t.name, target: t.target, verdict: t.verdict, exitCode: t.exitCode, summary: t.summary, results: t.results })),
  };
}

const byName = (r: Report | undefined, name: string): TargetReport => {
  const t = r?.targets?.find((x) => x.name === name);
  assert.ok(t, `target ${name} in the report`);
  return t;
};

describe('fleet: many targets, accounts and credentials in one run (emulator)', () => {
  let moto: Moto;
  let fleet: Fleet;
  let full: CliRun;
  const run = (args: string[], opts: { outputDir?: string } = {}) => runCli(args, { endpoint: moto.endpoint, env: fleet.env, ...opts });

  beforeAll(async () => {
    moto = await startMoto();
    fleet = await seedFleet(moto.endpoint);
    full = await run(['fleet', '--targets', fleet.file, '--concurrency', '4']);
  });
  afterAll(async () => {
    await moto?.stop();
  });

  test('one combined report: verdict per target, the worst as exit code, three renderings', () => {
    const json = full.json;
    assert.ok(json, `no report (exit ${full.code}):\n${full.stderr}`);
    assert.deepEqual(Object.fromEntries(json.targets!.map((t) => [t.name, t.verdict])), EXPECTED, full.stdout);
    assert.deepEqual(json.targets!.map((t) => t.name), Object.keys(EXPECTED), 'targets sorted by name');
    assert.equal(json.verdict, 'non-compliant');
    assert.equal(json.exitCode, 1);
    assert.equal(full.code, 1, full.stderr);
    assert.deepEqual(json.target, { fleet: true, targets: 12 });
    assert.equal(json.results.length, json.targets!.reduce((n, t) => n + t.results.length, 0));
    // JUnit: one suite per target, named after it.
    const suites = ([] as Array<{ '@name': string }>).concat((full.junit as { testsuites: { testsuite: Array<{ '@name': string }> } }).testsuites.testsuite);
    assert.deepEqual(suites.map((s) => s['@name']), Object.keys(EXPECTED).map((n) => `ghes-s3: ${n}`));
    // Markdown: the fleet summary table before any target's section.
    const md = full.markdown!;
    assert.ok(md.indexOf('## Fleet summary') > 0 && md.indexOf('## Fleet summary') < md.indexOf('## a-demo'), md.slice(0, 800));
    // The summary table is the table of contents: each name links to its target's section.
    assert.match(md, /\| \[x-no-credentials\]\(#target-\d+\) \| incomplete \|/);
    // Not a TTY (a CI log): one progress line per finished target. Besides those, the only stderr
    // output is the credential chain's warning that a profile is used while AWS_ACCESS_KEY_ID is
    // also set, as one line through the redacting output.
    const lines = full.stderr.split('\n').filter(Boolean);
    const progress = lines.filter((l) => /^packages-preflight: \[\d+\/12\] \S+: (compliant|non-compliant|incomplete) \(/.test(l));
    assert.equal(progress.length, 12, full.stderr);
    const others = lines.filter((l) => !progress.includes(l));
    assert.ok(others.length >= 1 && others.every((l) => /^packages-preflight: warning: Multiple credential sources detected: Both AWS_PROFILE and the pair AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY/.test(l)), full.stderr);
  });

  test('each account is read with its own credentials; findings are the target\'s own', () => {
    const json = full.json!;
    assert.equal(byName(json, 'b-good').target.account, B);
    assert.equal(byName(json, 'c-good').target.account, C);
    assert.equal(byName(json, 'a-own-key').target.account, A);
    const callerOf = (name: string) => byName(json, name).results.find((r) => r.check === 'credentials')?.evidence.arn;
    assert.match(String(callerOf('c-good')), new RegExp(`^arn:aws:sts::${C}:assumed-role/preflight-auditor/packages-preflight$`));
    assert.match(String(callerOf('b-audited')), new RegExp(`^arn:aws:iam::${B}:user/auditor$`));
    const failed = (name: string) => byName(json, name).results.filter((r) => r.status === 'fail').map((r) => `${r.check} [${r.subject}]`);
    assert.ok(failed('a-demo').includes('service-url [region]'), failed('a-demo').join(', '));
    assert.ok(failed('a-demo').some((f) => f.startsWith('iam-simulation')), failed('a-demo').join(', '));
    assert.deepEqual(failed('a-missing'), ['bucket-reachable [fleet-a-no-such-bucket]']);
    assert.ok(failed('b-object-actions-on-bucket-arn').includes('iam-simulation [s3:PutObject]'), failed('b-object-actions-on-bucket-arn').join(', '));
    assert.ok(failed('c-public').some((f) => f.startsWith('bucket-acl')), failed('c-public').join(', '));
  });

  test('a target whose credentials fail is incomplete, with the reason; the others complete', () => {
    const broken = byName(full.json, 'x-no-credentials');
    assert.equal(broken.exitCode, 2);
    const errors = broken.results.filter((r) => r.status === 'error');
    assert.ok(errors.length >= 5, `errors: ${errors.length}`);
    assert.ok(errors.some((r) => r.check === 'credentials' && r.evidence.code === 'CredentialsProviderError'), JSON.stringify(errors[0]));
    assert.match(errors.find((r) => r.check === 'credentials')!.message, /Could not read sts:GetCallerIdentity: CredentialsProviderError/);
    // The report says which credentials each target was checked with.
    assert.equal(broken.target.credentials, 'profile no-such-profile');
    assert.equal(byName(full.json, 'a-good-1').target.credentials, 'the default credential chain');
    assert.equal(byName(full.json, 'c-good').target.credentials, `role ${AUDITOR_ROLE} assumed with the default credential chain (with an external id)`);
    assert.equal(broken.results.filter((r) => r.status === 'pass' && r.check !== 'dedicated-bucket' && r.check !== 'service-url').length, 0, 'nothing that needs AWS passes');
  });

  test('shared facts are fetched once per credential source; no call is repeated', () => {
    const json = full.json!;
    const calls = (op: string) => json.apiCalls.filter((c) => c.operation === op);
    // Seven credential sources, one caller identity each (the broken one fails without a request).
    assert.equal(calls('GetCallerIdentity').filter((c) => c.outcome === 'ok').length, 6);
    // One AssumeRole for the two targets of account C.
    assert.deepEqual(calls('AssumeRole').map((c) => [c.resource, c.outcome]), [[AUDITOR_ROLE, 'ok']]);
    // ghes-shared's policies: one GetAccountAuthorizationDetails for the four targets that evaluate them.
    const sharedTargets = ['a-good-1', 'a-good-2', 'a-good-3', 'a-demo'].map((n) => byName(json, n));
    assert.equal(sharedTargets.flatMap((t) => t.apiCalls).filter((c) => c.operation === 'GetAccountAuthorizationDetails').length, 1);
    // Account-level Block Public Access once per credential source (each has its own cache: other
    // credentials may be allowed to see other things): six sources reached AWS, in three accounts.
    const accountBpa = calls('GetPublicAccessBlock').filter((c) => c.resource.startsWith('account/'));
    assert.deepEqual(accountBpa.map((c) => c.resource).sort(), [`account/${B}`, `account/${B}`, `account/${B}`, `account/${A}`, `account/${A}`, `account/${C}`].sort());
    // Every target's log holds only its own calls: per target, no (operation, resource) twice
    // except HeadBucket (plain, then with ExpectedBucketOwner: two different questions).
    for (const t of json.targets!) {
      const seen = new Map<string, number>();
      for (const c of t.apiCalls) seen.set(`${c.operation} ${c.resource}`, (seen.get(`${c.operation} ${c.resource}`) ?? 0) + 1);
      const repeated = [...seen].filter(([k, n]) => n > 1 && !k.startsWith('HeadBucket '));
      assert.deepEqual(repeated, [], t.name);
      for (const c of t.apiCalls) if (c.resource.startsWith('arn:aws:s3:::')) assert.ok(c.resource.startsWith(`arn:aws:s3:::${t.target.bucket}`), `${t.name}: ${c.operation} ${c.resource}`);
    }
  });

  test('no secret of any credential reaches a report or the console', () => {
    const everything = [full.stdout, full.stderr, ...Object.values(full.files)].join('\n');
    for (const secret of fleet.secrets) assert.ok(!everything.includes(secret), 'a secret key leaked');
  });

  test('--shard 1/2 + --shard 2/2, merged, equal the unsharded run', async () => {
    const one = await run(['fleet', '--targets', fleet.file, '--shard', '1/2', '--format', 'json']);
    const two = await run(['fleet', '--targets', fleet.file, '--shard', '2/2', '--format', 'json']);
    assert.ok(one.json && two.json, one.stderr + two.stderr);
    const names = [...one.json.targets!, ...two.json.targets!].map((t) => t.name).sort();
    assert.deepEqual(names, Object.keys(EXPECTED), 'every target in exactly one shard');
    assert.ok(one.json.targets!.length > 0 && two.json.targets!.length > 0);
    assert.equal(one.json.target.shard, '1/2');
    assert.equal(one.json.target.fleetTargets, 12);
    const merged = await run(['report', 'merge', join(one.outputDir, 'packages-preflight.json'), join(two.outputDir, 'packages-preflight.json')]);
    assert.equal(merged.code, 1, merged.stderr);
    assert.deepEqual(comparable(merged.json!), comparable(full.json!));
    // A merge that misses a shard is refused: it would read as a smaller, healthier fleet.
    const partial = await run(['report', 'merge', join(one.outputDir, 'packages-preflight.json')]);
    assert.equal(partial.code, 3);
    assert.match(partial.stderr, /^packages-preflight: report merge: shard 2\/2 missing/);
    assert.deepEqual(Object.keys(partial.files), []);
  });

  test('report --from re-renders the saved JSON into identical JUnit, Markdown and HTML, exit code kept', async () => {
    const saved = join(full.outputDir, 'packages-preflight.json');
    const again = await run(['report', '--from', saved, '--format', 'junit,markdown,html']);
    assert.equal(again.code, 1, again.stderr);
    assert.deepEqual(Object.keys(again.files).sort(), ['packages-preflight.html', 'packages-preflight.junit.xml', 'packages-preflight.md']);
    assert.equal(again.files['packages-preflight.html'], full.files['packages-preflight.html']);
    assert.equal(again.files['packages-preflight.junit.xml'], full.files['packages-preflight.junit.xml']);
    assert.equal(again.files['packages-preflight.md'], full.files['packages-preflight.md']);
  });
});

describe('fleet: faults behind the proxy (AssumeRole refused, throttling) and bad input', () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  test('the assumed-role target is incomplete naming sts:AssumeRole; the other target completes', async () => {
    const proxy = await startFaultProxy(moto.endpoint, { rules: [{ operation: 'AssumeRole', fault: 'accessDenied403' }] });
    try {
      const envKey = sdkConfig(moto.endpoint).credentials;
      await seedBucket(moto.endpoint, envKey, { bucket: 'fleet-denied', region: 'us-east-1', hardened: true });
      const user = await seedUser(moto.endpoint, envKey, 'ghes', { storage: ghesPolicy(['fleet-denied']) });
      const dir = mkdtempSync(join(tmpdir(), 'preflight-fleet-'));
      const file = join(dir, 'fleet.json');
      writeFileSync(file, JSON.stringify({
        defaults: { serviceUrl: US_EAST_1, principalArn: user.arn, engine: 'local' },
        targets: [
          { name: 'direct', bucket: 'fleet-denied' },
          { name: 'via-role', bucket: 'fleet-denied', assumeRoleArn: `arn:aws:iam::${C}:role/preflight-auditor`, externalId: 'wrong-external-id' },
        ],
      }));
      const r = await runCli(['fleet', '--targets', file, '--format', 'json'], { endpoint: proxy.endpoint });
      assert.ok(r.json, r.stderr);
      assert.equal(byName(r.json, 'direct').verdict, 'compliant', JSON.stringify(byName(r.json, 'direct').results.filter((x) => x.status !== 'pass')));
      const denied = byName(r.json, 'via-role');
      assert.equal(denied.verdict, 'incomplete');
      const creds = denied.results.find((x) => x.check === 'credentials')!;
      assert.equal(creds.status, 'error');
      assert.equal(creds.evidence.code, 'AssumeRoleFailed');
      assert.match(creds.message, /sts:AssumeRole of arn:aws:iam::222222222222:role\/preflight-auditor failed: AccessDenied/);
      assert.equal(r.code, 2);
      // One AssumeRole attempt for the whole run: the refusal is remembered, not repeated per fact.
      assert.equal(proxy.requests.filter((q) => q.operation === 'AssumeRole').length, 1);
    } finally {
      await proxy.stop();
    }
  });

  test('throttling slows the shared session down instead of failing targets', async () => {
    // The first six GetBucketPolicy requests of the run are throttled (Throttling, HTTP 400): the
    // session's adaptive retry absorbs them for all four targets.
    const proxy = await startFaultProxy(moto.endpoint, { rules: [{ operation: 'GetBucketPolicy', fault: 'throttling400', times: 6 }] });
    try {
      const envKey = sdkConfig(moto.endpoint).credentials;
      const buckets = ['fleet-slow-1', 'fleet-slow-2', 'fleet-slow-3', 'fleet-slow-4'];
      for (const bucket of buckets) await seedBucket(moto.endpoint, envKey, { bucket, region: 'us-east-1', hardened: true });
      const user = await seedUser(moto.endpoint, envKey, 'ghes-slow', { storage: ghesPolicy(buckets) });
      const dir = mkdtempSync(join(tmpdir(), 'preflight-fleet-'));
      const file = join(dir, 'fleet.yml');
      writeFileSync(file, toYaml({ defaults: { serviceUrl: US_EAST_1, principalArn: user.arn, engine: 'local' }, targets: buckets.map((bucket) => ({ bucket })) }));
      const r = await runCli(['fleet', '--targets', file, '--format', 'json'], { endpoint: proxy.endpoint });
      assert.ok(r.json, r.stderr);
      assert.deepEqual(r.json.targets!.map((t) => [t.name, t.verdict]), buckets.map((b) => [b, 'compliant']), JSON.stringify(r.json.results.filter((x) => x.status === 'error')));
      const policyRequests = proxy.requests.filter((q) => q.operation === 'GetBucketPolicy');
      assert.equal(policyRequests.filter((q) => q.fault === 'throttling400').length, 6);
      assert.equal(policyRequests.length, 10, 'four answers after six throttled attempts');
      assert.equal(r.code, 0);
    } finally {
      await proxy.stop();
    }
  });

  test('a target whose service URL is wrong is a service-url fail for that target; the others run and the reports are written', async () => {
    // Issue 22 item 6: before, one target with https://BUCKET.s3... stopped the whole fleet (exit 3, nothing written).
    const envKey = sdkConfig(moto.endpoint).credentials;
    await seedBucket(moto.endpoint, envKey, { bucket: 'fleet-url-ok', region: 'us-east-1', hardened: true });
    await seedBucket(moto.endpoint, envKey, { bucket: 'fleet-url-bad', region: 'us-west-2', hardened: true });
    const user = await seedUser(moto.endpoint, envKey, 'ghes-url', { storage: ghesPolicy(['fleet-url-ok', 'fleet-url-bad']) });
    const dir = mkdtempSync(join(tmpdir(), 'preflight-fleet-'));
    const file = join(dir, 'fleet.yml');
    writeFileSync(file, toYaml({
      defaults: { principalArn: user.arn, engine: 'local' },
      targets: [
        { name: 'ok', bucket: 'fleet-url-ok', serviceUrl: US_EAST_1 },
        { name: 'bucket-in-host', bucket: 'fleet-url-bad', serviceUrl: 'https://BUCKET.s3.us-west-2.amazonaws.com' },
        { name: 'no-url', bucket: 'fleet-url-bad' },
      ],
    }));
    const r = await runCli(['fleet', '--targets', file], { endpoint: moto.endpoint });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.json && r.junitText && r.markdown, 'every report is written');
    assert.equal(byName(r.json, 'ok').verdict, 'compliant', JSON.stringify(byName(r.json, 'ok').results.filter((x) => x.status !== 'pass')));
    for (const name of ['bucket-in-host', 'no-url']) {
      const t = byName(r.json, name);
      const form = t.results.find((x) => x.check === 'service-url' && x.subject === 'endpoint-form')!;
      assert.equal(form.status, 'fail', name);
      // The exact fix, in the bucket's own Region (read from S3, not from the URL).
      assert.match(form.remediation, /Set the GHES "AWS Service URL" to https:\/\/s3\.us-west-2\.amazonaws\.com \(bucket fleet-url-bad is in us-west-2\)/);
      assert.deepEqual(t.results.filter((x) => x.status === 'fail').map((x) => `${x.check} [${x.subject}]`), ['service-url [endpoint-form]'], `${name}: only the service URL fails; the bucket checks ran and pass`);
    }
    assert.match(byName(r.json, 'bucket-in-host').results.find((x) => x.subject === 'endpoint-form')!.message, /must not contain the bucket name \(found 'bucket' in the host\)/);
    // In Markdown a URL is a code span (md()), so the link is shown, never followed.
    assert.match(r.markdown!, /Set the GHES "AWS Service URL" to `https:\/\/s3\.us-west-2\.amazonaws\.com`/);
  });

  test('bad fleet files stop before any AWS call: one line naming the target, exit 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-fleet-'));
    const cases: Array<[object, RegExp]> = [
      [{ targets: [{ name: 'ok', bucket: 'good-bucket', serviceUrl: US_EAST_1 }, { name: 'prod-eu', bucket: 'Bad_Bucket', serviceUrl: US_EAST_1 }] }, /: targets\[1\] \(name "prod-eu"\): "bucket" /],
      [{ targets: [{ name: 'x', bucket: 'one-bucket', serviceUrl: US_EAST_1 }, { name: 'x', bucket: 'two-bucket', serviceUrl: US_EAST_1 }] }, /targets\[1\] \(name "x"\): the name "x" is already used by targets\[0\]/],
      [{ defaults: { serviceUrl: US_EAST_1 }, targets: [{ bucket: 'some-bucket', externalId: 'abc' }] }, /targets\[0\] \(bucket "some-bucket"\): "externalId" needs "assumeRoleArn"/],
    ];
    for (const [content, message] of cases) {
      const file = join(dir, 'fleet.json');
      writeFileSync(file, JSON.stringify(content));
      const r = await runCli(['fleet', '--targets', file], { endpoint: 'http://127.0.0.1:9' });
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.deepEqual(Object.keys(r.files), []);
    }
  });
});
