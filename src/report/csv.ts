// CSV for spreadsheets: one row per result (target, check, subject, status, severity, message,
// account, region), RFC 4180 quoting (csv-stringify: CRLF records, fields with a comma, quote or
// line break quoted, quotes doubled), and formula injection neutralised: a cell a spreadsheet
// would evaluate (starting with =, +, -, @, tab or CR) gets a leading single quote (OWASP "CSV Injection").

import { stringify } from 'csv-stringify/sync';
import { findingContext } from './finding-context.ts';
import { type Report, targetsOf } from './report.ts';

export const CSV_COLUMNS = ['target', 'check', 'subject', 'status', 'severity', 'message', 'account', 'region'] as const;

/** A cell as text a spreadsheet shows and never runs. */
export function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * The one CSV writer (the report's CSV and `report history --format csv`): a header row and data
 * rows, every cell through csvCell, RFC 4180 quoting with CRLF records.
 */
export function csvText(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  // csv-stringify quotes only its own record delimiter; RFC 4180 quotes any line break.
  return stringify([header, ...rows].map((row) => row.map(csvCell)), { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

export function renderCsv(report: Report): string {
  const rows = targetsOf(report).flatMap((t) =>
    t.results.map((r) => {
      const { account, region } = findingContext(t, r);
      return [t.name, r.check, r.subject, r.status, r.severity, r.message, account, region];
    }),
  );
  return csvText(CSV_COLUMNS, rows);
}
