// Non-negotiable 2: no secret ever leaves the process. Every byte the tool writes (stdout,
// stderr, report files, debug logs) goes through `redact`, so a secret that slips into an AWS
// error message, a policy document or a stack trace is still removed at the exit.

const secrets = new Set<string>();

/** Registers a value that must never be written (secret key, session token). Short values are ignored to avoid redacting noise. */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 8) return;
  secrets.add(value);
  // The same value URL-encoded (`/` → %2F, `+` → %2B, `=` → %3D), as it appears in query strings,
  // presigned URLs and IAM's URL-encoded policy documents.
  const encoded = encodeURIComponent(value);
  if (encoded !== value) secrets.add(encoded);
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
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:"'<>]+:[^\s/@"'<>]*@/gi, '$1[REDACTED]@'],
  // Access key ids may appear, masked: AKIA…ABCD.
  [/\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/g, (m: string) => maskAccessKeyId(m)],
];

export function maskAccessKeyId(id: string): string {
  if (id.length < 8) return '…';
  return `${id.slice(0, 4)}…${id.slice(-4)}`;
}

export function redact(text: string): string {
  let out = text;
  // Longest first: a secret that contains another must not be left half-redacted.
  for (const secret of [...secrets].sort((x, y) => y.length - x.length)) out = out.split(secret).join('[REDACTED]');
  for (const [re, replacement] of patterns) out = out.replace(re, replacement as string);
  return out;
}

/** Redacts every string inside a JSON-able value (for reports). */
export function redactDeep<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}
