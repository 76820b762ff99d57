// The one escaping helper of the HTML reports (the single-target/fleet report and the history page).
// Every interpolated string goes through `html()`, in text and in attribute values alike (it
// escapes both quote kinds), whether it came from AWS, a user file or the tool's own texts: a rule
// id must not open a tag, close an attribute, or start a script. Control and bidi characters are
// shown as their escapes (as in the Markdown and console renderings), never acted on.

import { visibleControls } from './terminal.ts';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** One line of text or an attribute value: markup characters become entities, control characters visible escapes. */
export function html(value: unknown): string {
  return visibleControls(String(value ?? '')).replace(/[&<>"']/g, (c) => ENTITY[c]);
}

/**
 * Preformatted text (a <pre> block's content, never an attribute): its own line breaks stay, control
 * characters become visible escapes, `&` and `<` and `>` entities. Quotes stay as they are: they end
 * nothing in element content, and evidence JSON is full of them (a 200-target report's size).
 */
export function htmlBlock(raw: string): string {
  return raw
    .split('\n')
    .map((line) => visibleControls(line).replace(/[&<>]/g, (c) => ENTITY[c]))
    .join('\n');
}
