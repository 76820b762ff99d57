// `codeartifact` input stops in validation with one line naming the field and the fix (exit 3).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { codeArtifactOptionsSchema, codeArtifactPolicyOptionsSchema, loadExpectFile, readPolicyDir, readPolicyFile, validateDomainName } from '../../src/config/codeartifact-options.ts';
import { resolveOptions, UsageError, validate } from '../../src/config/options.ts';

const dir = mkdtempSync(join(tmpdir(), 'preflight-ca-config-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const bad: Array<{ name: string; flags: Record<string, unknown>; error: RegExp }> = [
  { name: 'missing domain', flags: {}, error: /^--domain is required/ },
  { name: 'domain with upper case', flags: { domain: 'Packages' }, error: /^--domain must be lower-case.*'packages'/ },
  { name: 'domain too short', flags: { domain: 'p' }, error: /^--domain must be 2 to 50 characters/ },
  { name: 'domain too long', flags: { domain: 'p'.repeat(51) }, error: /^--domain must be 2 to 50 characters/ },
  { name: 'domain starting with a digit', flags: { domain: '1packages' }, error: /^--domain must start with a lower-case letter/ },
  { name: 'domain ending with a hyphen', flags: { domain: 'packages-' }, error: /^--domain must end with a letter or digit/ },
  { name: 'domain with an underscore', flags: { domain: 'my_packages' }, error: /^--domain may contain only/ },
  { name: 'owner with 11 digits', flags: { domain: 'packages', domainOwner: '11112222333' }, error: /^--domain-owner must be a 12-digit AWS account id/ },
  { name: 'owner with dashes', flags: { domain: 'packages', domainOwner: '1111-2222-3333' }, error: /^--domain-owner must be a 12-digit/ },
  { name: 'org id without prefix', flags: { domain: 'packages', orgId: 'a1b2c3d4e5' }, error: /^--org-id must be an AWS Organizations id/ },
  { name: 'org id too short', flags: { domain: 'packages', orgId: 'o-abc' }, error: /^--org-id must be an AWS Organizations id/ },
  { name: 'allowed accounts with a bad entry', flags: { domain: 'packages', allowedAccounts: '111122223333,12345' }, error: /^--allowed-accounts must list 12-digit AWS account ids/ },
  { name: 'unknown region', flags: { domain: 'packages', region: 'eu-middle-9' }, error: /^--region is not a known AWS region/ },
];

for (const c of bad) {
  test(`codeartifact options: ${c.name}`, () => {
    assert.throws(() => resolveOptions(codeArtifactOptionsSchema, c.flags), (e: unknown) => e instanceof UsageError && c.error.test(e.message));
  });
}

test('codeartifact options: valid input, accounts as a list, numbers kept as digits', () => {
  const o = resolveOptions(codeArtifactOptionsSchema, { domain: 'my-packages-2', domainOwner: 111122223333, allowedAccounts: '444455556666, 777788889999', orgId: 'o-a1b2c3d4e5' });
  assert.equal(o.domainOwner, '111122223333');
  assert.deepEqual(o.allowedAccounts, ['444455556666', '777788889999']);
});

test('domain names: the pattern of the API reference', () => {
  for (const ok of ['ab', 'a1', 'my-domain', `a${'b'.repeat(48)}c`]) assert.equal(validateDomainName(ok), null, ok);
  for (const no of ['a', 'a-', '-a', 'A1', 'a.b', `a${'b'.repeat(49)}c`]) assert.notEqual(validateDomainName(no), null, no);
});

test('policy subcommand: --domain, --domain-owner and --region together or not at all', () => {
  assert.throws(() => validate(codeArtifactPolicyOptionsSchema, { orgId: 'o-a1b2c3d4e5', domain: 'packages' }, 'flag'), /UsageError: --domain-owner is needed too/);
  assert.throws(() => validate(codeArtifactPolicyOptionsSchema, {}, 'flag'), /UsageError: --org-id is required/);
  assert.doesNotThrow(() => validate(codeArtifactPolicyOptionsSchema, { orgId: 'o-a1b2c3d4e5', domain: 'packages', domainOwner: '111122223333', region: 'eu-west-1' }, 'flag'));
});

test('--expect: a valid file', () => {
  const entries = loadExpectFile(
    file(
      'ok.yml',
      [
        'arn:aws:iam::444455556666:role/ci:',
        '  codeartifact:GetAuthorizationToken: allow',
        '  codeartifact:readfromrepository: Allow',
        '  codeartifact:DeleteRepository: deny',
        'arn:aws:sts::444455556666:assumed-role/ci/build-1:',
        '  codeartifact:ReadFromRepository:',
        '    expect: allow',
        '    resource: arn:aws:codeartifact:eu-west-1:111122223333:repository/packages/npm-store',
      ].join('\n'),
    ),
  );
  assert.equal(entries.length, 4);
  assert.deepEqual(entries[1], { principal: 'arn:aws:iam::444455556666:role/ci', account: '444455556666', action: 'codeartifact:readfromrepository', expected: 'allow' });
  assert.equal(entries[3].resource, 'arn:aws:codeartifact:eu-west-1:111122223333:repository/packages/npm-store');
});

const badExpect: Array<{ name: string; text: string; error: RegExp }> = [
  { name: 'not YAML', text: 'a: [', error: /not valid YAML or JSON/ },
  { name: 'a list', text: '- a\n- b\n', error: /must hold a mapping/ },
  { name: 'principal not an ARN', text: 'ci-role:\n  codeartifact:GetAuthorizationToken: allow\n', error: /principal "ci-role" must be an IAM principal ARN/ },
  { name: 'a group', text: 'arn:aws:iam::444455556666:group/devs:\n  codeartifact:GetAuthorizationToken: allow\n', error: /is a group, which a resource policy cannot name/ },
  { name: 'no actions', text: 'arn:aws:iam::444455556666:role/ci: {}\n', error: /must map actions to allow or deny/ },
  { name: 'action of another service', text: 'arn:aws:iam::444455556666:role/ci:\n  s3:GetObject: allow\n', error: /is not a CodeArtifact action/ },
  { name: 'wildcard action', text: 'arn:aws:iam::444455556666:role/ci:\n  codeartifact:Get*: allow\n', error: /no wildcards/ },
  { name: 'misspelt action', text: 'arn:aws:iam::444455556666:role/ci:\n  codeartifact:GetAuthorisationToken: allow\n', error: /is not an action CodeArtifact has/ },
  { name: 'bad value', text: 'arn:aws:iam::444455556666:role/ci:\n  codeartifact:GetAuthorizationToken: yes\n', error: /must be allow or deny/ },
  { name: 'bad resource', text: 'arn:aws:iam::444455556666:role/ci:\n  codeartifact:ReadFromRepository: { expect: allow, resource: npm-store }\n', error: /not a CodeArtifact ARN/ },
  { name: 'empty file', text: '{}\n', error: /lists no principals/ },
];
for (const c of badExpect) {
  test(`--expect: ${c.name}`, () => {
    assert.throws(() => loadExpectFile(file(`${c.name.replace(/\W/g, '-')}.yml`, c.text)), (e: unknown) => e instanceof UsageError && /^--expect /.test(e.message) && c.error.test(e.message));
  });
}

test('--expect / --policy-file: a missing file is a usage error', () => {
  assert.throws(() => loadExpectFile(join(dir, 'nope.yml')), /UsageError: --expect .*no such file/);
  assert.throws(() => readPolicyFile(join(dir, 'nope.json')), /UsageError: --policy-file .*no such file/);
  assert.throws(() => readPolicyFile(dir), /UsageError: --policy-file .*directory/);
});

test('--expect: repository-level entries (principal → repository → read|publish|admin|action → allow|deny)', () => {
  const entries = loadExpectFile(
    file('repo.yml', ['arn:aws:iam::444455556666:role/ci:', '  codeartifact:GetAuthorizationToken: allow', '  npm-internal:', '    read: allow', '    publish: Deny', '    codeartifact:DeleteRepository: deny'].join('\n')),
  );
  assert.deepEqual(
    entries.map((e) => [e.action, e.repository ?? null, e.expected]),
    [
      ['codeartifact:GetAuthorizationToken', null, 'allow'],
      ['read', 'npm-internal', 'allow'],
      ['publish', 'npm-internal', 'deny'],
      ['codeartifact:DeleteRepository', 'npm-internal', 'deny'],
    ],
  );
  for (const [text, error] of [
    ['arn:aws:iam::444455556666:role/ci:\n  x:\n    read: allow', /neither a codeartifact: action nor a repository name/],
    ['arn:aws:iam::444455556666:role/ci:\n  npm-internal:\n    write: allow', /not read, publish, admin or a CodeArtifact action/],
    ['arn:aws:iam::444455556666:role/ci:\n  npm-internal:\n    read: maybe', /must be allow or deny/],
    ['arn:aws:iam::444455556666:role/ci:\n  npm-internal: allow', /must map read, publish, admin/],
  ] as Array<[string, RegExp]>) {
    assert.throws(() => loadExpectFile(file('bad-repo.yml', text)), (e: Error) => e instanceof UsageError && error.test(e.message) && !e.message.includes('\n'));
  }
});

test('--policy-dir: domain.json, repositories/NAME.json, .repository.json, .packages.json; anything else is a usage error', () => {
  const root = mkdtempSync(join(tmpdir(), 'preflight-ca-dir-'));
  mkdirSync(join(root, 'repositories'));
  writeFileSync(join(root, 'domain.json'), '{"Version":"2012-10-17","Statement":[]}');
  writeFileSync(join(root, 'repositories', 'npm-store.json'), 'not json is kept verbatim');
  writeFileSync(join(root, 'repositories', 'npm-store.repository.json'), '{"repository":{"name":"npm-store"}}');
  writeFileSync(join(root, 'repositories', 'other.packages.json'), '{"packages":[]}');
  const read = readPolicyDir(root);
  assert.equal(read.domain?.text, '{"Version":"2012-10-17","Statement":[]}');
  assert.deepEqual(read.repositories.map((r) => [r.name, r.policy?.text ?? null, r.description !== undefined, r.packages !== undefined]), [
    ['npm-store', 'not json is kept verbatim', true, false],
    ['other', null, false, true],
  ]);
  writeFileSync(join(root, 'repositories', 'README.md'), '');
  assert.throws(() => readPolicyDir(root), /repositories\/README.md is not NAME.json/);
  rmSync(join(root, 'repositories', 'README.md'));
  writeFileSync(join(root, 'repositories', 'x.repository.json'), '{');
  assert.throws(() => readPolicyDir(root), /"x" is not a CodeArtifact repository name/);
  rmSync(join(root, 'repositories', 'x.repository.json'));
  writeFileSync(join(root, 'repositories', 'app.repository.json'), '{');
  assert.throws(() => readPolicyDir(root), /app.repository.json is not valid JSON/);
  const empty = mkdtempSync(join(tmpdir(), 'preflight-ca-empty-'));
  assert.throws(() => readPolicyDir(empty), /holds neither domain.json nor repositories/);
  assert.throws(() => readPolicyDir(join(empty, 'missing')), /not a directory/);
});
