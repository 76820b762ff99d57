import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runControl } from '../../src/cli/common.ts';
import { exitGuards, guardExit } from '../../src/engine/exit-guard.ts';

function withStubbedExit(fn: (exits: number[]) => void): void {
  const exits: number[] = [];
  const realExit = process.exit;
  const realWrite = process.stderr.write;
  process.exit = ((code: number) => {
    exits.push(code);
    throw new Error(`exit ${code}`);
  }) as typeof process.exit;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    fn(exits);
  } finally {
    process.exit = realExit;
    process.stderr.write = realWrite;
  }
}

test('exit guard: held guards are listed and released', () => {
  const release = guardExit('removing the probe\'s test objects');
  assert.deepEqual(exitGuards(), ['removing the probe\'s test objects']);
  release();
  assert.deepEqual(exitGuards(), []);
});

test('a second Ctrl-C while a guard is held does not exit; the third does (130)', () => {
  withStubbedExit((exits) => {
    const control = runControl();
    const release = guardExit('cleanup');
    try {
      process.emit('SIGINT', 'SIGINT');
      assert.equal(control.signal.aborted, true, 'the first signal aborts the run');
      process.emit('SIGINT', 'SIGINT');
      assert.deepEqual(exits, [], 'the second signal waits for the guard');
      assert.throws(() => process.emit('SIGINT', 'SIGINT'), /exit 130/);
      assert.deepEqual(exits, [130]);
    } finally {
      release();
      control.dispose();
    }
  });
});

test('without a guard the second Ctrl-C exits at once with 130', () => {
  withStubbedExit((exits) => {
    const control = runControl();
    try {
      process.emit('SIGINT', 'SIGINT');
      assert.throws(() => process.emit('SIGINT', 'SIGINT'), /exit 130/);
      assert.deepEqual(exits, [130]);
    } finally {
      control.dispose();
    }
  });
});
