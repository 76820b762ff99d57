// The fleet file and --shard: bad input is one line naming the target and the key (exit 3); the
// shard of a target depends on its name only.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFleetFile, parseFleet, parseShard } from '../../src/config/fleet-options.ts';
import { UsageError } from '../../src/config/options.ts';
import { credentialKey, describeCredentials, selectShard, shardOf } from '../../src/run/fleet.ts';

const URL1 = 'https://s3.eu-west-1.amazonaws.com';
const ROLE = 'arn:aws:iam::111122223333:role/preflight-auditor';
const t = (extra: Record<string, unknown> = {}) => ({ name: 'prod-eu', bucket: 'ghes-packages-eu', serviceUrl: URL1, ...extra });

test('defaults apply to every target, a target\'s own value wins, credentials are split off', () => {
  const [a, b, c] = parseFleet(
    {
      defaults: { serviceUrl: URL1, actionsBucket: 'ghes-actions', engine: 'local', profile: 'auditor' },
      targets: [
        { name: 'a', bucket: 'pkg-a' },
        { name: 'b', bucket: 'arn:aws:s3:::pkg-b', engine: 'aws', assumeRoleArn: ROLE, externalId: 'ext-1' },
        { bucket: 's3://pkg-c', region: 'eu-west-1', sourceIp: '203.0.113.10/32' },
      ],
    },
    'fleet.yml',
  );
  assert.deepEqual(a, { name: 'a', index: 0, options: { bucket: 'pkg-a', serviceUrl: URL1, actionsBucket: 'ghes-actions', engine: 'local' }, credentials: { profile: 'auditor', assumeRoleArn: undefined, externalId: undefined } });
  assert.equal(b.options.engine, 'aws');
  assert.deepEqual(b.credentials, { profile: 'auditor', assumeRoleArn: ROLE, externalId: 'ext-1' });
  assert.equal(c.name, 'pkg-c', 'the name defaults to the bucket name');
  assert.deepEqual(c.options.sourceIp, ['203.0.113.10/32']);
  assert.equal(c.options.region, 'eu-west-1');
});

const bad: Array<{ name: string; data: unknown; error: RegExp }> = [
  { name: 'not a mapping', data: ['x'], error: /^fleet\.yml: must hold a mapping with "targets"/ },
  { name: 'no targets', data: { defaults: {} }, error: /^fleet\.yml: "targets" is required/ },
  { name: 'empty targets', data: { targets: [] }, error: /^fleet\.yml: "targets" is empty/ },
  { name: 'unknown top-level key', data: { targets: [t()], target: [] }, error: /^fleet\.yml: unknown key "target"; valid keys are defaults, targets/ },
  { name: 'defaults not a mapping', data: { defaults: 'x', targets: [t()] }, error: /^fleet\.yml: "defaults" / },
  { name: 'run-wide key in defaults', data: { defaults: { format: 'json' }, targets: [t()] }, error: /^fleet\.yml: defaults: unknown key "format"/ },
  { name: 'bucket in defaults', data: { defaults: { bucket: 'b-1' }, targets: [t()] }, error: /^fleet\.yml: defaults: unknown key "bucket"/ },
  { name: 'bad region in defaults', data: { defaults: { region: 'us-middle-7' }, targets: [t()] }, error: /^fleet\.yml: defaults: "region" is not a known AWS region/ },
  { name: 'target not a mapping', data: { targets: ['prod'] }, error: /^fleet\.yml: targets\[0\]: must be a mapping/ },
  { name: 'bad bucket, named target', data: { targets: [t({ name: 'a' }), t({ name: 'b' }), t({ name: 'c' }), t({ bucket: 'Bad_Bucket' })] }, error: /^fleet\.yml: targets\[3\] \(name "prod-eu"\): "bucket" / },
  { name: 'bad bucket, unnamed target', data: { targets: [{ bucket: 'ab', serviceUrl: URL1 }] }, error: /^fleet\.yml: targets\[0\] \(bucket "ab"\): "bucket" / },
  { name: 'service URL that is not a string', data: { targets: [t({ serviceUrl: 42 })] }, error: /targets\[0\] \(name "prod-eu"\): "serviceUrl" must be a string/ },
  { name: 'typo in a target key', data: { targets: [t({ servicUrl: URL1 })] }, error: /^fleet\.yml: targets\[0\] \(name "prod-eu"\): unknown key "servicUrl"/ },
  { name: 'probe is not a fleet key', data: { targets: [t({ probe: true })] }, error: /unknown key "probe"/ },
  { name: 'assumeRoleArn of a user', data: { targets: [t({ assumeRoleArn: 'arn:aws:iam::111122223333:user/alice' })] }, error: /"assumeRoleArn" must be the ARN of an IAM role to assume/ },
  { name: 'assumeRoleArn malformed', data: { targets: [t({ assumeRoleArn: 'preflight-auditor' })] }, error: /"assumeRoleArn" must be an IAM principal ARN/ },
  { name: 'externalId without a role', data: { targets: [t({ externalId: 'ext-1' })] }, error: /targets\[0\] \(name "prod-eu"\): "externalId" needs "assumeRoleArn"/ },
  { name: 'externalId with spaces', data: { targets: [t({ assumeRoleArn: ROLE, externalId: 'a b' })] }, error: /"externalId" must be 2 to 1224 characters/ },
  { name: 'empty name', data: { targets: [t({ name: ' ' })] }, error: /"name" is empty/ },
  { name: 'duplicate names', data: { targets: [t(), t({ bucket: 'other-bucket' })] }, error: /^fleet\.yml: targets\[1\] \(name "prod-eu"\): the name "prod-eu" is already used by targets\[0\]/ },
  { name: 'duplicate default names', data: { targets: [{ bucket: 'pkg-a', serviceUrl: URL1 }, { bucket: 's3://pkg-a', serviceUrl: URL1, principalArn: 'arn:aws:iam::111122223333:user/ghes' }] }, error: /the name "pkg-a" is already used by targets\[0\]/ },
  { name: 'bad concurrency type in target', data: { targets: [t({ maxRetentionDays: 'ten' })] }, error: /"maxRetentionDays" / },
];

for (const c of bad) {
  test(`bad fleet file: ${c.name}`, () => {
    assert.throws(
      () => parseFleet(c.data, 'fleet.yml'),
      (e: unknown) => {
        assert.ok(e instanceof UsageError, String(e));
        assert.match(e.message, c.error);
        assert.doesNotMatch(e.message, /\n/);
        return true;
      },
    );
  });
}

test('the file is read as YAML or JSON; an unreadable one is one line naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-fleet-opts-'));
  const yml = join(dir, 'fleet.yml');
  writeFileSync(yml, `defaults:\n  serviceUrl: ${URL1}\ntargets:\n  - name: a\n    bucket: pkg-a\n`);
  assert.deepEqual(loadFleetFile(yml).map((x) => x.name), ['a']);
  const json = join(dir, 'fleet.json');
  writeFileSync(json, '{ "targets": [ { "bucket": "pkg-a", "serviceUrl": "' + URL1 + '" }, ] }');
  assert.throws(() => loadFleetFile(json), /^UsageError: --targets .*fleet\.json: not valid YAML or JSON/);
  assert.throws(() => loadFleetFile(join(dir, 'missing.yml')), /--targets .*missing\.yml: cannot read the file \(no such file\)/);
});

const shards: Array<[string, { index: number; count: number } | RegExp]> = [
  ['1/4', { index: 1, count: 4 }],
  ['4/4', { index: 4, count: 4 }],
  [' 2 / 3 ', { index: 2, count: 3 }],
  ['1/1', { index: 1, count: 1 }],
  ['0/4', /I must be between 1 and N/],
  ['5/4', /I must be between 1 and N/],
  ['1/0', /I must be between 1 and N/],
  ['1-4', /--shard must look like I\/N/],
  ['a/b', /--shard must look like I\/N/],
  ['', /--shard must look like I\/N/],
];
for (const [input, expected] of shards) {
  test(`--shard "${input}"`, () => {
    if (expected instanceof RegExp) assert.throws(() => parseShard(input), expected);
    else assert.deepEqual(parseShard(input), expected);
  });
}

test('shards partition the fleet by name: every target once, independent of the file order', () => {
  const names = Array.from({ length: 97 }, (_, i) => ({ name: `bucket-${i}` }));
  for (const count of [1, 2, 3, 7]) {
    const slices = Array.from({ length: count }, (_, i) => selectShard(names, { index: i + 1, count }).map((x) => x.name));
    assert.deepEqual(slices.flat().sort(), names.map((x) => x.name).sort(), `N=${count}`);
    const reversed = Array.from({ length: count }, (_, i) => selectShard([...names].reverse(), { index: i + 1, count }).map((x) => x.name).sort());
    assert.deepEqual(reversed, slices.map((s) => [...s].sort()), `N=${count}: reordering the file moves nothing`);
  }
  // Adding a target moves no other target.
  const before = names.map((x) => shardOf(x.name, 4));
  assert.deepEqual([...names, { name: 'new-one' }].slice(0, 97).map((x) => shardOf(x.name, 4)), before);
  // Pinned (first 4 bytes of SHA-256, big-endian, mod N, plus 1): a change of the scheme would move
  // targets between CI jobs from one version to the next. sha256("a") starts ca978112, and so on.
  assert.deepEqual(['a', 'b', 'c', 'd'].map((n) => shardOf(n, 10)), [1, 7, 4, 4]);
});

test('credential sources: same profile / role / external id share a session; descriptions hold no secret', () => {
  assert.equal(credentialKey({ profile: 'p' }), credentialKey({ profile: 'p', assumeRoleArn: undefined }));
  assert.notEqual(credentialKey({ profile: 'p' }), credentialKey({ profile: 'p', assumeRoleArn: ROLE }));
  assert.notEqual(credentialKey({ assumeRoleArn: ROLE, externalId: 'a1' }), credentialKey({ assumeRoleArn: ROLE, externalId: 'b2' }));
  assert.equal(describeCredentials({}), 'the default credential chain');
  assert.equal(describeCredentials({ profile: 'audit' }), 'profile audit');
  assert.equal(describeCredentials({ assumeRoleArn: ROLE, externalId: 'secret-ish' }), `role ${ROLE} assumed with the default credential chain (with an external id)`);
});

test('fleet file: a target without a service URL, or with one GHES cannot use, is valid input (its service-url check fails)', () => {
  const targets = parseFleet({ targets: [{ name: 'x', bucket: 'pkg-x' }, t({ serviceUrl: 'https://BUCKET.s3.us-west-2.amazonaws.com' })] }, 'fleet.yml');
  assert.deepEqual(targets.map((x) => x.options.serviceUrl), [undefined, 'https://BUCKET.s3.us-west-2.amazonaws.com']);
});
