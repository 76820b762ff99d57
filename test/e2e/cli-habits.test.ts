// Issue 15 item 13, CLI habits, through the built CLI without AWS (codeartifact --policy-file is
// offline): list options take commas and repeats, --stdout / --output - pipe one report, `checks`
// lists every check, `completion --help` and `policy --help` say what those commands do and exit
// with, FORCE_COLOR is honoured, and a fleet shows a progress line per target in a CI log.
// (Mistyped and repeated flags and --output-dir under /proc are rows of bad-input.test.ts.)

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { codeArtifactChecks } from '../../checks/codeartifact/index.ts';
import { ghesActionsChecks } from '../../checks/ghes-actions-s3/index.ts';
import { ghesS3Checks } from '../../checks/ghes-s3/index.ts';
import { FORMATS, REPORT_FORMATS } from '../../src/report/formats.ts';
import type { Report } from '../../src/report/report.ts';
import { runCli } from './cli.ts';

const fixture = (name: string) => new URL(`../fixtures/codeartifact/${name}`, import.meta.url).pathname;
const OFFLINE = ['codeartifact', '--domain', 'packages', '--domain-owner', '111122223333', '--region', 'eu-west-1', '--policy-file', fixture('seed-organization.json')];
const NO_CREDENTIALS = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' };
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;

describe('CLI habits', { concurrent: true }, () => {
  test('--format json --stdout and --format json --output -: the report alone on stdout, no file written', async () => {
    for (const flag of [['--stdout'], ['--output', '-']]) {
      const run = await runCli([...OFFLINE, '--format', 'json', ...flag], { env: NO_CREDENTIALS, noOutputDir: true, outputDir: mkdtempSync(join(tmpdir(), 'preflight-stdout-')) });
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout) as Report;
      assert.equal(report.pack, 'codeartifact');
      assert.deepEqual(Object.keys(run.files), [], 'no report file');
      assert.match(run.stderr, /compliant/i, 'the summary goes to stderr');
    }
  });

  test('--stdout works for every format in the table: standard output carries the same bytes as the file', async () => {
    const saved = new URL('../fixtures/reports/fleet-run.json', import.meta.url).pathname;
    for (const format of FORMATS) {
      const piped = await runCli(['report', '--from', saved, '--format', format, '--stdout'], { noOutputDir: true, outputDir: mkdtempSync(join(tmpdir(), 'preflight-stdout-')) });
      const written = await runCli(['report', '--from', saved, '--format', format]);
      assert.equal(written.files[REPORT_FORMATS[format].file].length > 0, true, format);
      assert.equal(piped.stdout, written.files[REPORT_FORMATS[format].file], `--format ${format} --stdout differs from the file`);
      assert.equal(piped.code, written.code, format);
    }
  });

  test('list options: comma-separated and repeated both work (--format, --allowed-accounts, --source-ip)', async () => {
    const repeated = await runCli([...OFFLINE, '--format', 'json', '--format', 'junit,markdown', '--allowed-accounts', '111111111111,222222222222', '--allowed-accounts', '333333333333'], { env: NO_CREDENTIALS });
    assert.equal(repeated.code === 0 || repeated.code === 1, true, repeated.stderr);
    assert.deepEqual(Object.keys(repeated.files).sort(), ['packages-preflight.json', 'packages-preflight.junit.xml', 'packages-preflight.md']);
    assert.deepEqual(repeated.json!.target.allowedAccounts, ['111111111111', '222222222222', '333333333333']);
    const policy = await runCli(['policy', 'bucket', '--bucket', 'ghes-packages', '--principal-arn', 'arn:aws:iam::123456789012:user/ghes', '--source-ip', '203.0.113.0/24,198.51.100.7/32', '--source-ip', '192.0.2.1/32'], { noOutputDir: true });
    assert.equal(policy.code, 0, policy.stderr);
    for (const cidr of ['203.0.113.0/24', '198.51.100.7/32', '192.0.2.1/32']) assert.ok(policy.stdout.includes(cidr), `${cidr} in\n${policy.stdout}`);
  });

  test('`checks` lists every check with id, title, severity and pack; --format json too', async () => {
    const all = [
      ...ghesS3Checks.map((c) => ({ id: c.id, title: c.title, severity: c.severity, pack: 'ghes-s3' })),
      ...ghesActionsChecks.map((c) => ({ id: c.id, title: c.title, severity: c.severity, pack: 'ghes-actions-s3' })),
      ...codeArtifactChecks.map((c) => ({ id: c.id, title: c.title, severity: c.severity, pack: 'codeartifact' })),
    ];
    assert.ok(all.some((c) => c.id === 'oidc-trust' && c.pack === 'ghes-actions-s3'), 'the OpenID Connect checks are listed in the Actions pack');
    const json = await runCli(['checks', '--format', 'json'], { noOutputDir: true });
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), all);
    const text = await runCli(['checks'], { noOutputDir: true });
    assert.equal(text.code, 0, text.stderr);
    for (const c of all) assert.match(text.stdout, new RegExp(`^${c.id} +${c.severity} +${c.pack} +${c.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    // The table in the chosen language (titles from the checks' catalogs), columns by display width.
    const zh = await runCli(['checks', '--lang', 'zh-CN'], { noOutputDir: true });
    assert.match(zh.stdout, /^ID +严重性 +检查包 +标题$/m);
    assert.match(zh.stdout, /^bucket-reachable +严重 +ghes-s3 +\S*存储桶/m);
  });

  test('`completion --help` prints help, `completion` the script', async () => {
    const help = await runCli(['completion', '--help'], { noOutputDir: true });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /packages-preflight completion/);
    assert.doesNotMatch(help.stdout, /begin-packages-preflight-completions/);
    const script = await runCli(['completion'], { noOutputDir: true });
    assert.equal(script.code, 0, script.stderr);
    assert.match(script.stdout, /begin-packages-preflight-completions/);
  });

  test('`policy --help` and `codeartifact policy --help` list their own exit codes, not the checks\'', async () => {
    for (const args of [['policy', '--help'], ['codeartifact', 'policy', '--help']]) {
      const help = await runCli(args, { noOutputDir: true });
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /0 {2}printed on standard output/, args.join(' '));
      assert.match(help.stdout, /3 {2}bad input or usage: nothing was printed/);
      assert.doesNotMatch(help.stdout, /non-compliant/, `${args.join(' ')} prints no policy verdict codes`);
    }
  });

  test('FORCE_COLOR colours the summary when stdout is not a terminal; FORCE_COLOR=0 and --no-color do not', async () => {
    const on = await runCli(OFFLINE, { env: { ...NO_CREDENTIALS, FORCE_COLOR: '1' } });
    assert.match(on.stdout, ANSI);
    const over = await runCli(OFFLINE, { env: { ...NO_CREDENTIALS, FORCE_COLOR: '1', NO_COLOR: '1' } });
    assert.match(over.stdout, ANSI, 'FORCE_COLOR wins over NO_COLOR');
    for (const [env, extra] of [[{ FORCE_COLOR: '0' }, []], [{ FORCE_COLOR: '1' }, ['--no-color']], [{}, []]] as const) {
      const off = await runCli([...OFFLINE, ...extra], { env: { ...NO_CREDENTIALS, ...env } });
      assert.doesNotMatch(off.stdout, ANSI, JSON.stringify(env) + extra.join(' '));
    }
  });

  test('fleet: a progress line per finished target on stderr in a CI log (not a terminal); --quiet silences it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-progress-'));
    const file = join(dir, 'fleet.json');
    writeFileSync(file, JSON.stringify({ defaults: { serviceUrl: 'https://s3.us-east-1.amazonaws.com' }, targets: [{ name: 'one', bucket: 'bucket-one' }, { name: 'two', bucket: 'bucket-two' }] }));
    // Nothing listens on port 9: every target is incomplete at once, which is all progress needs.
    const run = await runCli(['fleet', '--targets', file, '--max-attempts', '1', '--endpoint-url', 'http://127.0.0.1:9']);
    assert.equal(run.code, 2, run.stderr);
    const lines = run.stderr.split('\n').filter((l) => /^packages-preflight: \[\d\/2\] /.test(l));
    assert.equal(lines.length, 2, run.stderr);
    assert.match(lines.join('\n'), /\[1\/2\] (one|two): incomplete/);
    assert.ok(!run.stderr.includes('\r') && !run.stderr.includes('\u001b[K'), 'no terminal control sequences in a log');
    const quiet = await runCli(['fleet', '--targets', file, '--max-attempts', '1', '--endpoint-url', 'http://127.0.0.1:9', '--quiet']);
    assert.doesNotMatch(quiet.stderr, /\[\d\/2\]/);
  });
});
