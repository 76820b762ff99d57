// `packages-preflight checks [--format text|json]`: every check of every pack (id, title, severity,
// pack), in the order they run. No AWS call, no credentials.

import { codeArtifactChecks } from '../../../checks/codeartifact/index.ts';
import { ghesActionsChecks } from '../../../checks/ghes-actions-s3/index.ts';
import { ghesS3Checks } from '../../../checks/ghes-s3/index.ts';
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
  const width = (key: keyof CheckListing) => Math.max(key.length, ...list.map((c) => c[key].length));
  const columns: Array<keyof CheckListing> = ['id', 'severity', 'pack', 'title'];
  const row = (c: Record<keyof CheckListing, string>) => columns.map((k, i) => (i === columns.length - 1 ? c[k] : c[k].padEnd(width(k)))).join('  ');
  out(`${[row({ id: 'ID', severity: 'SEVERITY', pack: 'PACK', title: 'TITLE' }), ...list.map(row)].join('\n')}\n`);
  return 0;
}
