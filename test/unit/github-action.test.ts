import assert from 'node:assert/strict';
import { test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ACTION_INPUTS, actionRun, annotations, argsFromInputs, cappedAnnotations, FLAGS_WITHOUT_INPUT, jobSummary, notAnnotatedNote, STORAGE_ONLY_INPUTS, stepOutputs } from '../../src/action/github.ts';
import type { Result } from '../../src/model.ts';
import { DEFAULT_FORMATS } from '../../src/report/formats.ts';
import { buildReport } from '../../src/report/report.ts';

const result = (status: Result['status'], message = 'm'): Result => ({ check: 'bucket-acl', subject: 'b', status, severity: 'high', title: 't', message, evidence: {}, remediation: 'do x', references: [], durationMs: 0 });
const report = (results: Result[]) => buildReport({ tool: { name: 't', version: '0' }, pack: 'ghes-s3', target: {}, startedAt: new Date(0), finishedAt: new Date(0), results, apiCalls: [] });

test('annotations: error for fail, warning for warn and not-evaluated, nothing for pass/skip', () => {
  assert.deepEqual(annotations(report([result('fail', 'public'), result('warn', 'w'), result('error', 'e'), result('pass'), result('skip')])), [
    '::error title=bucket-acl [b]::public Fix: do x',
    '::warning title=bucket-acl [b]::w Fix: do x',
    '::warning title=bucket-acl [b] not evaluated::e Fix: do x',
  ]);
});

test('annotations: workflow-command characters are escaped; control characters are shown, not acted on', () => {
  const r = { ...result('fail', '100% public\nsee: a,b\x1b[2J'), subject: 'a:b,c\r\n::stop-commands::x' };
  assert.deepEqual(annotations(report([r])), ['::error title=bucket-acl [a%3Ab%2Cc\\r\\n%3A%3Astop-commands%3A%3Ax]::100%25 public\\nsee: a,b\\u001b[2J Fix: do x']);
});

test('job summary: unchanged under the limit; cut at a line with a note over it', () => {
  assert.equal(jobSummary('# small\n', 'r.md', 100), '# small\n');
  const big = Array.from({ length: 50 }, (_, i) => `line ${i} ${'é'.repeat(20)}`).join('\n');
  const out = jobSummary(big, 'reports/packages-preflight.md', 1000);
  assert.ok(Buffer.byteLength(out) <= 1000, `summary is ${Buffer.byteLength(out)} bytes`);
  assert.match(out, /The report was truncated to fit the 1 KiB job-summary limit\.\*\* The full report is reports\/packages-preflight\.md/);
  assert.ok(!out.includes('\uFFFD'));
  const body = out.split('\n\n---\n')[0];
  assert.ok(big.startsWith(body) && body.split('\n').every((l) => /^line \d+ é{20}$/.test(l)), 'cut at a whole line');
});

test('step outputs: simple and multi-line values', () => {
  assert.equal(stepOutputs({ verdict: 'compliant', 'report-path': 'reports/p.json' }), 'verdict=compliant\nreport-path=reports/p.json\n');
  assert.equal(stepOutputs({ x: 'a\nb' }), 'x<<__PREFLIGHT_EOF__\na\nb\n__PREFLIGHT_EOF__\n');
});

test('inputs become CLI arguments; defaults for format and output dir', () => {
  assert.deepEqual(argsFromInputs({ INPUT_BUCKET: 'pkg', 'INPUT_SERVICE-URL': 'https://s3.us-east-1.amazonaws.com', 'INPUT_SOURCE-IP': '203.0.113.0/24, 198.51.100.7', INPUT_PROBE: 'false' }), [
    'check', '--bucket', 'pkg', '--service-url', 'https://s3.us-east-1.amazonaws.com', '--source-ip', '203.0.113.0/24', '--source-ip', '198.51.100.7', '--format', 'json,junit,markdown,html', '--output-dir', 'reports',
  ]);
});

test('inputs: probe, endpoint-url, booleans; JSON is always requested (the outputs and summary are made from it); soft-fail is the Action\'s own', () => {
  const run = actionRun({ INPUT_BUCKET: 'pkg', 'INPUT_ENDPOINT-URL': 'http://127.0.0.1:9', INPUT_PROBE: 'true', INPUT_DEBUG: 'false', INPUT_FORMAT: 'junit', 'INPUT_SOFT-FAIL': 'true' });
  assert.deepEqual(run.args, ['check', '--bucket', 'pkg', '--endpoint-url', 'http://127.0.0.1:9', '--format', 'json,junit', '--output-dir', 'reports', '--probe']);
  assert.equal(run.softFail, true);
  assert.deepEqual(actionRun({ INPUT_FORMAT: 'markdown , json' }).formats, ['markdown', 'json']);
});

const actionYml = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string } };

test('action.yml declares exactly the inputs the code reads, and the outputs it writes', () => {
  assert.deepEqual(Object.keys(actionYml.inputs).sort(), Object.keys(ACTION_INPUTS).sort());
  assert.deepEqual(Object.keys(actionYml.outputs).sort(), ['exit-code', 'html-file', 'junit-path', 'report-path', 'sarif-file', 'verdict']);
  const code = readFileSync(new URL('../../src/action/main.ts', import.meta.url), 'utf8');
  for (const output of Object.keys(actionYml.outputs)) assert.ok(code.includes(`'${output}'`) || code.includes(`${output}:`), `main.ts writes ${output}`);
});

test('the format input defaults to the CLI\'s DEFAULT_FORMATS (the same reports with or without the Action)', () => {
  assert.equal((actionYml.inputs.format as { default: string }).default, DEFAULT_FORMATS.join(','));
});

test('every flag of `check` and `actions` has an input, unless FLAGS_WITHOUT_INPUT says why not; storage-only inputs are flags of their command only', () => {
  const flagsOf = (command: string): Set<string> => {
    const help = spawnSync(process.execPath, [new URL('../../src/cli/main.ts', import.meta.url).pathname, command, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    const flags = new Set([...help.stdout.matchAll(/^\s+--([a-z][a-z-]*)/gm)].map((m) => m[1]));
    for (const f of ['help', 'version']) flags.delete(f);
    for (const f of flags) if (f.startsWith('no-') && flags.has(f.slice(3))) flags.delete(f); // yargs lists --no-color beside --color
    return flags;
  };
  const byStorage = { packages: flagsOf('check'), actions: flagsOf('actions') };
  assert.ok(byStorage.packages.has('bucket') && byStorage.packages.has('probe'), [...byStorage.packages].join(' '));
  assert.ok(byStorage.actions.has('role-arn') && byStorage.actions.has('packages-bucket'), [...byStorage.actions].join(' '));
  const inputs = Object.entries(ACTION_INPUTS).filter(([, kind]) => kind !== 'action').map(([name]) => name);
  for (const [storage, flags] of Object.entries(byStorage)) {
    assert.deepEqual([...flags].filter((f) => !inputs.includes(f) && !(f in FLAGS_WITHOUT_INPUT)), [], `flags of storage ${storage} without an input`);
    const expected = inputs.filter((i) => (STORAGE_ONLY_INPUTS[i] ?? storage) === storage);
    assert.deepEqual(expected.filter((i) => !flags.has(i)), [], `inputs of storage ${storage} that are no flag of its command`);
  }
  for (const [input, storage] of Object.entries(STORAGE_ONLY_INPUTS)) assert.ok(!byStorage[storage === 'actions' ? 'packages' : 'actions'].has(input), `${input} is a flag of both commands`);
});

test('storage: actions runs the actions command with its inputs; a storage-only input of the other command is bad input', () => {
  const env = (inputs: Record<string, string>) => Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
  const oidc = actionRun(env({ storage: 'actions', bucket: 'ghes-actions', region: 'us-west-2', 'role-arn': 'arn:aws:iam::123456789012:role/ghes-actions', 'ghes-host': 'ghes.example.com', 'packages-bucket': 'ghes-packages' }));
  assert.equal(oidc.problem, undefined);
  assert.deepEqual(oidc.args.slice(0, 1), ['actions']);
  for (const pair of [['--bucket', 'ghes-actions'], ['--role-arn', 'arn:aws:iam::123456789012:role/ghes-actions'], ['--ghes-host', 'ghes.example.com'], ['--packages-bucket', 'ghes-packages']]) {
    assert.ok(oidc.args.join(' ').includes(pair.join(' ')), `${pair[0]} in ${oidc.args.join(' ')}`);
  }
  assert.equal(actionRun(env({ bucket: 'ghes-packages' })).args[0], 'check');
  assert.match(actionRun(env({ bucket: 'ghes-packages', 'role-arn': 'arn:aws:iam::123456789012:role/x' })).problem ?? '', /the role-arn input is for storage: actions; add "storage: actions"/);
  assert.match(actionRun(env({ storage: 'actions', bucket: 'a', 'actions-bucket': 'b' })).problem ?? '', /the actions-bucket input is for storage: packages/);
  assert.match(actionRun(env({ storage: 'pages', bucket: 'a' })).problem ?? '', /must be packages \(the default\) or actions, got "pages"/);
});

test('annotations: most severe first; at most 10 errors and 10 warnings, and the summary says how many more', () => {
  const sev = (severity: Result['severity'], status: Result['status'], i: number): Result => ({ ...result(status, `${severity}-${i}`), severity, subject: `s${i}` });
  const results = [
    ...Array.from({ length: 12 }, (_, i) => sev('low', 'fail', i)),
    ...Array.from({ length: 3 }, (_, i) => sev('critical', 'fail', i)),
    ...Array.from({ length: 11 }, (_, i) => sev('medium', 'warn', i)),
    sev('high', 'error', 99),
  ];
  const all = annotations(report(results));
  assert.match(all[0], /::error .*::critical-0/);
  const { lines, notAnnotated } = cappedAnnotations(report(results));
  assert.equal(lines.filter((l) => l.startsWith('::error')).length, 10);
  assert.equal(lines.filter((l) => l.startsWith('::warning')).length, 10);
  assert.equal(notAnnotated, 5 + 2);
  assert.ok(lines.some((l) => /::warning title=bucket-acl \[s99\] not evaluated::high-99/.test(l)), 'the high-severity error comes before medium warnings');
  assert.equal(lines.filter((l) => /::critical-/.test(l)).length, 3);
  assert.match(notAnnotatedNote(notAnnotated), /7 findings were not annotated.*at most 10 error and 10 warning annotations per step/);
  assert.equal(notAnnotatedNote(0), '');
});
