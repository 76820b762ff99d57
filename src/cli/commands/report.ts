// `packages-preflight report --from packages-preflight.json` re-renders a saved JSON report (JUnit,
// Markdown, console) without AWS; `report merge a.json b.json ...` combines reports (the shards of
// a fleet run) into one. Neither loads the AWS SDK. Exit code = the report's (the worst target's).

import { z } from 'zod';
import { outputOptionsShape, UsageError, validate } from '../../config/options.ts';
import { mergeReports, readReport } from '../../report/merge.ts';
import { finish, pickFlags, prepareOutputDir } from '../common.ts';

const renderSchema = z
  .object({
    format: outputOptionsShape.format,
    outputDir: outputOptionsShape.outputDir,
    quiet: outputOptionsShape.quiet,
    color: outputOptionsShape.color,
    sarifAnchor: outputOptionsShape.sarifAnchor,
  })
  .strict();

const RENDER_KEYS = Object.keys(renderSchema.shape);

export async function runReportFromCommand(args: Record<string, unknown>): Promise<number> {
  const from = args.from;
  if (typeof from !== 'string' || from.trim() === '') {
    throw new UsageError('report: give --from FILE (a saved packages-preflight.json) or "report merge FILE..."; see "packages-preflight report --help"');
  }
  const options = validate(renderSchema, pickFlags(args, RENDER_KEYS), 'flag');
  const report = readReport(from, `--from ${from}`);
  const outputDir = prepareOutputDir(options.outputDir ?? 'reports');
  return finish(report, { formats: options.format, outputDir, quiet: options.quiet, color: options.color, sarifAnchor: options.sarifAnchor });
}

export async function runReportMergeCommand(args: Record<string, unknown>): Promise<number> {
  const files = (Array.isArray(args.files) ? args.files : [args.files]).filter((f): f is string => typeof f === 'string' && f !== '');
  if (typeof args.from === 'string') throw new UsageError('report merge: --from is for re-rendering one report; list the reports to merge instead');
  if (files.length === 0) throw new UsageError('report merge: give the JSON reports to merge, e.g. "report merge shard-1/packages-preflight.json shard-2/packages-preflight.json"');
  const options = validate(renderSchema, pickFlags(args, RENDER_KEYS), 'flag');
  const inputs = files.map((file) => ({ label: file, report: readReport(file, `report merge: ${file}`) }));
  const merged = mergeReports(inputs);
  const outputDir = prepareOutputDir(options.outputDir ?? 'reports');
  return finish(merged, { formats: options.format, outputDir, quiet: options.quiet, color: options.color, sarifAnchor: options.sarifAnchor });
}
