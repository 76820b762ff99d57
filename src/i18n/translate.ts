// Renders a result's texts and the reports' own labels in one language. English is what the result
// already holds (its message, remediation and title were formatted when it was made), so English
// reports are exactly what they were before translation existed; another language is made from
// the result's TextRefs and the catalogs. A text with no translation falls back to English (the
// catalog tests fail for any missing one), and a saved report from before TextRefs existed
// renders its English text in every language.

import type { Result, Status } from '../model.ts';
import { type CheckText, checkCatalogs } from './check-texts.ts';
import type { CatalogLang, Lang } from './lang.ts';
import { fillTemplate, isTextRef, placeholdersOf, pseudoLocalize, type TextData, type TextRef } from './text.ts';
import { formatNumber, UI_CATALOGS, type UiId, uiTemplate, uiText } from './ui.ts';

export interface Translator {
  readonly lang: Lang;
  /** A shared text (report headings, labels, verdict lines). */
  ui(id: UiId, data?: TextData): string;
  /** `base.one` / `base.other` by the language's plural rule for `count` (also given as data). */
  plural(base: string, count: number, data?: TextData): string;
  /** The upper-case status label (PASS, FAIL, ...). */
  status(status: Status): string;
  severity(severity: string): string;
  /** The result's message / remediation / check title in this language. */
  message(r: Pick<Result, 'check' | 'message' | 'messageRefs'>): string;
  remediation(r: Pick<Result, 'check' | 'remediation' | 'remediationRefs'>): string;
  title(r: Pick<Result, 'check' | 'title'>): string;
  /** A text by reference, for one check (undefined when a translation is missing). */
  ref(check: string, ref: TextRef): string | undefined;
  number(n: number): string;
  /** An ISO 8601 timestamp: English keeps it as written; other languages read it through Intl (UTC). */
  dateTime(iso: string): string;
  /** Milliseconds as a duration in the language's words. */
  duration(ms: number): string;
}

const TRANSLATORS = new Map<Lang, Translator>();

export function translator(lang: Lang = 'en'): Translator {
  let t = TRANSLATORS.get(lang);
  if (!t) TRANSLATORS.set(lang, (t = makeTranslator(lang)));
  return t;
}

function makeTranslator(lang: Lang): Translator {
  const number = (n: number) => formatNumber(n, lang);
  const pseudo = lang === 'en-XA';
  const checks = () => checkCatalogs();
  const checkTemplate = (check: string, pick: (c: Partial<CheckText>) => string | undefined): string | undefined => {
    if (pseudo) {
      const en = checks().en[check];
      const template = en ? pick(en) : undefined;
      return template === undefined ? undefined : pseudoLocalize(template);
    }
    const c = checks()[lang][check];
    return c ? pick(c) : undefined;
  };
  /** Data values that are texts themselves (a TextRef) are rendered too; everything else is data. */
  const fillData = (check: string, data: TextData | undefined): TextData | undefined => {
    if (!data) return {};
    let out: TextData | undefined;
    for (const [k, v] of Object.entries(data)) {
      if (isTextRef(v)) {
        const text = ref(check, v);
        if (text === undefined) return undefined;
        (out ??= { ...data })[k] = text;
      }
    }
    return out ?? data;
  };
  const ref = (check: string, r: TextRef): string | undefined => {
    let template: string | undefined;
    if ('ui' in r) template = pseudo ? uiTemplate(r.ui, lang) : UI_CATALOGS[lang as CatalogLang][r.ui];
    else if ('message' in r) template = lang === 'en' ? checks().en[check]?.messages?.[r.message] : checkTemplate(check, (c) => c.messages?.[r.message]);
    else template = lang === 'en' ? checks().en[check]?.remediation : checkTemplate(check, (c) => c.remediation);
    if (template === undefined) return undefined;
    const data = 'remediation' in r ? {} : fillData(check, r.data);
    if (data === undefined) return undefined;
    // A saved report made before the message took its current shape lacks some of its data: the
    // stored English text is then the truth, not a translation with a {{hole}} in it.
    if (placeholdersOf(template).some((name) => !(name in data))) return undefined;
    return fillTemplate(template, data, number);
  };
  const refs = (check: string, list: readonly TextRef[] | undefined): string | undefined => {
    if (!list?.length) return undefined;
    const parts = list.map((r) => ref(check, r));
    return parts.some((p) => p === undefined) ? undefined : parts.join(' ');
  };
  let dateFormat: Intl.DateTimeFormat | undefined;
  const t: Translator = {
    lang,
    ui: (id, data) => uiText(id, data, lang),
    plural(base, count, data = {}) {
      const rule = new Intl.PluralRules(pseudo ? 'en' : lang).select(count);
      const id = (uiTemplate(`${base}.${rule}`, lang) !== undefined ? `${base}.${rule}` : `${base}.other`) as UiId;
      return uiText(id, { count, ...data }, lang);
    },
    status: (status) => uiText(`status.${status}` as UiId, {}, lang),
    severity: (severity) => (uiTemplate(`severity.${severity}`, lang) === undefined ? severity : uiText(`severity.${severity}` as UiId, {}, lang)),
    message: (r) => (lang === 'en' ? r.message : (refs(r.check, r.messageRefs) ?? r.message)),
    remediation: (r) => (lang === 'en' || !r.remediation ? r.remediation : (refs(r.check, r.remediationRefs) ?? r.remediation)),
    title: (r) => (lang === 'en' ? r.title : (checkTemplate(r.check, (c) => c.title) ?? (r.check === 'waivers' ? uiText('waivers.title', {}, lang) : r.title))),
    ref,
    number,
    dateTime(iso) {
      if (lang === 'en' || pseudo) return iso;
      const d = new Date(iso);
      if (Number.isNaN(d.getTime())) return iso;
      dateFormat ??= new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'long', timeZone: 'UTC' });
      return dateFormat.format(d);
    },
    duration(ms) {
      const seconds = Math.max(0, ms) / 1000;
      const unit = seconds >= 60 ? { value: Math.round(seconds / 6) / 10, unit: 'minute' } : { value: Math.round(seconds * 10) / 10, unit: 'second' };
      return new Intl.NumberFormat(pseudo ? 'en' : lang, { style: 'unit', unit: unit.unit, unitDisplay: 'long', maximumFractionDigits: 1 }).format(unit.value);
    },
  };
  return t;
}

