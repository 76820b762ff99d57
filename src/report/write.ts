// Writes the chosen report files. Everything goes through redact(): no secret reaches a file.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../redact.ts';
import { type Format, REPORT_FORMATS, type RenderOptions } from './formats.ts';
import type { Report } from './report.ts';

export const REPORT_FILES = Object.fromEntries(Object.entries(REPORT_FORMATS).map(([name, format]) => [name, format.file])) as Record<Format, string>;

export function renderFormat(report: Report, format: Format, options: RenderOptions = {}): string {
  return REPORT_FORMATS[format].render(report, options);
}

/** Writes atomically (temp file + rename) so a reader never sees a half-written report. Returns the paths. */
export function writeReports(report: Report, formats: readonly Format[], outputDir: string, options: RenderOptions = {}): string[] {
  mkdirSync(outputDir, { recursive: true });
  return formats.map((format) => {
    const path = join(outputDir, REPORT_FILES[format]);
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, redact(renderFormat(report, format, options)));
    renameSync(tmp, path);
    return path;
  });
}
