// Writes the chosen report files. Everything goes through redact(): no secret reaches a file.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Format } from '../config/options.ts';
import { redact } from '../redact.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { Report } from './report.ts';

export const REPORT_FILES: Record<Format, string> = {
  json: 'packages-preflight.json',
  junit: 'packages-preflight.junit.xml',
  markdown: 'packages-preflight.md',
  html: 'packages-preflight.html',
};

export function renderFormat(report: Report, format: Format): string {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  if (format === 'junit') return renderJunit(report);
  if (format === 'html') return renderHtml(report);
  return renderMarkdown(report);
}

/** Writes atomically (temp file + rename) so a reader never sees a half-written report. Returns the paths. */
export function writeReports(report: Report, formats: readonly Format[], outputDir: string): string[] {
  mkdirSync(outputDir, { recursive: true });
  return formats.map((format) => {
    const path = join(outputDir, REPORT_FILES[format]);
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, redact(renderFormat(report, format)));
    renameSync(tmp, path);
    return path;
  });
}
