// The page shell every HTML rendering shares (the report and the history page): one self-contained
// file an auditor opens in any browser, with no network at all. Its one stylesheet and one script
// are inline and allowed by their SHA-256 hashes in a Content-Security-Policy with
// default-src 'none', so nothing else can run or load, even if an escape were ever missed.
// Statuses are told apart by icon and word as well as colour (colour-blind readers, print).

import { createHash } from 'node:crypto';
import type { Status } from '../model.ts';
import { html } from './html-text.ts';

export const STATUS_LABEL: Record<Status, string> = { fail: 'FAIL', error: 'ERROR', warn: 'WARN', skip: 'SKIP', pass: 'PASS' };
// Text glyphs, not emoji: they print in black and white and keep their shape without colour.
export const STATUS_ICON: Record<Status, string> = { fail: '✗', error: '?', warn: '!', skip: '–', pass: '✓' };
export const STATUS_ORDER: Status[] = ['fail', 'error', 'warn', 'skip', 'pass'];

/** An icon + word badge for a status: the shape and the word carry the meaning, the colour only helps. */
export function statusBadge(status: Status, label: string = STATUS_LABEL[status]): string {
  return `<span class="badge st-${status}">${STATUS_ICON[status]} ${html(label)}</span>`;
}

// Palette after Okabe and Ito (distinguishable with the common colour-vision deficiencies): pass
// blue, fail vermilion, warn yellow, error purple, skip grey; every text colour meets WCAG AA on its
// background. Print keeps the colours where the printer can and the words everywhere.
const STYLE = `
:root{color-scheme:light;--fg:#1b1f24;--muted:#4a5159;--line:#c9d1d9;--bg:#fff}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
main,header.banner>div,footer{max-width:1200px;margin:0 auto;padding:0 1.25rem}
h1{font-size:1.5rem;margin:.25rem 0}
h2{font-size:1.3rem;margin:2rem 0 .5rem;border-bottom:2px solid var(--line);padding-bottom:.2rem}
h3{font-size:1.1rem;margin:1.5rem 0 .5rem}
h4,h5,h6{font-size:1rem;margin:1rem 0 .4rem}
article.finding h4,article.finding h5,article.finding h6{margin:.3rem 0}
/* A fleet's target sections render when scrolled to: a 200-target page opens at once. */
section.target{content-visibility:auto;contain-intrinsic-size:auto 1500px}
code,pre{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.9em}
pre{background:#f6f8fa;border:1px solid var(--line);padding:.6rem;overflow:auto;max-height:28rem;white-space:pre-wrap;word-break:break-word}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right}
.muted{color:var(--muted)}
header.banner{padding:1rem 0;border-bottom:4px solid var(--fg)}
header.banner .verdict{font-size:1.6rem;font-weight:700;margin:.2rem 0}
.v-compliant{background:#dbeafe;color:#0b3d78;border-color:#0b3d78}
.v-non-compliant{background:#fde4d8;color:#7a1f00;border-color:#7a1f00}
.v-incomplete{background:#efe3f5;color:#4b1f63;border-color:#4b1f63}
header.banner.v-compliant{border-bottom-color:#0b3d78}
header.banner.v-non-compliant{border-bottom-color:#7a1f00}
header.banner.v-incomplete{border-bottom-color:#4b1f63}
.badge{display:inline-block;padding:0 .4rem;border-radius:.25rem;font-weight:700;border:1px solid currentColor;white-space:nowrap}
.st-pass{background:#dbeafe;color:#0b3d78}
.st-fail{background:#fde4d8;color:#7a1f00}
.st-warn{background:#fff3c4;color:#5c4300}
.st-error{background:#efe3f5;color:#4b1f63}
.st-skip{background:#eceff1;color:#3b4248}
.st-none{background:#fff;color:var(--muted)}
article.finding{border:1px solid var(--line);border-left:6px solid currentColor;border-radius:.3rem;padding:.4rem .8rem;margin:.6rem 0;background:#fff}
article.finding.st-fail{border-left-color:#c0390b}
article.finding.st-warn{border-left-color:#b58900}
article.finding.st-error{border-left-color:#7b3f9e}
article.finding.st-pass{border-left-color:#1f6fc4}
article.finding.st-skip{border-left-color:#6b747c}
article.finding{color:var(--fg)}
article.finding:target,.opened{outline:3px solid #1b1f24;outline-offset:2px}
table.rest td:last-child{min-width:14rem}
table.rest pre{max-height:20rem}
.fix{display:flex;gap:.4rem;align-items:flex-start;background:#f6f8fa;border:1px solid var(--line);padding:.4rem .6rem;border-radius:.3rem}
.fix span{flex:1}
table.rest td:first-child{font-weight:700;white-space:nowrap}
button.copy{font:inherit;font-size:.85rem;padding:.15rem .6rem;border:1px solid #1b1f24;border-radius:.25rem;background:#fff;color:#1b1f24;cursor:pointer}
button.copy:focus-visible,a:focus-visible,summary:focus-visible{outline:3px solid #0b3d78;outline-offset:2px}
summary{cursor:pointer;font-weight:600}
a{color:#0b3d78}
.heatmap-wrap{overflow:auto;max-height:80vh;border:1px solid var(--line)}
table.heatmap{margin:0;font-size:.8rem}
table.heatmap th,table.heatmap td{padding:0;text-align:center}
table.heatmap thead th{position:sticky;top:0;background:#fff;z-index:1;vertical-align:bottom;height:10rem}
table.heatmap thead th span{writing-mode:vertical-rl;transform:rotate(180deg);display:inline-block;padding:.3rem .1rem;white-space:nowrap}
table.heatmap tbody th{text-align:left;padding:.1rem .4rem;white-space:nowrap;position:sticky;left:0;background:#fff;max-width:22rem;overflow:hidden;text-overflow:ellipsis}
table.heatmap td a{display:block;min-width:1.7rem;padding:.15rem 0;text-decoration:none;color:inherit;font-weight:700}
table.heatmap td a:hover{outline:2px solid #1b1f24}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.legend{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}
svg.chart{max-width:100%;height:auto;border:1px solid var(--line);background:#fff}
svg.chart text{font:11px system-ui,"DejaVu Sans",sans-serif;fill:#1b1f24}
footer{margin:2rem auto;color:var(--muted);border-top:1px solid var(--line);padding-top:.6rem}
@media print{
  *{print-color-adjust:exact;-webkit-print-color-adjust:exact}
  body{font-size:11pt}
  button.copy{display:none}
  .heatmap-wrap{max-height:none;overflow:visible}
  table.heatmap thead th,table.heatmap tbody th{position:static}
  pre{max-height:none}
  section.target{content-visibility:visible}
  article.finding,tr{break-inside:avoid}
  a{color:inherit;text-decoration:none}
}
`;

// Opens what a link points at (a heat-map cell, a summary row): its enclosing <details> and the
// finding's evidence, then scrolls to it. Copy buttons put a remediation on the clipboard (with a
// selection fallback where the Clipboard API is refused). Printing opens every <details>.
const SCRIPT = `
(function(){
  function reveal(id){
    var el=document.getElementById(id);
    if(!el)return;
    for(var p=el.parentElement;p;p=p.parentElement){if(p.tagName==='DETAILS')p.open=true;}
    var evidence=el.querySelector('details');
    if(evidence)evidence.open=true;
    var prev=document.querySelector('.opened');
    if(prev)prev.classList.remove('opened');
    el.classList.add('opened');
    el.scrollIntoView({block:'start'});
    if(el.focus)el.focus({preventScroll:true});
  }
  function fromHash(){if(location.hash.length>1)reveal(decodeURIComponent(location.hash.slice(1)));}
  window.addEventListener('hashchange',fromHash);
  document.addEventListener('click',function(e){
    var link=e.target.closest&&e.target.closest('a[href^="#"]');
    if(link){var id=link.getAttribute('href').slice(1);setTimeout(function(){reveal(id);},0);return;}
    var button=e.target.closest&&e.target.closest('button[data-copy]');
    if(!button)return;
    var source=document.getElementById(button.getAttribute('data-copy'));
    if(!source)return;
    var text=source.textContent;
    function done(ok){button.textContent=ok?'Copied':'Select and copy';setTimeout(function(){button.textContent='Copy';},1500);}
    function fallback(){
      var range=document.createRange();range.selectNodeContents(source);
      var sel=window.getSelection();sel.removeAllRanges();sel.addRange(range);
      var ok=false;try{ok=document.execCommand('copy');}catch(err){ok=false;}
      done(ok);
    }
    if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(text).then(function(){done(true);},fallback);}else{fallback();}
  });
  window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});
  fromHash();
})();
`;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The policy of every page: nothing loads from anywhere; only this stylesheet and script run. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; base-uri 'none'; form-action 'none'`;

/** A whole page: `title` is text (escaped here), `body` is markup the caller built with html(). */
export function htmlPage(title: string, body: string, lang = 'en'): string {
  return [
    '<!doctype html>',
    `<html lang="${html(lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${html(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    body,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
