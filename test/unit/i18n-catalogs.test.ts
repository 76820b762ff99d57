// The catalogs are complete and exact (issue 19): every text of every check and of the tool itself
// exists in every language, with exactly the English placeholders, and no catalog holds an id
// nothing uses. English is the checks' own definitions and src/i18n/locales/en.json.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'vitest';
import { ALL_CHECKS, CHECK_CATALOG_FILES } from '../../src/i18n/check-texts.ts';
import { LANGUAGES } from '../../src/i18n/lang.ts';
import { placeholdersOf } from '../../src/i18n/text.ts';
import { UI_CATALOGS } from '../../src/i18n/ui.ts';
import { SECTIONS } from '../../src/report/groups.ts';

const OTHER_LANGS = LANGUAGES.filter((l) => l !== 'en') as Array<Exclude<(typeof LANGUAGES)[number], 'en'>>;
const FIELDS = ['title', 'rationale', 'remediation'] as const;

/** Every way a catalog can differ from English: missing, extra, empty, or other placeholders. */
function compare(english: Record<string, string>, translated: Record<string, unknown> | undefined, where: string): string[] {
  const problems: string[] = [];
  const t = translated ?? {};
  for (const [id, text] of Object.entries(english)) {
    const other = t[id];
    if (typeof other !== 'string' || other.trim() === '') {
      problems.push(`${where}: "${id}" is missing`);
      continue;
    }
    const want = placeholdersOf(text);
    const got = placeholdersOf(other);
    const missing = want.filter((p) => !got.includes(p));
    const extra = got.filter((p) => !want.includes(p));
    if (missing.length) problems.push(`${where}: "${id}" lacks {{${missing.join('}}, {{')}}}`);
    if (extra.length) problems.push(`${where}: "${id}" has {{${extra.join('}}, {{')}}}, which English has not`);
  }
  for (const id of Object.keys(t)) if (!(id in english)) problems.push(`${where}: "${id}" is not an id English has (nothing uses it)`);
  return problems;
}

const CHECKS_DIR = new URL('../../checks/', import.meta.url);
/** The folders under checks/ and the check ids whose files they hold (id = file name, test/checks/registry.test.ts). */
const CHECK_FOLDERS = readdirSync(CHECKS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => ({ pack: e.name, ids: new Set(readdirSync(new URL(`${e.name}/`, CHECKS_DIR)).filter((f) => f.endsWith('.ts') && !f.startsWith('_') && !['context.ts', 'facts.ts', 'index.ts'].includes(f) && !f.endsWith('-facts.ts')).map((f) => f.replace(/\.ts$/, ''))) }))
  .filter((f) => f.ids.size > 0);

describe('the checks\' catalogs (checks/<folder>/locales/<lang>.json, beside the check files)', () => {
  test('every check of every pack lives in a folder that has catalogs; every folder with checks has catalogs', () => {
    const homeless = ALL_CHECKS.filter((c) => !CHECK_FOLDERS.some((f) => f.ids.has(c.id))).map((c) => c.id);
    assert.deepEqual(homeless, []);
    assert.deepEqual(CHECK_FOLDERS.map((f) => f.pack).filter((p) => !(p in CHECK_CATALOG_FILES)), []);
  });

  for (const { pack, ids: folderIds } of CHECK_FOLDERS) {
    const checks = ALL_CHECKS.filter((c) => folderIds.has(c.id));
    for (const lang of OTHER_LANGS) {
      test(`${pack} ${lang}: every check, every text, exactly the English placeholders, nothing extra`, () => {
        const catalog = (CHECK_CATALOG_FILES[pack]?.[lang] ?? {}) as Record<string, Record<string, unknown>>;
        const ids = new Set(checks.map((c) => c.id));
        const problems: string[] = [];
        for (const id of Object.keys(catalog)) if (!ids.has(id)) problems.push(`${pack}/${lang}: check "${id}" is not a check of the pack`);
        for (const check of checks) {
          const entry = catalog[check.id];
          if (!entry) {
            problems.push(`${pack}/${lang}: check "${check.id}" is missing`);
            continue;
          }
          for (const key of Object.keys(entry)) if (![...FIELDS, 'messages'].includes(key)) problems.push(`${pack}/${lang}/${check.id}: "${key}" is not a field of a check's texts`);
          problems.push(...compare(Object.fromEntries(FIELDS.map((f) => [f, check[f]])), Object.fromEntries(FIELDS.filter((f) => f in entry).map((f) => [f, entry[f]])), `${pack}/${lang}/${check.id}`));
          problems.push(...compare(check.messages, entry.messages as Record<string, unknown> | undefined, `${pack}/${lang}/${check.id}.messages`));
        }
        assert.deepEqual(problems, []);
      });
    }
  }

  test('every pack folder with checks has a locales folder for every language, and nothing else there', () => {
    for (const pack of Object.keys(CHECK_CATALOG_FILES)) {
      assert.ok(existsSync(new URL(`${pack}/locales/`, CHECKS_DIR)), pack);
      const files = readdirSync(new URL(`../../checks/${pack}/locales/`, import.meta.url)).sort();
      assert.deepEqual(files, OTHER_LANGS.map((l) => `${l}.json`).sort());
    }
  });
});

// Ids built at run time from a status, a verdict, a section... (the rest appear literally in src/).
const DYNAMIC_PREFIXES = ['status.', 'summary.', 'severity.', 'verdict.', 'section.', 'credentials.', 'access.column.', 'access.allow', 'access.deny', 'access.depends', 'label.results.', 'action.notAnnotated.', 'label.status', 'label.check', 'label.subject', 'label.message'];

function sourceFiles(dir: URL): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(new URL(`${e.name}/`, dir)) : e.name.endsWith('.ts') ? [readFileSync(new URL(e.name, dir), 'utf8')] : []));
}

describe('the shared catalog (src/i18n/locales/<lang>.json)', () => {
  const en = UI_CATALOGS.en;
  for (const lang of OTHER_LANGS) {
    test(`${lang}: every id English has, exactly its placeholders, nothing extra`, () => {
      assert.deepEqual(compare(en, UI_CATALOGS[lang], lang), []);
    });
  }

  test('every id is used: literally in src/ or checks/, or built from a status, verdict, section or other fixed set', () => {
    const source = [...sourceFiles(new URL('../../src/', import.meta.url)), ...sourceFiles(new URL('../../checks/', import.meta.url))].join('\n');
    const unused = Object.keys(en).filter((id) => !source.includes(`'${id}'`) && !DYNAMIC_PREFIXES.some((p) => id.startsWith(p)));
    assert.deepEqual(unused, []);
  });

  test('every report section, status, severity and verdict has its text', () => {
    for (const s of [...SECTIONS.map((x) => x.title), 'Other']) assert.ok(`section.${s}` in en, `section "${s}" has no text (src/report/groups.ts)`);
    for (const s of ['pass', 'fail', 'warn', 'error', 'skip']) for (const p of ['status.', 'summary.']) assert.ok(`${p}${s}` in en, `${p}${s}`);
    for (const v of ['compliant', 'non-compliant', 'incomplete']) for (const p of ['verdict.', 'verdict.line.', 'verdict.title.', 'verdict.text.']) assert.ok(`${p}${v}` in en, `${p}${v}`);
  });

  test('a translation is not English copied over', () => {
    // A catalog that merely copies English passes the checks above; a reviewer would not. Count how
    // many texts with letters are identical to English: a few (AWS, SSO, ids) may be, most must not.
    for (const lang of OTHER_LANGS) {
      const same = Object.entries(en).filter(([id, text]) => /[a-z]{4}/.test(text.replace(/\{\{\w+\}\}/g, '')) && UI_CATALOGS[lang][id] === text);
      assert.ok(same.length <= 12, `${lang}: ${same.length} texts are English as written: ${same.map(([id]) => id).join(', ')}`);
    }
  });
});
