// The checks' texts by language. English is each check's own definition (title, rationale,
// remediation, messages): the definitions ARE the English catalog. Other languages are
// checks/<pack>/locales/<lang>.json: { "<check-id>": { title, rationale, remediation, messages } },
// kept complete and placeholder-exact by test/unit/i18n-catalogs.test.ts.

import { codeArtifactChecks } from '../../checks/codeartifact/index.ts';
import codeartifactDe from '../../checks/codeartifact/locales/de.json' with { type: 'json' };
import codeartifactZhCN from '../../checks/codeartifact/locales/zh-CN.json' with { type: 'json' };
import { ghesActionsChecks } from '../../checks/ghes-actions-s3/index.ts';
import ghesActionsDe from '../../checks/ghes-actions-s3/locales/de.json' with { type: 'json' };
import ghesActionsZhCN from '../../checks/ghes-actions-s3/locales/zh-CN.json' with { type: 'json' };
import { ghesS3Checks } from '../../checks/ghes-s3/index.ts';
import storageDe from '../../checks/s3-storage/locales/de.json' with { type: 'json' };
import storageZhCN from '../../checks/s3-storage/locales/zh-CN.json' with { type: 'json' };
import type { CatalogLang } from './lang.ts';

export interface CheckText {
  title: string;
  rationale: string;
  remediation: string;
  messages: Record<string, string>;
}
export type CheckCatalog = Record<string, Partial<CheckText>>;

/**
 * Every check of every pack, once: a check shared by two packs (checks/s3-storage/, listed by
 * ghes-s3 and ghes-actions-s3) is one object with one text per language.
 */
export const ALL_CHECKS: ReadonlyArray<CheckText & { id: string }> = [...new Set([...ghesS3Checks, ...ghesActionsChecks, ...codeArtifactChecks])];

/**
 * checks/<folder>/locales/<lang>.json, per folder that holds check files: a check's texts live
 * beside the check, whichever packs list it (test/unit/i18n-catalogs.test.ts matches files to folders).
 */
export const CHECK_CATALOG_FILES: Record<string, Record<Exclude<CatalogLang, 'en'>, CheckCatalog>> = {
  's3-storage': { de: storageDe as CheckCatalog, 'zh-CN': storageZhCN as CheckCatalog },
  'ghes-actions-s3': { de: ghesActionsDe as CheckCatalog, 'zh-CN': ghesActionsZhCN as CheckCatalog },
  codeartifact: { de: codeartifactDe as CheckCatalog, 'zh-CN': codeartifactZhCN as CheckCatalog },
};

const english = (): Record<string, CheckText> =>
  Object.fromEntries(ALL_CHECKS.map((c) => [c.id, { title: c.title, rationale: c.rationale, remediation: c.remediation, messages: c.messages }]));

let cache: Record<CatalogLang, CheckCatalog> | undefined;
/** Check id → its texts, per language (English from the definitions). */
export function checkCatalogs(): Record<CatalogLang, CheckCatalog> {
  cache ??= {
    en: english(),
    de: Object.assign({}, ...Object.values(CHECK_CATALOG_FILES).map((c) => c.de)),
    'zh-CN': Object.assign({}, ...Object.values(CHECK_CATALOG_FILES).map((c) => c['zh-CN'])),
  };
  return cache;
}
