// The one escaping helper of the Markdown report. Every interpolated string goes through `md()`
// (text, table cells, headings) or `mdCode()` (identifiers), whether it came from AWS, a user file
// or the tool's own texts: a rule id must not add a heading, a table column, a link, or an unclosed
// `<details>` that folds the rest of a job summary, and `https://s3.<bucket-region>.amazonaws.com`
// must not lose its placeholder to the HTML sanitiser.

import { visibleControls } from './terminal.ts';

// Characters that start Markdown or HTML constructs anywhere in a line (emphasis, code, links,
// table cells, strikethrough, escapes, a heading's closing #s). `<`, `>` and `&` become entities,
// which also hold inside the HTML blocks the report uses (<details>), where backslashes are not read.
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const INLINE_SPECIAL = /[\\`*_[\]|~#&<>]/g;
// What only matters at the start of a line: list, quote, setext underline, ordered list, and
// leading blanks (an indented code block).
const LINE_START = /^(?:([-+=])|(\d+)([.)])|[ ])/;

function escapeText(text: string, atLineStart: boolean): string {
  const inline = text.replace(INLINE_SPECIAL, (c) => ENTITY[c] ?? `\\${c}`);
  if (!atLineStart) return inline;
  return inline.replace(LINE_START, (m, mark?: string, digits?: string, dot?: string) => (mark ? `\\${mark}` : digits ? `${digits}\\${dot}` : '&#32;'));
}

// URLs (and URL templates such as https://s3.<bucket-region>.amazonaws.com) are shown as code:
// never a broken autolink, never a clickable link an AWS string chose. No `|` or backtick inside,
// so the code span is safe in a table cell too; trailing sentence punctuation stays outside. Chinese
// text follows a URL with no space (`…amazonaws.com（不含路径）。`): a CJK character or full-width
// punctuation ends the URL too.
const URL_LIKE = /https?:\/\/[^\s|`\\\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+?(?=[.,;:!?)\]'"]*(?:[\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef]|$))/g;

/** Inline text for anywhere in the report (paragraph, heading, table cell, link text): one line, nothing interpreted. */
export function md(value: unknown): string {
  const text = visibleControls(String(value ?? ''));
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_LIKE)) {
    out += escapeText(text.slice(last, m.index), last === 0) + '`' + m[0] + '`';
    last = m.index + m[0].length;
  }
  return out + escapeText(text.slice(last), last === 0);
}

/** An identifier (check id, status) as code when it is plain, else as escaped text: the same rendering, nothing to break out of. */
export function mdCode(value: unknown): string {
  const text = String(value ?? '');
  return /^[\w.:/@+=,-]+$/.test(text) ? `\`${text}\`` : md(text);
}

/** A fenced code block that no backtick run in the content can close; control characters shown as escapes (JSON keeps U+202E raw). */
export function mdFence(language: string, raw: string): string[] {
  const content = raw.split('\n').map(visibleControls).join('\n');
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, content, fence];
}
