// The checks' texts by language. English is each check's own definition (title, rationale,
// remediation, messages): the definitions ARE the English catalog. Other languages are
// checks/<pack>/locales/<lang>.json: { "<check-id>": { title, rationale, remediation, messages } },
// kept complete and placeholder-exact by test/unit/i18n-catalogs.test.ts.

import { codeArtifactChecks } from '../../checks/codeartifact/index.ts';
import codeartifactDe from '../../checks/codeartifact/locales/de.json' with { type: 'json' };
import codeartifactZhCN from '../../checks/codeartifact/locales/zh-CN.json' with { type: 'json' };
import { ghesS3Checks } from '../../checks/ghes-s3/index.ts';
import ghesS3De from '../../checks/ghes-s3/locales/de.json' with { type: 'json' };
import ghesS3ZhCN from '../../checks/ghes-s3/locales/zh-CN.json' with { type: 'json' };
import type { CatalogLang } from './lang.ts';

export interface CheckText {
  title: string;
  rationale: string;
  remediation: string;
  messages: Record<string, string>;
}
export type CheckCatalog = Record<string, Partial<CheckText>>;

/** Every pack's checks, as the catalogs see them. */
export const CHECK_PACKS: Array<{ pack: string; checks: ReadonlyArray<CheckText & { id: string }> }> = [
  { pack: 'ghes-s3', checks: ghesS3Checks },
  { pack: 'codeartifact', checks: codeArtifactChecks },
];

/** checks/<pack>/locales/<lang>.json, per pack and language (the tests read each file's own content). */
export const CHECK_CATALOG_FILES: Record<string, Record<Exclude<CatalogLang, 'en'>, CheckCatalog>> = {
  'ghes-s3': { de: ghesS3De as CheckCatalog, 'zh-CN': ghesS3ZhCN as CheckCatalog },
  codeartifact: { de: codeartifactDe as CheckCatalog, 'zh-CN': codeartifactZhCN as CheckCatalog },
};

const english = (): Record<string, CheckText> =>
  Object.fromEntries(CHECK_PACKS.flatMap(({ checks }) => checks.map((c) => [c.id, { title: c.title, rationale: c.rationale, remediation: c.remediation, messages: c.messages }])));

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
