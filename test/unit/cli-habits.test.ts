// The pieces behind issue 15 item 13 (CLI habits), without a child process.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { z } from 'zod';
import { repeatedOptions, withSuggestions } from '../../src/cli/cli.ts';
import { planOutput, prepareOutputDir, useColor } from '../../src/cli/common.ts';
import { listOf, UsageError } from '../../src/config/options.ts';
import { DEFAULT_FORMATS } from '../../src/report/formats.ts';
import { nearest } from '../../src/suggest.ts';

const withEnv = (env: Record<string, string | undefined>, fn: () => void) => {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  try {
    fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
};

describe('CLI habits', () => {
  test('nearest: the closest known name within a few edits, else nothing', () => {
    const known = ['bucket', 'service-url', 'actions-bucket', 'principal-arn'];
    assert.equal(nearest('bukcet', known), 'bucket');
    assert.equal(nearest('servce-url', known), 'service-url');
    assert.equal(nearest('zzz', known), undefined);
  });

  test('withSuggestions names the nearest flag for flags typed with dashes only', () => {
    assert.equal(withSuggestions('Unknown argument: bukcet', ['check', '--bukcet', 'x'], ['bucket']), 'Unknown argument: bukcet; did you mean --bucket?');
    assert.equal(withSuggestions('Unknown argument: bukcet', ['bukcet'], ['bucket']), 'Unknown argument: bukcet', 'a positional is not a flag');
    assert.match(withSuggestions('Unknown arguments: bukcet, servce-url, servceUrl', ['--bukcet', '--servce-url=x'], ['bucket', 'service-url']), /--bukcet: did you mean --bucket\?; --servce-url: did you mean --service-url\?$/);
  });

  test('repeatedOptions: every spelling counts (--x v, --x=v, --no-x); list options and unknown names do not', () => {
    const known = new Set(['bucket', 'color', 'format', 'timeout']);
    const booleans = new Set(['color']);
    assert.deepEqual(repeatedOptions(['--bucket', 'a', '--bucket=b'], known, booleans), [['bucket', 2]]);
    assert.deepEqual(repeatedOptions(['--color', '--no-color'], known, booleans), [['color', 2]]);
    assert.deepEqual(repeatedOptions(['--format', 'json', '--format', 'junit'], known, booleans), []);
    assert.deepEqual(repeatedOptions(['--timeout', '1', '--', '--timeout', '2'], known, booleans), [], 'after -- nothing is an option');
    assert.deepEqual(repeatedOptions(['--maxAttempts', '1', '--max-attempts', '2'], new Set(['max-attempts']), booleans), [['max-attempts', 2]]);
  });

  test('listOf: commas, repeats, both, YAML lists; numbers only where asked', () => {
    const list = listOf(z.string().trim().min(1));
    assert.deepEqual(list.parse('a,b'), ['a', 'b']);
    assert.deepEqual(list.parse(['a,b', 'c']), ['a', 'b', 'c']);
    assert.equal(list.safeParse(5).success, false);
    assert.deepEqual(listOf(z.string(), { numbers: true }).parse(111122223333), ['111122223333']);
  });

  test('useColor: flag, then FORCE_COLOR (over NO_COLOR), then NO_COLOR, then the terminal', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    withEnv({ FORCE_COLOR: undefined, NO_COLOR: undefined }, () => {
      assert.equal(useColor(undefined, tty), true);
      assert.equal(useColor(undefined, pipe), false);
      assert.equal(useColor(true, pipe), true);
    });
    withEnv({ FORCE_COLOR: '1', NO_COLOR: '1' }, () => assert.equal(useColor(undefined, pipe), true));
    withEnv({ FORCE_COLOR: '', NO_COLOR: undefined }, () => assert.equal(useColor(undefined, pipe), true, 'FORCE_COLOR set but empty means on'));
    withEnv({ FORCE_COLOR: '0', NO_COLOR: undefined }, () => assert.equal(useColor(undefined, tty), false));
    withEnv({ FORCE_COLOR: 'false', NO_COLOR: undefined }, () => assert.equal(useColor(undefined, tty), false));
    withEnv({ FORCE_COLOR: '1' }, () => assert.equal(useColor(false, tty), false, 'the flag wins'));
    withEnv({ FORCE_COLOR: undefined, NO_COLOR: '1' }, () => assert.equal(useColor(undefined, tty), false));
  });

  test('prepareOutputDir fails fast, as one UsageError, where no folder can be written (under /proc, a pseudo file system)', () => {
    for (const dir of ['/proc/no-such/reports/deeper', '/proc/self', '/proc/self/fd/new']) {
      const started = performance.now();
      assert.throws(() => prepareOutputDir(dir), (e: unknown) => e instanceof UsageError && e.message.startsWith(`--output-dir ${dir}: cannot write there (`));
      assert.ok(performance.now() - started < 1000, `${dir}: answered at once`);
    }
  });

  test('planOutput: --stdout needs exactly one format and no --output-dir', () => {
    assert.deepEqual(planOutput({ format: ['json'], stdout: true }), { formats: ['json'], stdout: true });
    assert.deepEqual(planOutput({ format: ['junit'], output: '-' }), { formats: ['junit'], stdout: true });
    assert.throws(() => planOutput({ stdout: true }), new RegExp(`${DEFAULT_FORMATS.length} formats were asked for`));
    assert.throws(() => planOutput({ format: ['json'], stdout: true, outputDir: 'x' }), /--output-dir cannot be combined with --stdout/);
  });
});
