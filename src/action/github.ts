// GitHub Actions integration as pure functions over the report model: workflow-command
// annotations, the job summary (GitHub caps it at 1 MiB per step) and step outputs.

import type { Report } from '../report/report.ts';
import { visibleControls } from '../report/terminal.ts';

export const STEP_SUMMARY_LIMIT = 1024 * 1024;

// Workflow commands: data escapes % CR LF; property values also escape : and , (the runner's
// ActionCommand unescaping). Other control characters (ESC sequences, bidi overrides) and a newline
// inside an AWS string are shown as visible escapes first: the log viewer would act on them.
const escapeData = (s: string) => visibleControls(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error` for fail, `::warning` for warn (and error: could not evaluate), one per result. */
export function annotations(report: Report): string[] {
  return report.results
    .filter((r) => r.status === 'fail' || r.status === 'warn' || r.status === 'error')
    .map((r) => {
      const level = r.status === 'fail' ? 'error' : 'warning';
      const title = `${r.check} [${r.subject}]${r.status === 'error' ? ' not evaluated' : ''}`;
      return `::${level} title=${escapeProperty(title)}::${escapeData(r.remediation ? `${r.message} Fix: ${r.remediation}` : r.message)}`;
    });
}

/** The Markdown report, cut at a line boundary with a note when it would exceed the summary limit. */
export function jobSummary(markdown: string, reportPath: string, limit = STEP_SUMMARY_LIMIT): string {
  if (Buffer.byteLength(markdown) <= limit) return markdown;
  const note = `\n\n---\n**The report was truncated to fit the ${Math.round(limit / 1024)} KiB job-summary limit.** The full report is ${reportPath} (upload it as an artifact).\n`;
  const budget = limit - Buffer.byteLength(note);
  let cut = Buffer.from(markdown).subarray(0, budget).toString('utf8');
  // Drop a character split by the byte cut, then end at a whole line.
  cut = cut.replace(/\uFFFD$/, '');
  const lastNewline = cut.lastIndexOf('\n');
  return (lastNewline > 0 ? cut.slice(0, lastNewline) : cut) + note;
}

/** Lines for $GITHUB_OUTPUT. */
export function stepOutputs(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => (v.includes('\n') ? `${k}<<__PREFLIGHT_EOF__\n${v}\n__PREFLIGHT_EOF__\n` : `${k}=${v}\n`))
    .join('');
}

/** The CLI arguments for the action's inputs (INPUT_* environment variables set by the runner). */
export function argsFromInputs(env: NodeJS.ProcessEnv): string[] {
  const input = (name: string) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim() ?? '';
  const args = ['check'];
  const flag = (name: string, value = input(name)) => {
    if (value) args.push(`--${name}`, value);
  };
  for (const name of ['bucket', 'service-url', 'actions-bucket', 'principal-arn', 'region', 'engine', 'config', 'waivers', 'source-vpce', 'endpoint-url', 'timeout', 'baseline']) flag(name);
  flag('format', input('format') || 'json,junit,markdown');
  flag('output-dir', input('output-dir') || 'reports');
  for (const ip of input('source-ip').split(/[\s,]+/).filter(Boolean)) args.push('--source-ip', ip);
  if (input('probe') === 'true') args.push('--probe');
  return args;
}
