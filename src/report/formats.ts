// The report formats: one entry per format (its file name and its renderer over the JSON report).
// Adding a format is one entry here: --format, `report --from` and the writer all read this table.
// Every renderer is a pure function of the JSON report (plus render options), so a saved report
// re-renders into any format without AWS.

import type { Lang } from '../i18n/lang.ts';
import { renderAsff } from './asff.ts';
import { renderCsv } from './csv.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderOcsf } from './ocsf.ts';
import type { Report } from './report.ts';
import { renderSarif, type SarifOptions } from './sarif.ts';

/** What a renderer may need beyond the report: where SARIF results are anchored and how source files are read, and the language of the human renderings (console, Markdown, HTML, JUnit messages). */
export type RenderOptions = SarifOptions & { lang?: Lang };

export interface ReportFormat {
  file: string;
  render(report: Report, options: RenderOptions): string;
}

export const REPORT_FORMATS = {
  json: { file: 'packages-preflight.json', render: (report) => JSON.stringify(report, null, 2) + '\n' },
  junit: { file: 'packages-preflight.junit.xml', render: renderJunit },
  markdown: { file: 'packages-preflight.md', render: renderMarkdown },
  html: { file: 'packages-preflight.html', render: renderHtml },
  sarif: { file: 'packages-preflight.sarif', render: renderSarif },
  ocsf: { file: 'packages-preflight.ocsf.json', render: renderOcsf },
  asff: { file: 'packages-preflight.asff.json', render: renderAsff },
  csv: { file: 'packages-preflight.csv', render: renderCsv },
} satisfies Record<string, ReportFormat>;

export type Format = keyof typeof REPORT_FORMATS;
export const FORMATS = Object.keys(REPORT_FORMATS) as Format[];
/**
 * Written when --format is not given: the machine-readable JSON and JUnit, the Markdown for CI
 * summaries, and the HTML page (the auditor's file); sarif, ocsf, asff and csv are asked for by name.
 */
export const DEFAULT_FORMATS: readonly Format[] = ['json', 'junit', 'markdown', 'html'];
