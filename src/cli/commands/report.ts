// `packages-preflight report --from packages-preflight.json` re-renders a saved JSON report (JUnit,
// Markdown, console) without AWS; `report merge a.json b.json ...` combines reports (the shards of
// a fleet run) into one; `report history` draws the trend over nightly reports. None loads the AWS
// SDK (`report export --security-hub` does, only when it runs). Exit code = the report's (the worst target's).

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { awsOptionsShape, listOf, outputOptionsShape, validate } from '../../config/options.ts';
import { EXIT } from '../../model.ts';
import { buildHistory, HISTORY_FILES, HISTORY_FORMATS, renderHistory } from '../../report/history.ts';
import { mergeReports, readReport } from '../../report/merge.ts';
import { ReportWriteError, writeRenderedFiles } from '../../report/write.ts';
import { refuseSpecialFile } from '../../report/atomic-write.ts';
import { finish, pickFlags, planOutput, prepareOutputDir, runControl } from '../common.ts';
import { err, out } from '../output.ts';
import { usageError } from '../../i18n/usage.ts';

const renderSchema = z
  .object({
    format: outputOptionsShape.format,
    outputDir: outputOptionsShape.outputDir,
    stdout: outputOptionsShape.stdout,
    output: outputOptionsShape.output,
    quiet: outputOptionsShape.quiet,
    color: outputOptionsShape.color,
    debug: outputOptionsShape.debug,
    sarifAnchor: outputOptionsShape.sarifAnchor,
  })
  .strict();

const RENDER_KEYS = Object.keys(renderSchema.shape);

export async function runReportFromCommand(args: Record<string, unknown>): Promise<number> {
  const from = args.from;
  if (typeof from !== 'string' || from.trim() === '') {
    throw usageError('cli.reportNeedsFrom');
  }
  const options = validate(renderSchema, pickFlags(args, RENDER_KEYS), 'flag');
  const report = readReport(from, `--from ${from}`);
  if (report.results.length === 0) {
    throw usageError('cli.reportEmptyShard', { from });
  }
  const output = planOutput(options);
  return finish(report, { output, quiet: options.quiet, color: options.color, sarifAnchor: options.sarifAnchor });
}

export async function runReportMergeCommand(args: Record<string, unknown>): Promise<number> {
  const files = (Array.isArray(args.files) ? args.files : [args.files]).filter((f): f is string => typeof f === 'string' && f !== '');
  if (typeof args.from === 'string') throw usageError('cli.mergeWithFrom');
  if (files.length === 0) throw usageError('cli.mergeNoFiles');
  const options = validate(renderSchema, pickFlags(args, RENDER_KEYS), 'flag');
  const inputs = files.map((file) => ({ label: file, report: readReport(file, `report merge: ${file}`) }));
  const merged = mergeReports(inputs);
  const output = planOutput(options);
  return finish(merged, { output, quiet: options.quiet, color: options.color, sarifAnchor: options.sarifAnchor });
}

const exportSchema = z
  .object({
    from: z.string().trim().min(1),
    securityHub: z.boolean().optional(),
    region: awsOptionsShape.region,
    profile: awsOptionsShape.profile,
    endpointUrl: awsOptionsShape.endpointUrl,
    maxAttempts: awsOptionsShape.maxAttempts,
    timeout: awsOptionsShape.timeout,
    proxy: awsOptionsShape.proxy,
    caBundle: awsOptionsShape.caBundle,
    debug: outputOptionsShape.debug,
  })
  .strict();

/**
 * `report export --from FILE --security-hub [--region R]`: imports the report's findings into
 * Security Hub in the caller's account. A write, so it happens only when asked for by name; exit 0
 * when every finding was imported, 2 when any was not.
 */
export async function runReportExportCommand(args: Record<string, unknown>): Promise<number> {
  const flags = Object.fromEntries(Object.entries(pickFlags(args, Object.keys(exportSchema.shape))).filter(([, v]) => v !== undefined));
  if (typeof flags.from !== 'string') throw usageError('cli.exportNeedsFrom');
  const options = validate(exportSchema, flags, 'flag');
  if (!options.securityHub) throw usageError('cli.exportNeedsDestination');
  const envRegion = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  const region = options.region ?? (envRegion ? validate(z.object({ region: awsOptionsShape.region }), { region: envRegion }, 'flag').region : undefined);
  if (!region) throw usageError('cli.exportNeedsRegion');
  const report = readReport(options.from, `--from ${options.from}`);
  const control = runControl(options.timeout);
  try {
    // Loaded only here: `report --from` and `report merge` never load the AWS SDK.
    const { commandSession } = await import('../session.ts');
    const { exportToSecurityHub } = await import('../../aws/security-hub.ts');
    const endpointUrl = options.endpointUrl ?? (process.env.AWS_ENDPOINT_URL ? validate(z.object({ endpointUrl: awsOptionsShape.endpointUrl }), { endpointUrl: process.env.AWS_ENDPOINT_URL }, 'flag').endpointUrl : undefined);
    const session = await commandSession({ ...options, region }, { endpointUrl, signal: control.signal });
    const result = await exportToSecurityHub(session, report);
    out(`Security Hub (${result.region}, account ${result.account}): imported ${result.imported} of ${report.results.length} findings in ${Math.ceil(result.sent / 100)} BatchImportFindings call(s).\n`);
    for (const f of result.failed) err(`packages-preflight: not imported: ${f.id}: ${f.code}: ${f.message}`);
    return result.failed.length === 0 && result.imported === report.results.length ? EXIT.compliant : EXIT.incomplete;
  } finally {
    control.dispose();
  }
}

const historySchema = z
  .object({
    format: listOf(z.string().trim().pipe(z.enum(HISTORY_FORMATS, { message: `use one or more of ${HISTORY_FORMATS.join(', ')}` }))).optional(),
    outputDir: outputOptionsShape.outputDir,
    expiringWithin: z.coerce.number().int('must be a whole number of days').min(0, 'must be 0 or more days').max(3650, 'must be at most 3650 days').optional(),
  })
  .strict();

/** Every *.json under a folder (a nightly job's archive), or the file itself; sorted for a stable order. */
function reportFiles(path: string): string[] {
  // A path that is not a folder (or not there: readReport names it) is read as one report.
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) return [path];
  const found = readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  if (!found.length) throw usageError('cli.historyNoReport', { path });
  return found;
}

/** `report history A.json B.json DIR ...`: the trend over nightly reports; writes the history files, exit 0 (3 on bad input). */
export async function runReportHistoryCommand(args: Record<string, unknown>): Promise<number> {
  const given = (Array.isArray(args.files) ? args.files : [args.files]).filter((f): f is string => typeof f === 'string' && f !== '');
  if (given.length === 0) throw usageError('cli.historyNoFiles');
  const options = validate(historySchema, pickFlags(args, Object.keys(historySchema.shape)), 'flag');
  const inputs = given.flatMap(reportFiles).map((file) => ({ label: file, report: readReport(file, `report history: ${file}`) }));
  const history = buildHistory(inputs, options.expiringWithin ?? 30);
  const formats = options.format ?? ['html'];
  const outputDir = prepareOutputDir(options.outputDir ?? 'reports', []);
  // As for reports: a symlink, FIFO or device at a history file's name is refused up front (exit 3).
  for (const format of formats) refuseSpecialFile(join(outputDir, HISTORY_FILES[format]), `--output-dir ${options.outputDir ?? 'reports'}`);
  // Atomic like every report: a dashboard reading the history mid-write never sees half a file.
  let paths: string[];
  try {
    paths = writeRenderedFiles(outputDir, formats.map((format) => ({ name: HISTORY_FILES[format], render: () => renderHistory(history, format) })));
  } catch (e) {
    if (!(e instanceof ReportWriteError)) throw e;
    for (const f of e.failures) err(`packages-preflight: could not write ${f.path} (${f.reason}); free space or clear that path and run again`);
    return EXIT.incomplete;
  }
  out(`History of ${history.runs.length} run(s): ${paths.join(', ')}\n`);
  return EXIT.compliant;
}
