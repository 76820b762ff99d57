// node:test's `test(name, { skip: reason }, fn)` in vitest (written by the to-vitest codemod):
// skipped when `reason` is truthy, with a string reason shown next to the test as vitest's skip
// note, so a skipped test always says why.

import type { TestContext } from 'vitest';

export function skipWhen<R>(reason: unknown, fn: (ctx: TestContext) => R): (ctx: TestContext) => R | undefined {
  return (ctx) => {
    if (reason) ctx.skip(typeof reason === 'string' ? reason : undefined);
    return fn(ctx);
  };
}
