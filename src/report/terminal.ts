// Text that another program interprets: strings from AWS (rule ids, Sids, tag values, policy text,
// error messages) and from user files (fleet names) reach terminals and CI logs. A terminal acts on
// escape sequences (clear the screen, move the cursor, hide text), CR overwrites what was printed,
// bidi overrides reorder what a reviewer reads, and a CI runner acts on log lines that start with
// `::` (GitHub workflow commands, e.g. `::stop-commands::` silences every later annotation) or
// contain `##[` (the runner's older command form). Everything written goes through here.

// C0 (tab and newline included: a field is one line), DEL, C1, the line/paragraph separators and
// the bidi controls (Trojan Source: U+061C, U+200E/F, U+202A-E, U+2066-9).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// Escapes in JSON's own syntax (`\n`, `\u001b`): readable, and JSON written to stdout stays valid
// JSON with the same meaning after passing through here.
const visible = (c: string): string => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One field on one line: every control character becomes its visible escape (`\n`, `\u001b`, `\u202e`), so it is shown, never acted on. */
export function visibleControls(text: string): string {
  return text.replace(CONTROL, visible);
}

// A GitHub runner trims leading whitespace before looking for `::` (ActionCommand.TryParseV2) and
// finds the older `##[name]` form anywhere in a line (ActionCommand.TryParse).
const WORKFLOW_COMMAND_START = /^(\s*):/;
const LEGACY_COMMAND = /##\[/g;

/**
 * One line of a CI log that no runner reads as a workflow command: a leading `::` becomes `\::`
 * (no JSON line starts with a colon), `##[` becomes `##\u005b` (inside a JSON string that is the
 * same text again).
 */
export function inertLogLine(line: string): string {
  const start = line.trimStart().startsWith('::') ? line.replace(WORKFLOW_COMMAND_START, '$1\\:') : line;
  return start.replace(LEGACY_COMMAND, '##\\u005b');
}

/**
 * What may reach stdout/stderr: the tool's own line breaks stay, every other control character is
 * shown as its escape, and no line reads as a workflow command; JSON stays valid JSON. The writers
 * in src/cli/output.ts apply it to every byte they write; colour, the only escape sequence the tool
 * itself emits, is added after it (src/report/console.ts).
 */
export function terminalSafe(text: string): string {
  return text
    .split('\n')
    .map((line) => inertLogLine(visibleControls(line)))
    .join('\n');
}

/**
 * A report file's text for standard output (--stdout): terminalSafe, with CRLF kept as a line
 * break, because CSV records end in CRLF (RFC 4180) and `--format csv --stdout` must give the same
 * bytes as the file. A lone CR (which overwrites a line on a terminal) is still shown as `\r`.
 */
export function terminalSafeReport(text: string): string {
  return text.split('\r\n').map(terminalSafe).join('\r\n');
}
