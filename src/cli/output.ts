// The only writers to stdout/stderr: every line passes through redact(), then terminalSafe(): no
// control character, escape sequence or workflow command from AWS or a user file reaches a terminal
// or a CI log as anything but visible text.

import { format } from 'node:util';
import { UsageError } from '../config/usage-error.ts';
import { uiText } from '../i18n/ui.ts';
import { EXIT } from '../model.ts';
import { redact, registerSecret } from '../redact.ts';
import { terminalSafe, terminalSafeReport } from '../report/terminal.ts';

// Secrets in the environment are known before any AWS session exists: a secret key pasted into the
// wrong flag (e.g. --service-url) must not come back in the error message about that flag.
registerSecret(process.env.AWS_SECRET_ACCESS_KEY);
registerSecret(process.env.AWS_SESSION_TOKEN);

/** `paint` adds colour after the text is made safe: the tool's own escape sequences are the only ones written. */
export function out(text: string, paint?: (safe: string) => string): void {
  const safe = terminalSafe(redact(text));
  process.stdout.write(paint ? paint(safe) : safe);
}

/** A rendered report on stdout (--stdout): like out(), keeping the format's CRLF line breaks (CSV). */
export function outReport(text: string): void {
  process.stdout.write(terminalSafeReport(redact(text)));
}

export function err(text: string, paint?: (safe: string) => string): void {
  const safe = terminalSafe(redact(text.endsWith('\n') ? text : `${text}\n`));
  process.stderr.write(paint ? paint(safe) : safe);
}

// Libraries write to the console themselves (the AWS SDK prints endpoint errors and HTTP handler
// warnings with console.error/warn): those bytes go through redact() too.
for (const [name, write] of [['log', out], ['info', out], ['warn', err], ['error', err], ['debug', err], ['trace', err]] as const) {
  console[name] = (...args: unknown[]) => write(`${format(...args)}\n`);
}

/** Bad input is reported in exactly one line, whatever the message was built from. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** A usage error from yargs: one line on stderr, exit 3. */
export function fail(message: string, code: number, _y?: unknown): never {
  // yargs spreads some messages over lines ("Invalid values:\n  Argument: engine, ..."): keep one.
  err(`packages-preflight: ${oneLine(message)}`);
  process.exit(code);
}

/** Anything that escaped a command: bad input → exit 3 with one line; a bug → one line (stack with --debug), exit 2. */
export function reportFatal(e: unknown, debug: boolean): number {
  if (e instanceof UsageError) {
    err(`packages-preflight: ${oneLine(e.message)}`);
    return EXIT.usage;
  }
  const error = e as Error;
  err(uiText(debug ? 'cli.internalErrorDebug' : 'cli.internalError', { error: oneLine(error?.message ?? String(e)) }));
  if (debug && error?.stack) err(error.stack);
  return EXIT.incomplete;
}
