// Bad input never becomes a crash, a partial report or an AWS call. A table of what users get wrong
// (flags, bucket names, service URLs, ARNs, formats, output folders, config files, conflicting
// options, credentials), each run through the built CLI as a child process. Every AWS call would go
// to a local HTTP server that counts requests: for input errors it must count zero.
//
// Expected for bad input: exit 3, exactly one line on stderr naming the field and the fix, nothing on
// stdout, no stack trace (also with --debug), no report file. An endpoint that refuses connections
// is not bad input: exit 2 with an incomplete report. The service URL is the value under test, not
// input (DESIGN.md "The service URL is a finding"): any value, or none, is a service-url result.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { freePort } from '../harness/moto.ts';
import { runCli } from './cli.ts';
import { assertReadOnly } from './read-only.ts';

const dir = mkdtempSync(join(tmpdir(), 'preflight-bad-input-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const aFile = file('a-file.txt', 'not a folder\n');
mkdirSync(join(dir, 'a-directory'));

const BUCKET = 'ghes-packages';
const URL_OK = 'https://s3.us-east-1.amazonaws.com';
const target = (...extra: string[]) => ['check', '--bucket', BUCKET, '--service-url', URL_OK, ...extra];
const withUrl = (url: string) => ['check', '--bucket', BUCKET, '--service-url', url];
const withBucket = (bucket: string) => ['check', '--bucket', bucket, '--service-url', URL_OK];
const NO_CREDENTIALS = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_PROFILE: '' };

interface Row {
  name: string;
  args: string[];
  /** The one stderr line: names the field (and, by FIX below or its own pattern, the fix). */
  line: RegExp;
  env?: Record<string, string>;
}

/** After the field and what is wrong, a fix: "...; use ...", "...; remove ...", or yargs' pointer to --help. */
const FIX = /; \S|, e\.g\. |Run "packages-preflight --help" for usage|Did you mean/;

const ROWS: Row[] = [
  // Flags: missing, empty, invalid, repeated, unknown.
  { name: 'no command', args: [], line: /Name a command/ },
  { name: 'unknown command', args: ['chek', '--bucket', BUCKET], line: /Unknown argument: chek|Did you mean check/ },
  { name: 'unknown flag', args: target('--buckett', 'x'), line: /Unknown argument: buckett; did you mean --bucket\?/ },
  // Issue 15 item 13: the nearest flag is suggested; a single-value flag given twice is an error in every form and command.
  { name: 'mistyped flag: the nearest is suggested', args: ['check', '--bukcet', BUCKET, '--service-url', URL_OK], line: /Unknown argument: bukcet; did you mean --bucket\?/ },
  { name: 'mistyped fleet flag', args: ['fleet', '--targts', 'fleet.yml'], line: /Unknown argument: targts; did you mean --targets\?/ },
  { name: 'a boolean given twice', args: target('--probe', '--probe'), line: /^packages-preflight: --probe was given 2 times; give it once/ },
  { name: '--color and --no-color', args: target('--no-color', '--color'), line: /--color was given 2 times; give it once/ },
  { name: 'a choice given twice', args: target('--engine', 'local', '--engine', 'aws'), line: /--engine was given 2 times; give it once/ },
  { name: 'a number given twice, once with =', args: target('--timeout=60', '--timeout', '90'), line: /--timeout was given 2 times; give it once/ },
  { name: 'report --from given twice', args: ['report', '--from', 'a.json', '--from', 'b.json'], line: /--from was given 2 times; give it once/ },
  { name: 'policy --kms-key given twice', args: ['policy', 'ghes-user', '--bucket', BUCKET, '--kms-key', 'a', '--kms-key', 'b'], line: /--kms-key was given 2 times; give it once/ },
  { name: 'fleet --concurrency given twice', args: ['fleet', '--targets', 'fleet.yml', '--concurrency', '2', '--concurrency', '3'], line: /--concurrency was given 2 times; give it once/ },
  { name: '--stdout with two formats', args: target('--format', 'json,junit', '--stdout'), line: /--stdout writes one report to standard output, but 2 formats were asked for \(json, junit\); give one/ },
  { name: '--output naming a file (only - is supported)', args: target('--format', 'json', '--output', 'report.json'), line: /--output takes only "-"/ },
  { name: 'missing --bucket', args: ['check', '--service-url', URL_OK], line: /^packages-preflight: --bucket is required \(the S3 bucket GHES uses for Packages\); add --bucket ghes-packages$/ },
  { name: '--bucket without a value', args: ['check', '--bucket', '--service-url', URL_OK], line: /--bucket is empty; give/ },
  { name: '--bucket given twice', args: [...target(), '--bucket', 'other-bucket'], line: /--bucket was given 2 times; give it once/ },
  { name: '--timeout not a number', args: target('--timeout', 'soon'), line: /--timeout must be a number; e\.g\. --timeout 600/ },
  { name: '--timeout negative', args: target('--timeout', '-5'), line: /--timeout must be a positive number of seconds/ },
  { name: '--timeout too long', args: target('--timeout', '99999'), line: /--timeout must be at most 3600 seconds/ },
  { name: '--max-attempts 0', args: target('--max-attempts', '0'), line: /--max-attempts must be a whole number of attempts from 1 to 10/ },
  { name: '--max-attempts fractional', args: target('--max-attempts', '2.5'), line: /--max-attempts must be a whole number/ },
  { name: '--max-retention-days negative', args: target('--max-retention-days', '-1'), line: /--max-retention-days must be a whole number of days, 0 or more/ },
  { name: '--engine not a choice (yargs, several lines made one)', args: target('--engine', 'magic'), line: /Invalid values: Argument: engine, Given: "magic", Choices: "auto", "aws", "local"/ },
  { name: '--region unknown', args: target('--region', 'mars-1'), line: /--region is not a known AWS region; use a region code/ },
  { name: '--source-ip not a CIDR', args: target('--source-ip', '300.1.1.1/40'), line: /--source-ip must be an IP address or CIDR/ },
  { name: '--source-vpce malformed', args: target('--source-vpce', 'vpc-123'), line: /--source-vpce must look like vpce-/ },
  { name: '--endpoint-url without a scheme', args: target('--endpoint-url', 'localhost:5000'), line: /--endpoint-url (is not a URL|must start with http)/ },
  { name: '--endpoint-url with a password', args: target('--endpoint-url', 'http://user:secret@127.0.0.1:5000'), line: /--endpoint-url must not contain a user name or password/ },
  { name: 'AWS_ENDPOINT_URL not http(s)', args: target(), env: { AWS_ENDPOINT_URL: 'ftp://127.0.0.1:21' }, line: /^packages-preflight: the environment variable AWS_ENDPOINT_URL must start with http:\/\/ or https:\/\// },
  // Bucket names S3 would reject.
  { name: 'bucket with upper case and underscore', args: withBucket('Ghes_Packages'), line: /--bucket may contain only lower-case letters.*did you mean 'ghes-packages'/ },
  { name: 'bucket too short', args: withBucket('ab'), line: /--bucket must be 3 to 63 characters long/ },
  { name: 'bucket too long', args: withBucket('a'.repeat(64)), line: /--bucket must be 3 to 63 characters long/ },
  { name: 'bucket formatted as an IP address', args: withBucket('192.168.1.1'), line: /--bucket must not be formatted as an IP address/ },
  { name: 'bucket with a reserved prefix', args: withBucket('xn--packages'), line: /--bucket must not start with the reserved prefix 'xn--'/ },
  { name: 'bucket that is an access point alias', args: withBucket('packages-ab12-s3alias'), line: /--bucket must not end with the reserved suffix '-s3alias'/ },
  { name: 'bucket with two adjacent dots', args: withBucket('ghes..packages'), line: /--bucket must not contain two adjacent dots/ },
  { name: 'bucket starting with a hyphen', args: ['check', '--bucket=-packages', '--service-url', URL_OK], line: /--bucket must begin with a letter or digit/ },
  { name: 'bucket ARN with an object key', args: withBucket('arn:aws:s3:::ghes-packages/key'), line: /--bucket must be a bucket ARN, not an object ARN/ },
  { name: 'bucket given as a URL', args: withBucket('https://ghes-packages.s3.amazonaws.com'), line: /--bucket is a URL, not a bucket name/ },
  { name: '--actions-bucket invalid', args: target('--actions-bucket', 'Actions_Bucket'), line: /--actions-bucket may contain only lower-case/ },
  // ARNs.
  { name: 'principal ARN with a short account', args: target('--principal-arn', 'arn:aws:iam::12:user/ghes'), line: /--principal-arn must have a 12-digit account ID/ },
  { name: 'principal ARN that is a bucket ARN', args: target('--principal-arn', 'arn:aws:s3:::ghes-packages'), line: /--principal-arn / },
  { name: 'principal ARN that is not an ARN', args: target('--principal-arn', 'ghes-user'), line: /--principal-arn / },
  { name: 'principal ARN of a policy', args: target('--principal-arn', 'arn:aws:iam::123456789012:policy/ghes'), line: /--principal-arn / },
  // Output.
  { name: 'unknown --format', args: target('--format', 'json,xml'), line: /--format unknown format "xml"; use one or more of json, junit, markdown/ },
  { name: 'empty --format', args: target('--format', ''), line: /--format is empty; e\.g\. --format json,junit,markdown/ },
  { name: '--output-dir under an existing file', args: target('--output-dir', join(aFile, 'reports')), line: /--output-dir .*a-file\.txt\/reports: cannot write there \(ENOTDIR\); choose a folder you can write to/ },
  { name: '--output-dir that is a file', args: target('--output-dir', aFile), line: /--output-dir .*a-file\.txt: cannot write there/ },
  // Node's recursive mkdir never returns under /proc: the folder is checked level by level.
  { name: '--output-dir under /proc fails fast', args: target('--output-dir', '/proc/no-such-dir/reports'), line: /--output-dir \/proc\/no-such-dir\/reports: cannot write there \(E[A-Z]+\); choose a folder you can write to/ },
  // Config files.
  { name: 'config file missing', args: ['check', '--config', join(dir, 'absent.yml')], line: /--config .*absent\.yml: cannot read the file \(no such file\); check the path/ },
  { name: 'config file is a directory', args: ['check', '--config', join(dir, 'a-directory')], line: /cannot read the file \(it is a directory\)/ },
  { name: 'config file invalid YAML', args: ['check', '--config', file('bad.yml', 'bucket: [unclosed\nserviceUrl: x\n')], line: /bad\.yml: not valid YAML or JSON .*; fix the syntax/ },
  { name: 'config file invalid JSON', args: ['check', '--config', file('bad.json', '{"bucket": "ghes-packages",}')], line: /bad\.json: not valid YAML or JSON/ },
  { name: 'config file with an unknown key', args: ['check', '--config', file('typo.yml', `bucket: ${BUCKET}\nserviceUrl: ${URL_OK}\nbuckett: x\n`)], line: /typo\.yml: unknown key "buckett"; valid keys are bucket, serviceUrl/ },
  { name: 'config file with a wrong type', args: ['check', '--config', file('type.yml', `bucket: 42\nserviceUrl: ${URL_OK}\n`)], line: /type\.yml: "bucket" must be a string; e\.g\. bucket: ghes-packages/ },
  { name: 'config file with a list of source IPs of the wrong type', args: ['check', '--config', file('ips.yml', `bucket: ${BUCKET}\nserviceUrl: ${URL_OK}\nsourceIp: 5\n`)], line: /ips\.yml: "sourceIp" must be a list; e\.g\. sourceIp: \[203\.0\.113\.10\/32\]/ },
  { name: 'config file that is a list', args: ['check', '--config', file('list.yml', '- bucket\n')], line: /list\.yml: must hold a mapping of option names to values/ },
  { name: 'config file that is empty', args: ['check', '--config', file('empty.yml', '')], line: /empty\.yml: must hold a mapping/ },
  { name: 'config file with an invalid value', args: ['check', '--config', file('region.yml', `bucket: ${BUCKET}\nserviceUrl: ${URL_OK}\nregion: mars-1\n`)], line: /region\.yml: "region" is not a known AWS region/ },
  { name: 'config file with a service URL that is not a string', args: ['check', '--config', file('url.yml', `bucket: ${BUCKET}\nserviceUrl: [a, b]\n`)], line: /url\.yml: "serviceUrl" must be a string/ },
  // Options that contradict each other.
  { name: '--quiet with --debug', args: target('--quiet', '--debug'), line: /--debug cannot be combined with --quiet .*; drop one of them/ },
  { name: 'quiet in the config file, --debug on the command line', args: ['check', '--config', file('quiet.yml', `bucket: ${BUCKET}\nserviceUrl: ${URL_OK}\nquiet: true\n`), '--debug'], line: /--debug cannot be combined with --quiet/ },
  { name: '--baseline and --write-baseline the same file', args: target('--baseline', join(dir, 'baseline.json'), '--write-baseline', `${dir}/./baseline.json`), line: /--write-baseline names the same file as --baseline .*; write the new baseline to another file/ },
  { name: '--use-ghe-credentials with --profile', args: target('--use-ghe-credentials', '--profile', 'auditor'), line: /--profile cannot be combined with --use-ghe-credentials/ },
  { name: 'waivers file missing', args: target('--waivers', join(dir, 'absent-waivers.yml')), line: /absent-waivers\.yml/ },
  // Credentials.
  { name: 'no AWS credentials at all', args: target(), env: NO_CREDENTIALS, line: /^packages-preflight: no AWS credentials found; set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/ },
  { name: 'a profile that does not exist', args: target('--profile', 'no-such-profile'), env: NO_CREDENTIALS, line: /no AWS credentials could be loaded for profile "no-such-profile" \(--profile\); check the name/ },
  { name: 'input error with --debug is still one line', args: [...withBucket('Bad_Bucket'), '--debug'], line: /^packages-preflight: --bucket may contain only/ },
];

/** A stand-in for every AWS endpoint: counts requests, answers 403 AccessDenied (S3 shape). */
async function countingEndpoint() {
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    req.resume();
    req.on('end', () => {
      const body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>COUNTER-1</RequestId></Error>';
      res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': 'COUNTER-1', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => count,
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('bad input: exit 3, one line, no report, no AWS call', { concurrency: 3 }, () => {
  test('the corpus has at least 40 cases', () => {
    assert.ok(ROWS.length >= 40, `${ROWS.length} rows`);
    assert.equal(new Set(ROWS.map((r) => r.name)).size, ROWS.length, 'row names are unique');
  });

  for (const row of ROWS) {
    test(row.name, async () => {
      const aws = await countingEndpoint();
      try {
        const run = await runCli(row.args, { endpoint: aws.endpoint, env: row.env });
        const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
        const where = `args: ${JSON.stringify(row.args)}\nstderr:\n${run.stderr}\nstdout:\n${run.stdout}`;
        assert.equal(run.code, 3, where);
        assert.equal(lines.length, 1, `exactly one line on stderr\n${where}`);
        assert.match(lines[0], /^packages-preflight: /, where);
        assert.match(lines[0], row.line, where);
        assert.match(lines[0], FIX, `the line says how to fix it\n${where}`);
        assert.doesNotMatch(run.stderr, /^\s+at |Error:|internal error/m, `no stack trace, no internal error\n${where}`);
        assert.equal(run.stdout, '', where);
        assert.deepEqual(Object.keys(run.files), [], 'no report file, not even a partial one');
        assert.equal(aws.count(), 0, `no request reached the AWS endpoint\n${where}`);
      } finally {
        await aws.stop();
      }
    });
  }

  test('an endpoint that refuses connections is not bad input: exit 2, one line saying so, an incomplete report', async () => {
    const port = await freePort();
    const run = await runCli([...target('--endpoint-url', `http://127.0.0.1:${port}`, '--max-attempts', '1')]);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^packages-preflight: no AWS request succeeded \(ECONNREFUSED\): check the network path, --endpoint-url\/AWS_ENDPOINT_URL and proxy settings\.$/m);
    assert.equal(run.json?.verdict, 'incomplete', 'the report does not look complete');
    assert.equal(run.json?.exitCode, 2);
    assert.ok(run.json!.results.some((r) => r.status === 'error' && r.evidence.code === 'ECONNREFUSED'));
    assert.ok(!run.json!.results.some((r) => r.status === 'pass' && ['credentials', 'bucket-reachable', 'bucket-policy', 'iam-simulation'].includes(r.check)));
    assertReadOnly(run.json);
  });

  // Service URLs GHES could never use are what the tool exists to catch: a `service-url` fail with the
  // fix in every report, the other checks run (the endpoint saw requests), exit 1. Not exit 3.
  const UNUSABLE: Array<[string, string[], RegExp]> = [
    ['without a scheme', withUrl('s3.us-east-1.amazonaws.com'), /must be an absolute URL with a scheme/],
    ['with ftp://', withUrl('ftp://s3.us-east-1.amazonaws.com'), /must use https:\/\//],
    ['with the bucket in the host', withUrl(`https://${BUCKET}.s3.us-east-1.amazonaws.com`), /must not contain the bucket name \(found 'ghes-packages' in the host\); use https:\/\/s3\.us-east-1\.amazonaws\.com/],
    ['with the bucket in the path', withUrl(`${URL_OK}/${BUCKET}`), /must not contain the bucket name .* in the path/],
    ['with a query string', withUrl(`${URL_OK}?versionId=1`), /must not have a query string/],
    ['with user info', withUrl('https://AKIAIOSFODNN7EXAMPLE:x@s3.us-east-1.amazonaws.com'), /must not contain a user name or password/],
    ['with a unicode host', withUrl('https://s3.üs-east-1.amazonaws.com'), /must have an ASCII host name/],
    ['that is not a URL', withUrl('the S3 endpoint'), /must not contain spaces/],
    ['naming an unknown region', withUrl('https://s3.us-mars-1.amazonaws.com'), /unknown AWS Region 'us-mars-1'/],
    ['that is a website endpoint', withUrl('https://s3-website-us-east-1.amazonaws.com'), /static website endpoint/],
    ['of a non-S3 AWS service', withUrl('https://ec2.us-east-1.amazonaws.com'), /is AWS service 'ec2'/],
    // One argument is limited to 128 KiB by the kernel: the 160,000 characters come from a file.
    ['of 160,000 characters (bounded before any parsing)', ['check', '--config', file('long-url.yml', `bucket: ${BUCKET}\nserviceUrl: https://s3.us-east-1.amazonaws.com/${'a'.repeat(160_000)}\n`)], /is 160035 characters long/],
    ['missing altogether', ['check', '--bucket', BUCKET], /No service URL was given/],
    ['from a config file', ['check', '--config', file('bad-url.yml', `bucket: ${BUCKET}\nserviceUrl: https://${BUCKET}.s3.amazonaws.com\n`)], /must not contain the bucket name/],
  ];
  for (const [label, args, message] of UNUSABLE) {
    test(`service URL ${label}: a service-url fail with the fix in every report, the other checks run, exit 1`, async () => {
      const aws = await countingEndpoint();
      try {
        const started = performance.now();
        const run = await runCli([...args, '--max-attempts', '1'], { endpoint: aws.endpoint });
        const where = `stderr:\n${run.stderr}\nstdout:\n${run.stdout.slice(0, 2000)}`;
        assert.equal(run.code, 1, where);
        assert.ok(performance.now() - started < 30_000, 'bounded: no quadratic parsing');
        const form = run.json!.results.find((r) => r.check === 'service-url' && r.subject === 'endpoint-form')!;
        assert.equal(form.status, 'fail', where);
        assert.match(form.message, message);
        assert.match(form.remediation, /Set the GHES "AWS Service URL" to https:\/\/s3\./);
        assert.deepEqual(run.json!.results.filter((r) => r.check === 'service-url').map((r) => r.subject), ['https', 'endpoint-form', 'region']);
        assert.ok(run.json!.results.some((r) => r.check === 'bucket-policy'), 'the other checks ran');
        assert.ok(aws.count() > 0, 'the run went on to AWS');
        assert.match(run.junitText ?? '', /classname="service-url" name="endpoint-form"[^>]*>\s*<failure/);
        assert.match(run.markdown ?? '', /Set the GHES "AWS Service URL" to/);
        assert.ok(!`${run.stdout}${run.stderr}${Object.values(run.files).join('')}`.includes('a'.repeat(300)), 'a pasted blob is not repeated');
        assert.ok(!Object.values(run.files).join('').includes('AKIAIOSFODNN7EXAMPLE:x@'), 'credentials in the URL are never repeated');
      } finally {
        await aws.stop();
      }
    });
  }

  // IP hosts, ports, http and custom hosts are how MinIO is reached: findings of the service-url check.
  const MINIO: Array<[string, string]> = [
    ['an IPv4 host with a port', 'https://10.0.0.5:9000'],
    ['http with a port', 'http://minio.internal:9000'],
    ['an IPv6 host with a port', 'https://[2001:db8::1]:9000'],
    ['a custom host name', 'https://minio.example.com'],
  ];
  for (const [label, url] of MINIO) {
    test(`service URL with ${label} (${url}) is a service-url finding, not an input error`, async () => {
      const aws = await countingEndpoint();
      try {
        const run = await runCli([...withUrl(url), '--max-attempts', '1'], { endpoint: aws.endpoint });
        assert.notEqual(run.code, 3, run.stderr);
        assert.ok(run.code === 1 || run.code === 2, `exit ${run.code}\n${run.stderr}`);
        const results = run.json?.results.filter((r) => r.check === 'service-url') ?? [];
        assert.ok(results.length > 0, `service-url results:\n${run.stdout}`);
        assert.ok(results.some((r) => r.status !== 'pass'), `a finding (warn, fail or skip) about ${url}:\n${results.map((r) => `${r.status} [${r.subject}] ${r.message}`).join('\n')}`);
        assert.ok(aws.count() > 0, 'the run went on to AWS');
        assertReadOnly(run.json);
      } finally {
        await aws.stop();
      }
    });
  }
});
