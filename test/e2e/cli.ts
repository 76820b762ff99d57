// Runs the built CLI (dist/cli.mjs, built by `npm test` before the tests) as a child process
// against the emulator and parses everything it wrote: exit code, stdout, stderr, and the JSON,
// JUnit (as XML) and Markdown reports.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { Report } from '../../src/report/report.ts';
import { testEnv } from '../harness/moto.ts';

export const CLI = new URL('../../dist/cli.mjs', import.meta.url).pathname;
const SOURCE_CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputDir: string;
  json?: Report;
  junit?: Record<string, unknown>;
  junitText?: string;
  markdown?: string;
  /** Every file the run wrote into outputDir, name → content (for secret canaries). */
  files: Record<string, string>;
}

export interface CliOptions {
  endpoint?: string;
  env?: Record<string, string>;
  /** Defaults to a fresh temp folder, passed as --output-dir unless args already hold one. */
  outputDir?: string;
  /** Called with the child right after spawn (e.g. to send SIGINT later). */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
  /** Run the TypeScript source instead of the bundle. */
  source?: boolean;
  /** Run this file instead (e.g. the bin of a package installed from its tarball). */
  entry?: string;
  /** Working folder of the child (default: this process's). */
  cwd?: string;
  timeoutMs?: number;
  /** Commands that write no reports (policy, --help) take no --output-dir. */
  noOutputDir?: boolean;
  /** Written to the child's standard input (e.g. `--from-ghe-config -`). */
  input?: string;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  // An explicit --output-dir in the arguments is where the reports are read from.
  const given = args.indexOf('--output-dir');
  const outputDir = given >= 0 && args[given + 1] ? args[given + 1] : (options.outputDir ?? mkdtempSync(join(tmpdir(), 'preflight-e2e-')));
  const hasOutputDir = options.noOutputDir || args.includes('--output-dir') || args[0] === '--help' || args.includes('--help') || args.includes('--version');
  const fullArgs = hasOutputDir ? args : [...args, '--output-dir', outputDir];
  const entry = options.entry ?? (options.source ? SOURCE_CLI : CLI);
  if (!options.source && !options.entry && !existsSync(CLI)) throw new Error('dist/cli.mjs is missing: run `npm run build` (npm test does it first)');
  const env = options.endpoint ? testEnv(options.endpoint, options.env) : { ...testEnv('http://127.0.0.1:9', options.env), ...(options.env ?? {}) };
  if (!options.endpoint) delete env.AWS_ENDPOINT_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...fullArgs], { env, cwd: options.cwd, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (options.input !== undefined) child.stdin?.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    options.onSpawn?.(child);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Anything thrown here must fail the test, not leave it waiting forever.
      try {
        collect(code, signal);
      } catch (e) {
        reject(e);
      }
    });
    const collect = (code: number | null, signal: NodeJS.Signals | null) => {
      const files: Record<string, string> = {};
      if (existsSync(outputDir) && statSync(outputDir).isDirectory()) for (const f of readdirSync(outputDir)) files[f] = readFileSync(join(outputDir, f), 'utf8');
      const jsonText = files['packages-preflight.json'];
      const junitText = files['packages-preflight.junit.xml'];
      resolve({
        code,
        signal,
        stdout,
        stderr,
        outputDir,
        files,
        json: jsonText ? (JSON.parse(jsonText) as Report) : undefined,
        junitText,
        junit: junitText ? new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(junitText) : undefined,
        markdown: files['packages-preflight.md'],
      });
    };
  });
}

/** Results of one check in a JSON report, as `status [subject]` strings: compact to assert. */
export function statusesOf(report: Report | undefined, check: string): string[] {
  return (report?.results ?? []).filter((r) => r.check === check).map((r) => `${r.status} [${r.subject}]`);
}

/**
 * `report --from` re-renders a run's JSON without AWS into byte-identical JUnit, Markdown and HTML (the
 * JSON is the canonical record; the renderings must follow from it alone).
 */
export async function assertRoundTrip(run: CliRun): Promise<void> {
  assert.ok(run.files['packages-preflight.json'], 'the run wrote no JSON report');
  const again = await runCli(['report', '--from', join(run.outputDir, 'packages-preflight.json'), '--format', 'junit,markdown,html']);
  assert.equal(again.code, run.json?.exitCode, again.stderr);
  if (run.files['packages-preflight.html']) assert.equal(again.files['packages-preflight.html'], run.files['packages-preflight.html'], 'HTML differs after re-rendering');
  assert.equal(again.files['packages-preflight.junit.xml'], run.files['packages-preflight.junit.xml'], 'JUnit differs after re-rendering');
  assert.equal(again.files['packages-preflight.md'], run.files['packages-preflight.md'], 'Markdown differs after re-rendering');
}
