// The only writers to stdout/stderr: every line passes through redact().

import { UsageError } from '../config/options.ts';
import { EXIT } from '../model.ts';
import { redact } from '../redact.ts';

export function out(text: string): void {
  process.stdout.write(redact(text));
}

export function err(text: string): void {
  process.stderr.write(redact(text.endsWith('\n') ? text : `${text}\n`));
}

/** A usage error from yargs: one line on stderr, exit 3. */
export function fail(message: string, code: number, _y?: unknown): never {
  err(`packages-preflight: ${message}`);
  process.exit(code);
}

/** Anything that escaped a command: bad input → exit 3 with one line; a bug → one line (stack with --debug), exit 2. */
export function reportFatal(e: unknown, debug: boolean): number {
  if (e instanceof UsageError) {
    err(`packages-preflight: ${e.message}`);
    return EXIT.usage;
  }
  const error = e as Error;
  err(`packages-preflight: internal error: ${error?.message ?? String(e)}. No report was written; please report this bug${debug ? '' : ' (run with --debug for details)'}.`);
  if (debug && error?.stack) err(error.stack);
  return EXIT.incomplete;
}
