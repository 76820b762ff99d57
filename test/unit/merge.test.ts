// Saved reports read back (`report --from`) and merged (`report merge`): only intact reports of
// this tool, a verdict that follows from the results, one pack and version, every target once,
// every shard present.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { UsageError } from '../../src/config/options.ts';
import type { Result, Status } from '../../src/model.ts';
import { mergeReports, parseReport, readReport } from '../../src/report/merge.ts';
import { buildReport, combineTargets, type Report, type TargetReport, targetsOf } from '../../src/report/report.ts';

const TOOL = { name: 'packages-preflight', version: '0.1.0' };
const T0 = new Date('2026-01-01T10:00:00Z');
const T1 = new Date('2026-01-01T10:00:05Z');

const result = (check: string, status: Status, subject = 'b'): Result => ({
  check,
  subject,
  status,
  severity: 'high',
  title: check,
  message: `${check} ${status}`,
  evidence: { api: 's3:HeadBucket' },
  remediation: 'fix',
  references: [],
  durationMs: 3,
});

const single = (bucket: string, statuses: Status[], at = T0): Report =>
  buildReport({ tool: TOOL, pack: 'ghes-s3', target: { bucket }, startedAt: at, finishedAt: new Date(at.getTime() + 1000), results: statuses.map((s, i) => result(`c${i}`, s, bucket)), apiCalls: [{ service: 's3', operation: 'HeadBucket', resource: `arn:aws:s3:::${bucket}`, outcome: 'ok', durationMs: 4 }] });

const fleet = (reports: Report[], extra: Record<string, unknown> = {}): Report => {
  const r = combineTargets({ tool: TOOL, pack: 'ghes-s3', startedAt: T0, finishedAt: T1 }, reports.flatMap(targetsOf));
  r.target = { ...r.target, ...extra };
  return r;
};

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const usage = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.match(e.message, message);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });

test('an intact single or fleet report reads back unchanged (unknown fields kept)', () => {
  const one = single('pkg-a', ['pass', 'fail']);
  assert.deepEqual(parseReport(clone(one), 'a.json'), one);
  const many = fleet([single('pkg-a', ['pass']), single('pkg-b', ['error'])]);
  const withExtra = { ...clone(many), futureField: { x: 1 } };
  assert.deepEqual(parseReport(withExtra, 'f.json'), withExtra);
});

const broken: Array<{ name: string; edit: (r: Report & Record<string, unknown>) => unknown; error: RegExp }> = [
  { name: 'not an object', edit: () => [1], error: /^a\.json: not a packages-preflight JSON report/ },
  { name: 'another schema version', edit: (r) => ({ ...r, schemaVersion: 2 }), error: /^a\.json: schemaVersion 2 is not supported \(this packages-preflight reads 1\)/ },
  { name: 'no schema version', edit: (r) => ({ ...r, schemaVersion: undefined }), error: /^a\.json: schemaVersion null is not supported/ },
  { name: 'another tool', edit: (r) => ({ ...r, tool: { name: 'other', version: '1' } }), error: /^a\.json: "tool\.name" .*not an intact packages-preflight report/ },
  { name: 'a result without status', edit: (r) => ({ ...r, results: [{ ...r.results[0], status: undefined }] }), error: /^a\.json: "results\.0\.status" / },
  { name: 'an unknown status', edit: (r) => ({ ...r, results: [{ ...r.results[0], status: 'ok' }] }), error: /^a\.json: "results\.0\.status" / },
  { name: 'a bad time', edit: (r) => ({ ...r, startedAt: 'yesterday' }), error: /^a\.json: "startedAt" must be an ISO 8601 time/ },
  { name: 'verdict edited to compliant', edit: (r) => ({ ...r, verdict: 'compliant', exitCode: 0 }), error: /^a\.json: verdict "compliant" \(exit 0\) does not follow from its results \(1 pass, 1 fail: "non-compliant", exit 1\); the file was edited or damaged/ },
  { name: 'every result removed, summary and verdict made to match (would re-render as compliant)', edit: (r) => ({ ...r, results: [], summary: { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 }, verdict: 'compliant', exitCode: 0 }), error: /^a\.json: it holds no results .*; the file was edited or damaged/ },
  { name: 'a fail turned into a pass, summary kept', edit: (r) => ({ ...r, results: r.results.map((x) => ({ ...x, status: 'pass' })) }), error: /^a\.json: summary \(1 pass, 1 fail\) does not match its results \(2 pass\)/ },
];
for (const c of broken) {
  test(`refused: ${c.name}`, () => usage(() => parseReport(c.edit(clone(single('pkg-a', ['pass', 'fail'])) as Report & Record<string, unknown>), 'a.json'), c.error));
}

test('refused: a fleet whose target verdict, fleet verdict or names were edited', () => {
  const many = fleet([single('pkg-a', ['pass']), single('pkg-b', ['fail'])]);
  const t1 = clone(many);
  t1.targets![1].verdict = 'compliant';
  t1.targets![1].exitCode = 0;
  usage(() => parseReport(t1, 'f.json'), /^f\.json: targets\[1\] \(name "pkg-b"\): verdict "compliant" \(exit 0\) does not follow/);
  const t2 = clone(many);
  t2.verdict = 'compliant';
  t2.exitCode = 0;
  usage(() => parseReport(t2, 'f.json'), /^f\.json: the fleet verdict "compliant" is not its worst target's \("non-compliant"\)/);
  const t3 = clone(many);
  t3.targets![1].name = 'pkg-a';
  usage(() => parseReport(t3, 'f.json'), /^f\.json: targets\[1\] repeats the target name "pkg-a"/);
  const t4 = clone(fleet([single('pkg-a', ['pass']), single('pkg-b', ['pass'])]));
  t4.targets![1] = { ...t4.targets![1], results: [], summary: { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 } };
  t4.results = t4.results.slice(0, 1);
  t4.summary = { ...t4.summary, pass: 1 };
  usage(() => parseReport(t4, 'f.json'), /^f\.json: targets\[1\] \(name "pkg-b"\) holds no results/);
  usage(() => parseReport(clone(fleet([])), 'f.json'), /^f\.json: the fleet report holds no targets/);
  assert.equal(parseReport(clone(fleet([], { shard: '2/2', fleetTargets: 1 })), 's.json').targets!.length, 0, 'an empty shard reads back, for the merge');
});

test('merge: targets sorted by name, worst verdict, earliest start and latest finish, no shard marks', () => {
  const a = single('pkg-b', ['pass', 'warn'], new Date('2026-01-01T09:00:00Z'));
  const b = fleet([single('pkg-c', ['error']), single('pkg-a', ['pass'])]);
  const merged = mergeReports([{ label: 'a.json', report: a }, { label: 'b.json', report: b }]);
  assert.deepEqual(merged.targets!.map((t) => [t.name, t.verdict]), [['pkg-a', 'compliant'], ['pkg-b', 'compliant'], ['pkg-c', 'incomplete']]);
  assert.equal(merged.verdict, 'incomplete');
  assert.equal(merged.exitCode, 2);
  assert.equal(merged.startedAt, '2026-01-01T09:00:00.000Z');
  assert.equal(merged.finishedAt, T1.toISOString());
  assert.deepEqual(merged.target, { fleet: true, targets: 3 });
  assert.deepEqual(merged.summary, { pass: 2, fail: 0, warn: 1, error: 1, skip: 0 });
  assert.equal(merged.apiCalls.length, 3);
  assert.deepEqual(parseReport(clone(merged), 'merged'), merged, 'a merged report is itself intact');
});

test('merge: shards of one run combine into what the unsharded run would report', () => {
  const targets = ['a', 'b', 'c', 'd'].map((n, i) => single(`pkg-${n}`, [i === 2 ? 'fail' : 'pass']));
  const whole = fleet(targets);
  const s1 = fleet([targets[0], targets[3]], { shard: '1/2', fleetTargets: 4 });
  const s2 = fleet([targets[1], targets[2]], { shard: '2/2', fleetTargets: 4 });
  const merged = mergeReports([{ label: 's2', report: s2 }, { label: 's1', report: s1 }]);
  const { startedAt: _a, finishedAt: _b, ...rest } = merged;
  const { startedAt: _c, finishedAt: _d, ...expected } = whole;
  assert.deepEqual(clone(rest), clone(expected));
});

test('merge: an empty shard is fine; refused are mixed packs or versions, a target twice, missing or foreign shards', () => {
  const a = single('pkg-a', ['pass']);
  const b = single('pkg-b', ['pass']);
  const empty = fleet([], { shard: '2/2', fleetTargets: 1 });
  assert.equal(mergeReports([{ label: 's1', report: fleet([a], { shard: '1/2', fleetTargets: 1 }) }, { label: 's2', report: empty }]).targets!.length, 1);
  usage(() => mergeReports([]), /give at least one JSON report/);
  usage(() => mergeReports([{ label: 'a.json', report: a }, { label: 'c.json', report: { ...b, pack: 'codeartifact' } }]), /^report merge: c\.json is pack "codeartifact", a\.json is pack "ghes-s3"; merge reports of one pack/);
  usage(() => mergeReports([{ label: 'a.json', report: a }, { label: 'b.json', report: { ...b, tool: { ...TOOL, version: '0.2.0' } } }]), /b\.json was written by packages-preflight 0\.2\.0, a\.json by 0\.1\.0/);
  usage(() => mergeReports([{ label: 'a.json', report: a }, { label: 'again.json', report: fleet([a]) }]), /^report merge: target "pkg-a" is in both a\.json and again\.json/);
  usage(() => mergeReports([{ label: 's1', report: fleet([a], { shard: '1/3', fleetTargets: 3 }) }, { label: 's3', report: fleet([b], { shard: '3/3', fleetTargets: 3 }) }]), /^report merge: shard 2\/3 missing; a merge without every shard would leave targets unchecked/);
  usage(() => mergeReports([{ label: 's1', report: fleet([a], { shard: '1/2', fleetTargets: 2 }) }, { label: 'x2', report: fleet([b], { shard: '2/3', fleetTargets: 2 }) }]), /x2 is shard 2\/3 .* merge the shards of one run/);
  usage(() => mergeReports([{ label: 's1', report: fleet([a], { shard: '1/2', fleetTargets: 5 }) }, { label: 's2', report: fleet([b], { shard: '2/2', fleetTargets: 5 }) }]), /the shards hold 2 targets, their fleet has 5/);
});

test('readReport: missing file and invalid JSON are one line naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-merge-'));
  usage(() => readReport(join(dir, 'nope.json'), '--from nope.json'), /^--from nope\.json: cannot read the file \(no such file\)/);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{ "schemaVersion": 1, ');
  usage(() => readReport(bad, '--from bad.json'), /^--from bad\.json: not valid JSON/);
  const good = join(dir, 'good.json');
  const report = single('pkg-a', ['pass']);
  writeFileSync(good, JSON.stringify(report));
  assert.deepEqual(readReport(good), report);
  assert.deepEqual((readReport(good) as Report & { targets?: TargetReport[] }).targets, undefined);
});

test('a codeartifact report with its access matrix reads back; a malformed matrix is one line, not a crash in the renderer', () => {
  const cell = { decision: 'allow', statements: ['domain policy Sid "T"'], actions: [] };
  const matrix = { domain: 'corp', owner: null, principals: ['p'], repositories: ['app'], rows: [{ principal: 'p', kind: 'account', crossAccount: true, accounts: [], orgIds: [], repository: 'app', read: cell, publish: cell, admin: cell }], unreadable: [], identitySide: 'i', interaction: 'x' };
  const report = { ...single('corp', ['pass']), pack: 'codeartifact', accessMatrix: matrix };
  assert.deepEqual(parseReport(clone(report), '--from r.json').accessMatrix, matrix);
  usage(() => parseReport({ ...clone(report), accessMatrix: { ...matrix, rows: 5 } }, '--from r.json'), /^--from r\.json: .*accessMatrix/);
  usage(() => parseReport({ ...clone(report), accessMatrix: { ...matrix, rows: [{ ...matrix.rows[0], read: { decision: 'perhaps', statements: [] } }] } }, '--from r.json'), /accessMatrix/);
});
