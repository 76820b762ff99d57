// The GitHub Action entry (action.yml: runs.main = dist/action.mjs). Runs the bundled CLI with the
// inputs, then publishes the Markdown report as the job summary, annotations for fails and warns,
// and the outputs `verdict`, `report-path`, `exit-code` and `html-file` (the HTML report's path when
// `format` includes html, else empty). The step's exit code is the CLI's.

import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redact } from '../redact.ts';
import type { Report } from '../report/report.ts';
import { REPORT_FILES } from '../report/write.ts';
import { annotations, argsFromInputs, jobSummary, stepOutputs } from './github.ts';

const args = argsFromInputs(process.env);
const cli = fileURLToPath(new URL('./cli.mjs', import.meta.url));
const run = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', env: process.env });
const exitCode = run.status ?? 2;
const outputDir = resolve(args[args.indexOf('--output-dir') + 1]);
const jsonPath = join(outputDir, REPORT_FILES.json);
const markdownPath = join(outputDir, REPORT_FILES.markdown);
const htmlPath = join(outputDir, REPORT_FILES.html);

if (existsSync(jsonPath)) {
  const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as Report;
  for (const line of annotations(report)) process.stdout.write(redact(line) + '\n');
  if (process.env.GITHUB_STEP_SUMMARY && existsSync(markdownPath)) {
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, jobSummary(readFileSync(markdownPath, 'utf8'), markdownPath));
  }
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, stepOutputs({ verdict: report.verdict, 'report-path': jsonPath, 'exit-code': String(report.exitCode), 'html-file': existsSync(htmlPath) ? htmlPath : '' }));
} else if (process.env.GITHUB_OUTPUT) {
  appendFileSync(process.env.GITHUB_OUTPUT, stepOutputs({ verdict: 'error', 'report-path': '', 'exit-code': String(exitCode), 'html-file': '' }));
}
process.exitCode = exitCode;
