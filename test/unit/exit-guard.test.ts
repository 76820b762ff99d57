import assert from 'node:assert/strict';
import { test } from 'vitest';
import { runControl } from '../../src/cli/common.ts';
import { exitGuards, guardExit } from '../../src/engine/exit-guard.ts';
import { stubExit } from '../harness/stub-exit.ts';

test('exit guard: held guards are listed and released', () => {
  const release = guardExit('removing the probe\'s test objects');
  assert.deepEqual(exitGuards(), ['removing the probe\'s test objects']);
  release();
  assert.deepEqual(exitGuards(), []);
});

// Without a guard, a second signal exits at once with 130: test/e2e/interrupt.test.ts covers that.
test('a second Ctrl-C while a guard is held does not exit; the third does (130)', () => {
  const stub = stubExit();
  const control = runControl();
  const release = guardExit('cleanup');
  try {
    process.emit('SIGINT', 'SIGINT');
    assert.equal(control.signal.aborted, true, 'the first signal aborts the run');
    process.emit('SIGINT', 'SIGINT');
    assert.deepEqual(stub.exits, [], 'the second signal waits for the guard');
    assert.match(stub.stderr.join(''), /still cleanup; press Ctrl-C once more to quit anyway/);
    assert.throws(() => process.emit('SIGINT', 'SIGINT'), /exit 130/);
    assert.deepEqual(stub.exits, [130]);
  } finally {
    release();
    control.dispose();
    stub.restore();
  }
});
