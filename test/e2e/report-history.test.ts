// `report history` through the built CLI, with no AWS at all (the endpoint is a closed port): a
// folder of nightly reports renders HTML, Markdown and CSV; bad input is one line and exit 3.

import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { FLEET_RUN } from '../harness/html.ts';
import { runCli } from './cli.ts';

function archive(): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-history-'));
  for (const [i, day] of ['2027-01-01', '2027-01-02'].entries()) {
    mkdirSync(join(dir, 'nightly', day), { recursive: true });
    writeFileSync(join(dir, 'nightly', day, 'packages-preflight.json'), JSON.stringify({ ...FLEET_RUN, startedAt: `${day}T02:00:0${i}.000Z`, finishedAt: `${day}T02:01:00.000Z` }));
  }
  return dir;
}

describe('report history (CLI)', () => {
  test('a folder of nightly reports: HTML, Markdown and CSV written, exit 0, no AWS request', async () => {
    const dir = archive();
    const run = await runCli(['report', 'history', join(dir, 'nightly'), '--format', 'html,markdown,csv', '--output-dir', join(dir, 'out')]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(Object.keys(run.files).sort(), ['packages-preflight-history.csv', 'packages-preflight-history.html', 'packages-preflight-history.md']);
    assert.match(run.stdout, /^History of 2 run\(s\): /);
    assert.match(run.files['packages-preflight-history.html'], /2 run\(s\) from 2027-01-01 02:00 UTC to 2027-01-02 02:00 UTC; 3 target\(s\)/);
  });

  test('written like every report: a symlink at a history file name is refused (exit 3, one line), never followed', async () => {
    const dir = archive();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me');
    mkdirSync(join(dir, 'out'));
    symlinkSync(victim, join(dir, 'out', 'packages-preflight-history.md'));
    const run = await runCli(['report', 'history', join(dir, 'nightly'), '--format', 'markdown', '--output-dir', join(dir, 'out')]);
    assert.equal(run.code, 3, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /packages-preflight-history\.md/);
    assert.equal(readFileSync(victim, 'utf8'), 'keep me');
    assert.ok(lstatSync(join(dir, 'out', 'packages-preflight-history.md')).isSymbolicLink());
  });

  for (const [name, args, message] of [
    ['no file', [], /^packages-preflight: report history: give the JSON reports/],
    ['an empty folder', ['EMPTY'], /^packages-preflight: report history: .* holds no \.json report/],
    ['a JSON file that is not a report', ['NOT_REPORT'], /^packages-preflight: report history: .*not-a-report\.json/],
    ['an unknown format', ['REPORT', '--format', 'pdf'], /--format.*html, markdown, csv/],
    ['a negative window', ['REPORT', '--expiring-within', '-1'], /--expiring-within.*0 or more days/],
  ] as const) {
    test(`bad input (${name}): one line, exit 3, nothing written`, async () => {
      const dir = archive();
      mkdirSync(join(dir, 'empty'));
      writeFileSync(join(dir, 'not-a-report.json'), '{"hello": 1}');
      const map: Record<string, string> = { EMPTY: join(dir, 'empty'), NOT_REPORT: join(dir, 'not-a-report.json'), REPORT: join(dir, 'nightly', '2027-01-01', 'packages-preflight.json') };
      const run = await runCli(['report', 'history', ...args.map((a) => map[a] ?? a), '--output-dir', join(dir, 'out')]);
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.deepEqual(Object.keys(run.files), []);
    });
  }
});
