// Bad input stops in config validation with one line naming the field and the fix.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { skipWhen } from '../harness/skip.ts';
import { checkOptionsSchema, resolveOptions, UsageError } from '../../src/config/options.ts';

const dir = mkdtempSync(join(tmpdir(), 'preflight-config-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const ok = { bucket: 'ghes-packages', serviceUrl: 'https://s3.us-east-1.amazonaws.com' };
const unreadable = file('unreadable.yml', 'bucket: x\n');
chmodSync(unreadable, 0o000);
const runningAsRoot = process.getuid?.() === 0;

const bad: Array<{ name: string; flags: Record<string, unknown>; config?: string; error: RegExp; skip?: boolean }> = [
  { name: 'missing bucket', flags: { serviceUrl: ok.serviceUrl }, error: /^--bucket is required/ },
  { name: 'empty bucket', flags: { ...ok, bucket: '' }, error: /^--bucket / },
  { name: 'bucket with upper case', flags: { ...ok, bucket: 'GhesPackages' }, error: /^--bucket .*lower/i },
  { name: 'bucket too short', flags: { ...ok, bucket: 'ab' }, error: /^--bucket .*3/ },
  { name: 'bucket with underscore', flags: { ...ok, bucket: 'ghes_packages' }, error: /^--bucket / },
  { name: 'bucket as IP address', flags: { ...ok, bucket: '192.168.1.1' }, error: /^--bucket .*IP/i },
  { name: 'bucket ARN with a key', flags: { ...ok, bucket: 'arn:aws:s3:::b-1/key' }, error: /^--bucket / },
  { name: 'service URL given twice', flags: { ...ok, serviceUrl: [ok.serviceUrl, ok.serviceUrl] }, error: /^--service-url was given 2 times/ },
  { name: 'unknown region', flags: { ...ok, region: 'us-middle-7' }, error: /^--region is not a known AWS region/ },
  { name: 'unknown format', flags: { ...ok, format: 'json,pdf' }, error: /^--format unknown format "pdf"/ },
  { name: 'malformed principal ARN', flags: { ...ok, principalArn: 'arn:aws:iam::12345:user/x' }, error: /^--principal-arn / },
  { name: 'bad engine', flags: { ...ok, engine: 'magic' }, error: /^--engine must be one of auto, aws, local/ },
  { name: 'bad source IP', flags: { ...ok, sourceIp: ['300.1.1.1/32'] }, error: /^--source-ip must be an IP address or CIDR/ },
  { name: 'bad VPC endpoint id', flags: { ...ok, sourceVpce: 'vpc-123' }, error: /^--source-vpce must look like vpce-/ },
  { name: 'negative timeout', flags: { ...ok, timeout: -1 }, error: /^--timeout must be a positive number/ },
  { name: 'endpoint URL not a URL', flags: { ...ok, endpointUrl: 'localhost:5000' }, error: /^--endpoint-url / },
  { name: 'config file missing', flags: {}, config: join(dir, 'absent.yml'), error: /^--config .*absent\.yml: cannot read the file \(no such file\)/ },
  { name: 'config file unreadable', flags: {}, config: unreadable, error: /cannot read the file \(permission denied\)/, skip: runningAsRoot },
  { name: 'config file is a directory', flags: {}, config: dir, error: /cannot read the file \(it is a directory\)/ },
  { name: 'config invalid YAML', flags: {}, config: file('bad.yml', 'bucket: [unclosed\n'), error: /not valid YAML or JSON/ },
  { name: 'config invalid JSON', flags: {}, config: file('bad.json', '{"bucket": "b-1",}'), error: /not valid YAML or JSON/ },
  { name: 'config unknown key', flags: {}, config: file('typo.yml', 'bucket: b-1\nserviceUrl: https://s3.amazonaws.com\nbuckett: x\n'), error: /unknown key "buckett"; valid keys are bucket, serviceUrl/ },
  { name: 'config wrong type', flags: {}, config: file('type.yml', 'bucket: 42\nserviceUrl: https://s3.amazonaws.com\n'), error: /"bucket" must be a string/ },
  { name: 'config a list, not a mapping', flags: {}, config: file('list.yml', '- bucket\n'), error: /must hold a mapping/ },
  { name: 'config value invalid names the file', flags: {}, config: file('region.yml', 'bucket: b-1\nserviceUrl: https://s3.amazonaws.com\nregion: mars-1\n'), error: /region\.yml: "region" is not a known AWS region/ },
];

for (const row of bad) {
  test(`config rejects: ${row.name}`, skipWhen(row.skip ? 'running as root: permissions are not enforced' : false, () => {
    assert.throws(
      () => resolveOptions(checkOptionsSchema, row.flags, row.config),
      (e: unknown) => {
        assert.ok(e instanceof UsageError, `expected a UsageError, got ${String(e)}`);
        assert.match(e.message, row.error);
        assert.ok(!e.message.includes('\n'), 'the message must be one line');
        return true;
      },
    );
  }));
}

test('config: flags override the file, camelCase keys, defaults stay unset', () => {
  const cfg = file('good.yml', 'bucket: from-file\nserviceUrl: https://s3.eu-west-1.amazonaws.com\nregion: eu-west-1\nformat: [json]\n');
  const options = resolveOptions(checkOptionsSchema, { bucket: 'from-flag' }, cfg);
  assert.equal(options.bucket, 'from-flag');
  assert.equal(options.region, 'eu-west-1');
  assert.deepEqual(options.format, ['json']);
  assert.equal(options.outputDir, undefined);
});

test('config: JSON config and comma-separated formats', () => {
  const cfg = file('good.json', JSON.stringify({ ...ok, format: 'junit,markdown', sourceIp: '203.0.113.10/32' }));
  const options = resolveOptions(checkOptionsSchema, {}, cfg);
  assert.deepEqual(options.format, ['junit', 'markdown']);
  assert.deepEqual(options.sourceIp, ['203.0.113.10/32']);
});

test('config: the service URL is the value under test, not input: missing or unusable values validate (the check fails them)', () => {
  for (const serviceUrl of [undefined, 'not a url', 'ftp://s3.amazonaws.com', 'https://ghes-packages.s3.us-east-1.amazonaws.com', 'https://s3.us-east-1.amazonaws.com/ghes-packages']) {
    const options = resolveOptions(checkOptionsSchema, { bucket: 'b-1', ...(serviceUrl === undefined ? {} : { serviceUrl }) });
    assert.equal(options.serviceUrl, serviceUrl);
  }
});
