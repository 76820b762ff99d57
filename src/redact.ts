// Non-negotiable 2: no secret ever leaves the process. Every byte the tool writes (stdout,
// stderr, report files, debug logs) goes through `redact`, so a secret that slips into an AWS
// error message, a policy document or a stack trace is still removed at the exit.
//
// A registered secret is recognised in every form it can take on the way out:
// - whole or in pieces: any PIECE-character run of it (a cut error message, a fix hint that repeats
//   part of a pasted value), matched case-insensitively (a bucket-name hint lower-cases it);
// - escaped: percent-encoded in any case and even twice (`%2F`, `%2f`, `%252F`), JSON-escaped
//   (`\/`, `\u002B`), as HTML character references (`&#x2F;`), and any mix of these, because the
//   text is matched after decoding those escapes (and the original span is what gets removed);
// - base64 and base64url encoded, at any of the three byte alignments inside a longer encoded blob.

/** A run of this many characters of a registered secret is a leak (a secret is ~40, a token hundreds). */
export const PIECE = 12;
/** Shorter values are not registered: they would redact noise. */
const MIN_SECRET = 8;

/** Lower-cased windows of PIECE characters (of secrets at least PIECE long). */
const pieces = new Set<string>();
/** Lower-cased secrets shorter than PIECE, matched whole. */
const shortSecrets = new Set<string>();

function addForm(form: string): void {
  if (form.length < MIN_SECRET) return;
  const lower = form.toLowerCase();
  if (lower.length < PIECE) {
    shortSecrets.add(lower);
    return;
  }
  for (let i = 0; i + PIECE <= lower.length; i++) pieces.add(lower.slice(i, i + PIECE));
}

/**
 * The cores of `value`'s base64 encoding at each byte alignment: whatever bytes precede the secret
 * in an encoded blob, its encoding contains one of these (padding and the mixed edge characters
 * excluded). Standard and URL-safe alphabets.
 */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const cores: string[] = [];
  for (let skip = 0; skip < 3; skip++) {
    const whole = Math.floor((bytes.length - skip) / 3) * 3;
    if (whole <= 0) continue;
    const core = bytes.subarray(skip, skip + whole).toString('base64');
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

/** Registers a value that must never be written (secret key, session token). Short values are ignored to avoid redacting noise. */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SECRET) return;
  addForm(value);
  for (const core of base64Cores(value)) addForm(core);
}

// Escapes that are decoded before matching, so every spelling of a character matches it.
const ESCAPE = /%(?:25)*([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\([/\\"])|&#x([0-9a-fA-F]{1,6});|&#([0-9]{1,7});/y;

/** `text` with escapes decoded, lower-cased, and for each decoded character the span it came from. */
function decodeForMatching(text: string): { decoded: string; start: Int32Array; end: Int32Array } {
  const start = new Int32Array(text.length);
  const end = new Int32Array(text.length);
  let decoded = '';
  let n = 0;
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    let ch = c;
    let next = i + 1;
    if (c === '%' || c === '\\' || c === '&') {
      ESCAPE.lastIndex = i;
      const m = ESCAPE.exec(text);
      if (m) {
        const code = m[1] ?? m[2] ?? m[4];
        ch = m[3] ?? String.fromCodePoint(code !== undefined ? parseInt(code, 16) : Number(m[5]) % 0x110000);
        next = ESCAPE.lastIndex;
      }
    }
    decoded += ch.toLowerCase().charAt(0) || ch;
    start[n] = i;
    end[n] = next;
    n++;
    i = next;
  }
  return { decoded, start: start.subarray(0, n), end: end.subarray(0, n) };
}

/** Removes every registered secret (whole, in pieces, escaped or base64-encoded) from `text`. */
function removeSecrets(text: string): string {
  if (pieces.size === 0 && shortSecrets.size === 0) return text;
  const { decoded, start, end } = decodeForMatching(text);
  // Spans of the original text to remove, as [from, to) pairs in increasing order of `from`.
  const spans: Array<[number, number]> = [];
  const mark = (from: number, to: number) => {
    const last = spans[spans.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else spans.push([from, to]);
  };
  for (let i = 0; i < decoded.length; i++) {
    if (i + PIECE <= decoded.length && pieces.has(decoded.slice(i, i + PIECE))) mark(start[i], end[i + PIECE - 1]);
    for (const s of shortSecrets) if (decoded.startsWith(s, i)) mark(start[i], end[i + s.length - 1]);
  }
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [from, to] of spans) {
    out += `${text.slice(at, from)}[REDACTED]`;
    at = to;
  }
  return out + text.slice(at);
}

const patterns: Array<[RegExp, string | ((m: string, ...groups: string[]) => string)]> = [
  // SigV4 signatures and tokens in URLs (presigned) and Authorization headers.
  [/(X-Amz-Signature=)[0-9a-fA-F]+/g, '$1[REDACTED]'],
  [/(Signature=)[0-9a-fA-F]+/g, '$1[REDACTED]'],
  [/(X-Amz-Security-Token=)[^&\s"']+/gi, '$1[REDACTED]'],
  [/("?x-amz-security-token"?\s*[:=]\s*"?)[^"\s,}&]+/gi, '$1[REDACTED]'],
  [/("?(?:aws_)?secret_?access_?key"?\s*[:=]\s*"?)[^"\s,}]+/gi, '$1[REDACTED]'],
  [/("?(?:aws_)?session_?token"?\s*[:=]\s*"?)[^"\s,}]+/gi, '$1[REDACTED]'],
  // Credentials inside any URL (a proxy's http://user:password@host, however short the password).
  // Matched from the `://` (the scheme's last letter looked behind, the scheme left as it is): a
  // pattern starting at the scheme made every word start of a run like `a.a.a.…` scan ahead for
  // `://`, quadratic in the text's length.
  [/(?<=[a-z])(:\/\/)[^\s/@:"'<>]+:[^\s/@"'<>]*@/gi, '$1[REDACTED]@'],
  // Access key ids may appear, masked: AKIA…ABCD.
  [/\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/g, (m: string) => maskAccessKeyId(m)],
];

export function maskAccessKeyId(id: string): string {
  if (id.length < 8) return '…';
  return `${id.slice(0, 4)}…${id.slice(-4)}`;
}

export function redact(text: string): string {
  let out = removeSecrets(text);
  for (const [re, replacement] of patterns) out = out.replace(re, replacement as string);
  return out;
}

/**
 * The one way to shorten text that may hold a secret (AWS error messages, probe step errors,
 * echoed input): redact first, then cut. Cutting first would leave a prefix of the secret that is
 * no longer the registered value.
 */
export function redactThenCut(text: string, max: number): string {
  const clean = redact(text);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Redacts every string inside a JSON-able value (for reports). */
export function redactDeep<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}
