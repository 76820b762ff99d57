// The GitHub Action entry (action.yml: runs.main = dist/action.mjs). Runs the bundled CLI with the
// inputs, then publishes, from the JSON report (always written): the Markdown report as the job
// summary, annotations for fails and warns (the most severe ten of each level: GitHub drops the
// rest, and the summary says how many), and the outputs (verdict, report-path, junit-path,
// sarif-file, html-file, exit-code). The step's exit code is the CLI's, or 0 for a non-compliant
// or incomplete run with soft-fail (bad input still fails the step).

import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { langFromEnv, langOf } from '../i18n/lang.ts';
import { uiText } from '../i18n/ui.ts';
import { EXIT } from '../model.ts';
import { redact } from '../redact.ts';
import { renderMarkdown } from '../report/markdown.ts';
import type { Report } from '../report/report.ts';
import { REPORT_FILES } from '../report/write.ts';
import { actionRun, cappedAnnotations, jobSummary, notAnnotatedNote, stepOutputs } from './github.ts';

const action = actionRun(process.env);
// The `lang` input (also passed to the CLI as --lang), else the runner's locale.
const lang = langOf(process.env.INPUT_LANG?.trim()) ?? langFromEnv();
const cli = fileURLToPath(new URL('./cli.mjs', import.meta.url));
// Contradicting inputs are bad input, like a bad flag: one line, exit 3, nothing run.
if (action.problem) process.stderr.write(`packages-preflight: ${action.problem}\n`);
const run = action.problem ? { status: EXIT.usage } : spawnSync(process.execPath, [cli, ...action.args], { stdio: 'inherit', env: process.env });
const exitCode = run.status ?? EXIT.incomplete;
const outputDir = resolve(action.outputDir);
const jsonPath = join(outputDir, REPORT_FILES.json);
// The path of a report file the run was asked for and wrote, else '' (an output is empty then).
// sarif-file is for github/codeql-action/upload-sarif; html-file is the page to upload as an artifact.
const writtenPath = (format: keyof typeof REPORT_FILES): string => {
  const path = join(outputDir, REPORT_FILES[format]);
  return action.formats.includes(format) && existsSync(path) ? path : '';
};

if (existsSync(jsonPath)) {
  const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as Report;
  const { lines, notAnnotated } = cappedAnnotations(report, undefined, lang);
  for (const line of lines) process.stdout.write(redact(line) + '\n');
  if (process.env.GITHUB_STEP_SUMMARY) {
    // Rendered from the JSON (the same text as the Markdown report file), so the summary does not depend on --format.
    const markdownPath = action.formats.includes('markdown') ? join(outputDir, REPORT_FILES.markdown) : jsonPath;
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, redact(jobSummary(notAnnotatedNote(notAnnotated, undefined, lang) + renderMarkdown(report, { lang }), markdownPath, undefined, lang)));
  }
  if (process.env.GITHUB_OUTPUT) {
    appendFileSync(
      process.env.GITHUB_OUTPUT,
      stepOutputs({ verdict: report.verdict, 'report-path': jsonPath, 'junit-path': writtenPath('junit'), 'sarif-file': writtenPath('sarif'), 'html-file': writtenPath('html'), 'exit-code': String(report.exitCode) }),
    );
  }
} else if (process.env.GITHUB_OUTPUT) {
  appendFileSync(process.env.GITHUB_OUTPUT, stepOutputs({ verdict: 'error', 'report-path': '', 'junit-path': '', 'sarif-file': '', 'html-file': '', 'exit-code': String(exitCode) }));
}
const soft = action.softFail && (exitCode === EXIT.failed || exitCode === EXIT.incomplete);
if (soft) process.stdout.write(`${uiText('action.softFail', { exitCode }, lang)}\n`);
process.exitCode = soft ? 0 : exitCode;
