// `packages-preflight checks [--format text|json]`: every check of every pack (id, title, severity,
// pack), in the order they run. No AWS call, no credentials.

import stringWidth from 'string-width';
import { codeArtifactChecks } from '../../../checks/codeartifact/index.ts';
import { ghesActionsChecks } from '../../../checks/ghes-actions-s3/index.ts';
import { ghesS3Checks } from '../../../checks/ghes-s3/index.ts';
import { currentLang } from '../../i18n/lang.ts';
import { translator } from '../../i18n/translate.ts';
import { padToWidth } from '../../report/console.ts';
import { out } from '../output.ts';

export interface CheckListing {
  id: string;
  title: string;
  severity: string;
  pack: string;
}

export function listChecks(): CheckListing[] {
  const packs = [['ghes-s3', ghesS3Checks], ['ghes-actions-s3', ghesActionsChecks], ['codeartifact', codeArtifactChecks]] as const;
  return packs.flatMap(([pack, checks]) => checks.map((c) => ({ id: c.id, title: c.title, severity: c.severity, pack })));
}

export async function runChecksCommand(args: Record<string, unknown>): Promise<number> {
  const list = listChecks();
  if (args.format === 'json') {
    out(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  // The table in the reader's language (--lang); the JSON listing above stays English, like the JSON report.
  const tr = translator(currentLang());
  const rows = list.map((c) => ({ ...c, severity: tr.severity(c.severity), title: tr.title({ check: c.id, title: c.title }) }));
  const head = { id: tr.ui('checks.id'), severity: tr.ui('checks.severity'), pack: tr.ui('checks.pack'), title: tr.ui('checks.title') };
  const width = (key: keyof CheckListing) => Math.max(stringWidth(head[key]), ...rows.map((c) => stringWidth(c[key])));
  const columns: Array<keyof CheckListing> = ['id', 'severity', 'pack', 'title'];
  const row = (c: Record<keyof CheckListing, string>) => columns.map((k, i) => (i === columns.length - 1 ? c[k] : padToWidth(c[k], width(k)))).join('  ');
  out(`${[row(head), ...rows.map(row)].join('\n')}\n`);
  return 0;
}
