// Language-neutral texts: a result keeps, besides its English `message` and `remediation`, the ids
// and data they were made from (TextRef), so every rendering can say them in the reader's language
// (src/i18n/translate.ts) and the JSON report stays the language-neutral record.

export type TextData = Record<string, unknown>;

/**
 * One sentence (or fix) by id:
 * - `{ message }`: a message id of the result's check (checks/<pack>/<check>.ts `messages`);
 * - `{ remediation: true }`: the check's own `remediation`;
 * - `{ ui }`: a text of the shared catalog (src/i18n/locales/<lang>.json): the engine's, the
 *   waivers', an unreadable fact's.
 * `data` fills the `{{placeholders}}`; its values (ARNs, bucket names, JSON statements) are never
 * translated.
 */
export type TextRef = { message: string; data?: TextData } | { ui: string; data?: TextData } | { remediation: true };

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** The placeholder names of a template, sorted and once each (the catalogs' tests compare them). */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
}

/** A value as text: lists joined with ", ", numbers through `number` (Intl in the chosen language). */
export function valueText(value: unknown, number: (n: number) => string = String): string {
  if (Array.isArray(value)) return value.map((v) => valueText(v, number)).join(', ');
  if (typeof value === 'number') return number(value);
  return String(value);
}

/** `{{name}}` replaced from the data; a name the data lacks stays visible as `{{name}}`. */
export function fillTemplate(template: string, data: TextData = {}, number?: (n: number) => string): string {
  return template.replace(PLACEHOLDER, (_, key: string) => (data[key] === undefined ? `{{${key}}}` : valueText(data[key], number)));
}

// The pseudo-locale (en-XA): every letter accented, the text bracketed and lengthened by about a
// third, so a string that bypassed the catalogs (plain ASCII) and a layout that breaks on longer
// or non-Latin text both show. Placeholders stay as they are: they are filled with data afterwards.
const ACCENTED: Record<string, string> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [c, [...'åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ'][i]]),
);

export function pseudoLocalize(template: string): string {
  const parts = template.split(/(\{\{\s*\w+\s*\}\})/);
  const letters = template.replace(PLACEHOLDER, '').replace(/[^A-Za-z]/g, '').length;
  const accented = parts.map((p, i) => (i % 2 === 1 ? p : p.replace(/[A-Za-z]/g, (c) => ACCENTED[c]))).join('');
  return `⟦${accented}${'·'.repeat(Math.ceil(letters / 3))}⟧`;
}

/** A data value that is a text itself (rendered in the reader's language), not data. */
export function isTextRef(v: unknown): v is TextRef {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (typeof o.ui === 'string' || typeof o.message === 'string') {
    const dataOk = o.data === undefined || (typeof o.data === 'object' && o.data !== null && !Array.isArray(o.data));
    return dataOk && !(typeof o.ui === 'string' && typeof o.message === 'string') && keys.every((k) => k === 'ui' || k === 'message' || k === 'data');
  }
  return o.remediation === true && keys.length === 1;
}

// CJK full-width punctuation (、。「」（）：；…) carries its own spacing: no blank beside it.
const FULL_WIDTH_END = /[\u3000-\u303f\uff00-\uffef]$/;
const FULL_WIDTH_START = /^[\u3000-\u303f\uff00-\uffef]/;

/** The blank between a label and what follows it: none beside full-width punctuation ("修复方法：将…", "**结论** （退出代码 1）"). */
export function gap(before: string, after = ''): string {
  return FULL_WIDTH_END.test(before) || FULL_WIDTH_START.test(after) ? '' : ' ';
}
