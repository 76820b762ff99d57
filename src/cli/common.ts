// Plumbing every AWS-facing command shares: options from flags, output folder, credentials,
// Ctrl-C and --timeout handling, writing and printing the report. One path, so `check`,
// `codeartifact` and `fleet` behave the same way.

import { existsSync, mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { AwsSession } from '../aws/session.ts';
import { type Format, UsageError } from '../config/options.ts';
import { routeSignals } from '../engine/early-signals.ts';
import { DEFAULT_FORMATS, FORMATS } from '../report/formats.ts';
import { exitGuards } from '../engine/exit-guard.ts';
import { EXIT } from '../model.ts';
import { currentLang } from '../i18n/lang.ts';
import { uiText } from '../i18n/ui.ts';
import { usageError } from '../i18n/usage.ts';
import { paintStatusLabelsFor, renderConsole } from '../report/console.ts';
import type { Report } from '../report/report.ts';
import { refuseSpecialFile } from '../report/atomic-write.ts';
import { REPORT_FILES, renderFormat, ReportWriteError, writeReports } from '../report/write.ts';
import { applyWaivers } from '../report/waivers.ts';
import { readWaivers } from '../config/waivers.ts';
import { err, out, outReport } from './output.ts';

/** yargs gives both `service-url` and `serviceUrl`; keep the camelCase keys the schema knows. */
export function pickFlags(args: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => args[k] !== undefined).map((k) => [k, args[k]]));
}

/**
 * A file the user named (config, targets, policy file) as the report records it: relative to the
 * working directory with forward slashes, as a repository path for SARIF's artifactLocation.
 */
export function sourcePath(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return (rel.startsWith('..') || isAbsolute(rel) ? resolve(file) : rel).split(sep).join('/');
}

/**
 * Fails fast, before any AWS call, when the report folder cannot be written, or when a requested
 * report's name in it is a symlink, device, FIFO or socket (only regular files are written;
 * src/report/atomic-write.ts). Node's recursive mkdir never returns under /proc (it retries ENOENT
 * forever), so the missing folders are created one by one below the nearest existing one; then a
 * file is written and removed, because only a write proves a folder writable (access() says yes on
 * read-only and pseudo file systems as root).
 */
export function prepareOutputDir(dir: string, formats: readonly Format[] = FORMATS): string {
  const path = resolve(dir);
  const cannot = (e: unknown): never => {
    const code = (e as NodeJS.ErrnoException)?.code ?? 'unwritable';
    throw usageError('cli.outputDirUnwritable', { dir, code });
  };
  let existing = path;
  const missing: string[] = [];
  while (!existsSync(existing) && dirname(existing) !== existing) {
    missing.unshift(basename(existing));
    existing = dirname(existing);
  }
  try {
    if (!statSync(existing).isDirectory()) cannot({ code: 'ENOTDIR' });
    for (let i = 1; i <= missing.length; i++) mkdirSync(join(existing, ...missing.slice(0, i)));
    const probe = join(path, `.packages-preflight-write-test-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    cannot(e);
  }
  for (const format of formats) refuseSpecialFile(join(path, REPORT_FILES[format]), `--output-dir ${dir}`);
  return path;
}

/** Where the reports go: files in a folder, or (--stdout / --output -) one report on standard output. */
export interface OutputPlan {
  formats: Format[];
  /** Absent with --stdout. */
  outputDir?: string;
  stdout: boolean;
}

/**
 * Settles where the reports go before any AWS call. `--stdout` (or `--output -`) writes exactly one
 * format to standard output for piping (`--format json --stdout | jq`); nothing else is printed on
 * standard output then (the summary goes to stderr) and no file is written.
 */
export function planOutput(options: { format?: Format[]; outputDir?: string; stdout?: boolean; output?: string }, defaultFormats: readonly Format[] = DEFAULT_FORMATS): OutputPlan {
  const stdout = options.stdout === true || options.output === '-';
  const formats = options.format ?? [...defaultFormats];
  if (!stdout) return { formats, outputDir: prepareOutputDir(options.outputDir ?? 'reports', formats), stdout };
  if (formats.length !== 1) throw usageError('cli.stdoutOneFormat', { count: formats.length, formats: formats.join(', ') });
  if (options.outputDir) throw usageError('cli.stdoutWithOutputDir');
  return { formats, stdout };
}

/** Resolves credentials once, before any check: none at all is bad input (exit 3), not an incomplete run. */
export async function requireCredentials(session: AwsSession): Promise<void> {
  try {
    await session.resolveCredentials();
  } catch (e) {
    const name = (e as Error)?.name ?? '';
    const profile = session.profile ?? (process.env.AWS_PROFILE || undefined);
    if (profile && (name === 'CredentialsProviderError' || /credential|profile/i.test((e as Error)?.message ?? ''))) {
      throw usageError('cli.noCredentialsForProfile', { profile, source: session.profile ? '--profile' : 'AWS_PROFILE' });
    }
    if (name === 'CredentialsProviderError' || /credential/i.test((e as Error)?.message ?? '')) {
      throw usageError('cli.noCredentials');
    }
    throw usageError('cli.credentialsNotLoaded', { error: (e as Error)?.message ?? String(e) });
  }
}

export interface RunControl {
  signal: AbortSignal;
  dispose(): void;
}

/**
 * SIGINT/SIGTERM or --timeout: stop issuing requests, let the engine mark unfinished checks as
 * errors, write the reports marked interrupted, exit 2. A second signal exits at once with 130.
 */
export function runControl(timeoutSeconds?: number): RunControl {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals += 1;
    const guards = exitGuards();
    if (signals === 2 && guards.length) {
      err(uiText('cli.signalAgainGuarded', { signal: sig, guards: guards.join(', ') }));
      return;
    }
    if (signals > 1) {
      err(uiText('cli.signalAgain', { signal: sig }));
      process.exit(130);
    }
    err(uiText('cli.signal', { signal: sig }));
    controller.abort(new Error(sig));
  };
  const unroute = routeSignals(onSignal);
  const timer = timeoutSeconds
    ? setTimeout(() => {
        err(uiText('cli.timeout', { seconds: timeoutSeconds }));
        controller.abort(new Error('timeout'));
      }, timeoutSeconds * 1000)
    : undefined;
  timer?.unref();
  return {
    signal: controller.signal,
    dispose() {
      unroute();
      if (timer) clearTimeout(timer);
    },
  };
}

export interface FinishOptions {
  /** --waivers FILE and the check ids it may name (the pack's registry). */
  waivers?: { file: string; knownChecks: ReadonlySet<string> };
  output: OutputPlan;
  /** --sarif-anchor: the repository file SARIF results fall back to. */
  sarifAnchor?: string;
  quiet?: boolean;
  color?: boolean;
}

/**
 * Colour: --color/--no-color first; then FORCE_COLOR (set and not 0/false: on, e.g. in CI logs that
 * render ANSI; 0 or false: off), which wins over NO_COLOR; then NO_COLOR; else a terminal.
 */
export function useColor(flag?: boolean, stream: { isTTY?: boolean } = process.stdout): boolean {
  if (flag !== undefined) return flag;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return !/^(0|false)$/i.test(force);
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY);
}

/** Reads the waivers file up front (bad input → exit 3 before any AWS call). */
export function loadWaivers(file: string | undefined, knownChecks: Iterable<string>): FinishOptions['waivers'] {
  if (!file) return undefined;
  readWaivers(file);
  return { file, knownChecks: new Set(knownChecks) };
}

/** The results about waivers (expired, unknown, unused) name the waivers file: SARIF anchors them at the waiver's entry. */
function withWaiversFile(report: Report, file: string): Report {
  const note = (results: Report['results']) => results.map((r) => (r.check === 'waivers' ? { ...r, evidence: { ...r.evidence, waiversFile: file } } : r));
  return { ...report, results: note(report.results), ...(report.targets ? { targets: report.targets.map((t) => ({ ...t, results: note(t.results) })) } : {}) };
}

/** Applies waivers, writes the reports, prints the summary, returns the exit code. */
export function finish(rawReport: Report, options: FinishOptions): number {
  const report = options.waivers ? withWaiversFile(applyWaivers(rawReport, readWaivers(options.waivers.file), options.waivers.knownChecks), sourcePath(options.waivers.file)) : rawReport;
  const { formats, outputDir, stdout } = options.output;
  const lang = currentLang();
  const renderOptions = { sarifAnchor: options.sarifAnchor, lang };
  const paint = paintStatusLabelsFor(lang);
  // Colour is painted after the writer has made the text safe (src/cli/output.ts).
  if (stdout) {
    // Standard output carries the report alone, for piping; the summary goes to stderr.
    outReport(renderFormat(report, formats[0], renderOptions));
    err(renderConsole(report, { color: false, quiet: options.quiet, lang }), useColor(options.color, process.stderr) ? paint : undefined);
  } else {
    // A report that cannot be written (full disk, a directory in its place) does not hide the
    // findings or change the verdict: they are printed, and each missing file is named.
    let paths: string[];
    let failures: ReportWriteError['failures'] = [];
    try {
      paths = writeReports(report, formats, outputDir ?? 'reports', renderOptions);
    } catch (e) {
      if (!(e instanceof ReportWriteError)) throw e;
      paths = e.written;
      failures = e.failures;
    }
    out(renderConsole(report, { color: false, quiet: options.quiet, lang }), useColor(options.color) ? paint : undefined);
    if (!options.quiet && paths.length) out(`${uiText('console.reports', { paths: paths.join(', ') })}\n`);
    for (const f of failures) err(uiText('cli.reportNotWritten', { path: f.path, reason: f.reason }));
  }
  const calls = report.apiCalls;
  if (calls.length > 0 && calls.every((c) => /^E[A-Z]+$|^TimeoutError$/.test(c.outcome))) {
    err(uiText('cli.noRequestSucceeded', { outcome: calls[0].outcome }));
  }
  return report.exitCode ?? EXIT.incomplete;
}

export function debugLogger(enabled: boolean) {
  return enabled
    ? (call: { service: string; operation: string; resource: string; outcome: string; durationMs: number; requestId?: string }) =>
        err(`debug: ${call.service}:${call.operation} ${call.resource} -> ${call.outcome} in ${call.durationMs} ms${call.requestId ? ` (request id ${call.requestId})` : ''}`)
    : undefined;
}
