// Shared by the HTML report tests: a real run's fleet report (the built CLI against the emulator:
// the demo bucket, a missing bucket, and a target whose name is an HTML attack), and a check that a
// page holds only the markup the renderer writes itself.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { combineTargets, type Report } from '../../src/report/report.ts';

export const FLEET_RUN = JSON.parse(readFileSync(new URL('../fixtures/reports/fleet-run.json', import.meta.url), 'utf8')) as Report;

/** A fleet of `size` targets made of a real fleet report's targets in turn, each under its own name. */
export function syntheticFleet(from: Report, size: number): Report {
  const source = from.targets!;
  const targets = Array.from({ length: size }, (_, i) => ({ ...source[i % source.length], name: `packages-${String(i + 1).padStart(3, '0')}` }));
  return combineTargets({ tool: from.tool, pack: from.pack, startedAt: new Date(from.startedAt), finishedAt: new Date(from.finishedAt) }, targets);
}

/** The tags and attributes the renderer writes itself; anything else came from a string. */
const OWN_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'header', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'main', 'section', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'a', 'b', 'code', 'strong', 'time', 'article', 'button', 'details', 'summary', 'pre', 'ul', 'li', 'dl', 'dt', 'dd', 'footer', 'script', 'svg', 'rect', 'line', 'text']);
const OWN_ATTRIBUTES = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'class', 'id', 'href', 'tabindex', 'type', 'role', 'aria-label', 'aria-labelledby', 'aria-hidden', 'scope', 'data-copy', 'viewBox', 'width', 'height', 'xmlns', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'fill', 'stroke', 'text-anchor']);

/** Every tag and attribute of the page, as a tokenizer sees them (outside the one style and script). */
export function assertOnlyOwnMarkup(page: string): void {
  const body = page.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<script>[\s\S]*?<\/script>/, '');
  assert.ok(!/<script|<style|<!--/i.test(body), 'a second script, style or a comment');
  for (const m of body.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    assert.ok(OWN_TAGS.has(m[1].toLowerCase()), `a tag the renderer does not write: ${m[0]}`);
    // Attribute values are quoted; what remains once they are removed must be attribute names only.
    const names = m[2].replace(/="[^"]*"/g, '').trim().split(/\s+/).filter(Boolean);
    for (const name of names) assert.ok(OWN_ATTRIBUTES.has(name), `an attribute the renderer does not write: ${name} in ${m[0]}`);
  }
  assert.ok(!/href="(?!#)/.test(body), 'a link that leaves the page');
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(page), 'a raw control or bidi character');
}

