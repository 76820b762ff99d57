// The shared catalog: every text the tool itself writes outside the checks (report headings and
// labels, verdict lines, the engine's and the waivers' sentences, an unreadable fact's explanation
// and fix, the CLI's own errors), keyed by id, one JSON file per language. English is
// locales/en.json; a test keeps every language's keys and placeholders equal to it.

import type { CatalogLang, Lang } from './lang.ts';
import { currentLang } from './lang.ts';
import { fillTemplate, isTextRef, pseudoLocalize, type TextData } from './text.ts';
import de from './locales/de.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };
import zhCN from './locales/zh-CN.json' with { type: 'json' };

export type UiId = keyof typeof en;

export const UI_CATALOGS: Record<CatalogLang, Record<string, string>> = { en, de, 'zh-CN': zhCN };

const numberFormats = new Map<Lang, Intl.NumberFormat>();
/** A number in the language's digits and separators; English keeps plain digits (its reports are unchanged). */
export function formatNumber(n: number, lang: Lang): string {
  if (lang === 'en' || lang === 'en-XA' || !Number.isFinite(n)) return String(n);
  let f = numberFormats.get(lang);
  if (!f) numberFormats.set(lang, (f = new Intl.NumberFormat(lang)));
  return f.format(n);
}

/** The template of a shared text in a language: the catalog's, the pseudo-locale's (from English), else English. */
export function uiTemplate(id: string, lang: Lang): string | undefined {
  if (lang === 'en-XA') return UI_CATALOGS.en[id] === undefined ? undefined : pseudoLocalize(UI_CATALOGS.en[id]);
  return UI_CATALOGS[lang][id] ?? UI_CATALOGS.en[id];
}

/** A shared text, filled from the data, in `lang` (default: the process's language). Data values that are shared texts themselves are rendered first. */
export function uiText(id: UiId, data: TextData = {}, lang: Lang = currentLang()): string {
  const template = uiTemplate(id, lang);
  if (template === undefined) throw new Error(`unknown text id "${id}"`);
  const filled = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, isTextRef(v) && 'ui' in v ? uiText(v.ui as UiId, v.data, lang) : v]));
  return fillTemplate(template, filled, (n) => formatNumber(n, lang));
}
