// Writes the chosen report files. Everything goes through redact(): no secret reaches a file.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../redact.ts';
import { writeFailureReason, writeFileAtomic } from './atomic-write.ts';
import { type Format, REPORT_FORMATS, type RenderOptions, type ReportFormat } from './formats.ts';
import type { Report } from './report.ts';

export const REPORT_FILES = Object.fromEntries(Object.entries(REPORT_FORMATS).map(([name, format]) => [name, format.file])) as Record<Format, string>;

export function renderFormat(report: Report, format: Format, options: RenderOptions = {}): string {
  return (REPORT_FORMATS[format] as ReportFormat).render(report, options);
}

/** Some reports could not be written (full disk, a directory in the way): which, and why. */
export class ReportWriteError extends Error {
  readonly written: string[];
  readonly failures: Array<{ path: string; reason: string }>;
  constructor(written: string[], failures: Array<{ path: string; reason: string }>) {
    super(failures.map((f) => `could not write ${f.path} (${f.reason})`).join('; '));
    this.name = 'ReportWriteError';
    this.written = written;
    this.failures = failures;
  }
}

/**
 * Writes each report atomically as a regular file (src/report/atomic-write.ts), so a reader never
 * sees half a report. Tries every format; when any fails, throws ReportWriteError naming the
 * written and the failed ones (no temporary file is left). Returns the paths.
 */
export function writeReports(report: Report, formats: readonly Format[], outputDir: string, options: RenderOptions = {}): string[] {
  return writeRenderedFiles(outputDir, formats.map((format) => ({ name: REPORT_FILES[format], render: () => renderFormat(report, format, options) })));
}

/**
 * Writes each named rendering into `outputDir` atomically, through the redaction boundary; tries
 * every file and, when any fails, throws ReportWriteError naming the written and the failed ones.
 * Reports and `report history` files alike go through here.
 */
export function writeRenderedFiles(outputDir: string, files: ReadonlyArray<{ name: string; render: () => string }>): string[] {
  try {
    mkdirSync(outputDir, { recursive: true });
  } catch (e) {
    throw new ReportWriteError([], files.map((file) => ({ path: join(outputDir, file.name), reason: writeFailureReason(e) })));
  }
  const written: string[] = [];
  const failures: Array<{ path: string; reason: string }> = [];
  for (const file of files) {
    const path = join(outputDir, file.name);
    try {
      writeFileAtomic(path, redact(file.render()));
      written.push(path);
    } catch (e) {
      failures.push({ path, reason: writeFailureReason(e) });
    }
  }
  if (failures.length) throw new ReportWriteError(written, failures);
  return written;
}
