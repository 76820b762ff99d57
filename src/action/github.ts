// GitHub Actions integration as pure functions over the report model: workflow-command
// annotations, the job summary (GitHub caps it at 1 MiB per step) and step outputs.

import type { Lang } from '../i18n/lang.ts';
import { translator } from '../i18n/translate.ts';
import { type Result, SEVERITIES } from '../model.ts';
import type { Report } from '../report/report.ts';
import { visibleControls } from '../report/terminal.ts';
import { DEFAULT_FORMATS } from '../report/formats.ts';

export const STEP_SUMMARY_LIMIT = 1024 * 1024;
/** GitHub shows at most this many `error` and this many `warning` annotations per step, and drops the rest. */
export const ANNOTATIONS_PER_LEVEL = 10;

// Workflow commands: data escapes % CR LF; property values also escape : and , (the runner's
// ActionCommand unescaping). Other control characters (ESC sequences, bidi overrides) and a newline
// inside an AWS string are shown as visible escapes first: the log viewer would act on them.
const escapeData = (s: string) => visibleControls(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

const annotated = (r: Result) => r.status === 'fail' || r.status === 'warn' || r.status === 'error';
const levelOf = (r: Result) => (r.status === 'fail' ? 'error' : 'warning');
// Most severe first, and a definite fail before a warning or an unevaluated check of the same severity.
const rank = (r: Result) => SEVERITIES.indexOf(r.severity) * 2 + (r.status === 'fail' ? 0 : 1);

function annotationLine(r: Result, lang: Lang): string {
  const tr = translator(lang);
  const title = r.status === 'error' ? tr.ui('action.notEvaluated', { check: r.check, subject: r.subject }) : `${r.check} [${r.subject}]`;
  const message = tr.message(r);
  const remediation = tr.remediation(r);
  return `::${levelOf(r)} title=${escapeProperty(title)}::${escapeData(remediation ? tr.ui('action.annotationFix', { message, fix: remediation }) : message)}`;
}

/** `::error` for fail, `::warning` for warn (and error: could not evaluate), one per result, most severe first. */
export function annotations(report: Report, lang: Lang = 'en'): string[] {
  return report.results
    .filter(annotated)
    .sort((a, b) => rank(a) - rank(b))
    .map((r) => annotationLine(r, lang));
}

/**
 * The annotations GitHub will show: the most severe ANNOTATIONS_PER_LEVEL of each level (GitHub
 * drops the rest silently), and how many findings were left without one, for the job summary.
 */
export function cappedAnnotations(report: Report, limit = ANNOTATIONS_PER_LEVEL, lang: Lang = 'en'): { lines: string[]; notAnnotated: number } {
  const all = annotations(report, lang);
  const lines: string[] = [];
  const used = { error: 0, warning: 0 };
  for (const line of all) {
    const level = line.startsWith('::error') ? 'error' : 'warning';
    if (used[level] < limit) {
      used[level] += 1;
      lines.push(line);
    }
  }
  return { lines, notAnnotated: all.length - lines.length };
}

/** The line the job summary starts with when some findings have no annotation. */
export function notAnnotatedNote(notAnnotated: number, limit = ANNOTATIONS_PER_LEVEL, lang: Lang = 'en'): string {
  if (notAnnotated === 0) return '';
  const tr = translator(lang);
  return `> **${tr.plural('action.notAnnotated', notAnnotated)}**${tr.ui('action.notAnnotatedWhy', { limit })}\n\n`;
}

/** The Markdown report, cut at a line boundary with a note when it would exceed the summary limit. */
export function jobSummary(markdown: string, reportPath: string, limit = STEP_SUMMARY_LIMIT, lang: Lang = 'en'): string {
  if (Buffer.byteLength(markdown) <= limit) return markdown;
  const tr = translator(lang);
  const note = `\n\n---\n**${tr.ui('action.truncated', { kib: Math.round(limit / 1024) })}** ${tr.ui('action.truncatedWhere', { path: reportPath })}\n`;
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

/**
 * Every input action.yml declares, and the `check` flag it becomes (a test compares this table with
 * action.yml and with the CLI's flags, so an input cannot be read without being declared, nor a
 * flag be forgotten). `soft-fail` belongs to the Action itself.
 */
export const ACTION_INPUTS = {
  bucket: 'value',
  'service-url': 'value',
  'actions-bucket': 'value',
  'principal-arn': 'value',
  'terraform-plan': 'value',
  'bucket-address': 'value',
  'user-address': 'value',
  region: 'value',
  profile: 'value',
  'endpoint-url': 'value',
  engine: 'value',
  'source-ip': 'list',
  'source-vpce': 'value',
  'max-retention-days': 'value',
  waivers: 'value',
  baseline: 'value',
  'write-baseline': 'value',
  config: 'value',
  format: 'value',
  'output-dir': 'value',
  'sarif-anchor': 'value',
  timeout: 'value',
  'max-attempts': 'value',
  proxy: 'value',
  'ca-bundle': 'value',
  lang: 'value',
  probe: 'boolean',
  debug: 'boolean',
  quiet: 'boolean',
  'packages-bucket': 'value',
  'role-arn': 'value',
  'ghes-host': 'value',
  'ghes-url': 'value',
  'ghes-certificate': 'value',
  'soft-fail': 'action',
  storage: 'action',
} as const satisfies Record<string, 'value' | 'list' | 'boolean' | 'action'>;

/**
 * `storage: actions` runs the `actions` command (GitHub Actions storage) instead of `check`
 * (Packages); these inputs are flags of one of the two commands only.
 */
export const STORAGE_ONLY_INPUTS: Record<string, 'packages' | 'actions'> = {
  'actions-bucket': 'packages',
  'packages-bucket': 'actions',
  'role-arn': 'actions',
  'ghes-host': 'actions',
  'ghes-url': 'actions',
  'ghes-certificate': 'actions',
  // A Terraform plan is judged by the Packages pack only (issue 20); Actions storage reads live AWS.
  'terraform-plan': 'packages',
  'bucket-address': 'packages',
  'user-address': 'packages',
};

/** `check` and `actions` flags with no input, and why. */
export const FLAGS_WITHOUT_INPUT: Record<string, string> = {
  'from-ghe-config': 'reads the appliance\'s ghe-config output, which a workflow does not have; give bucket and service-url',
  'use-ghe-credentials': 'only with --from-ghe-config',
  color: 'CI logs get no colour',
  // The Action reads the JSON report from its output-dir for annotations, the job summary and outputs.
  stdout: 'the Action reads the report files in output-dir (annotations, job summary, outputs); a report on standard output would leave none',
  output: 'the spelling "--output -" of --stdout, see stdout',
};

export interface ActionRun {
  args: string[];
  /** Inputs that contradict each other: the step fails with this line (exit 3) and runs nothing. */
  problem?: string;
  outputDir: string;
  formats: string[];
  softFail: boolean;
}

/**
 * The CLI arguments for the action's inputs (INPUT_* environment variables set by the runner).
 * JSON is always written: the outputs, annotations and job summary are made from it.
 */
export function actionRun(env: NodeJS.ProcessEnv): ActionRun {
  const input = (name: string) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim() ?? '';
  const storage = input('storage') || 'packages';
  const args = [storage === 'actions' ? 'actions' : 'check'];
  const misplaced = Object.entries(STORAGE_ONLY_INPUTS).find(([name, only]) => only !== storage && input(name));
  const problem =
    storage !== 'packages' && storage !== 'actions'
      ? `the storage input must be packages (the default) or actions, got "${storage}"`
      : misplaced
        ? `the ${misplaced[0]} input is for storage: ${misplaced[1]}; ${misplaced[1] === 'actions' ? 'add "storage: actions"' : 'drop it (with storage: actions, name the other bucket with packages-bucket)'}`
        : undefined;
  const requested = (input('format') || DEFAULT_FORMATS.join(',')).split(/[\s,]+/).filter(Boolean);
  const formats = requested.includes('json') ? requested : ['json', ...requested];
  const outputDir = input('output-dir') || 'reports';
  for (const [name, kind] of Object.entries(ACTION_INPUTS)) {
    const value = name === 'format' ? formats.join(',') : name === 'output-dir' ? outputDir : input(name);
    if (kind === 'value' && value) args.push(`--${name}`, value);
    if (kind === 'list') for (const item of value.split(/[\s,]+/).filter(Boolean)) args.push(`--${name}`, item);
    if (kind === 'boolean' && value === 'true') args.push(`--${name}`);
  }
  return { args, outputDir, formats, softFail: input('soft-fail') === 'true', ...(problem ? { problem } : {}) };
}

/** The CLI arguments alone (see actionRun). */
export function argsFromInputs(env: NodeJS.ProcessEnv): string[] {
  return actionRun(env).args;
}
