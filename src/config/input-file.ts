// Every file (or standard input) the user hands the tool is read here: config, fleet targets,
// waivers, baselines, policy files, saved reports, `ghe-config -l` output. One size cap, one way to
// name an encoding problem, and JSON parsed without recursion on untrusted depth, without silently
// dropping a duplicated key, and without `__proto__` tricks. Any problem is one UsageError line:
// `<label>: <what is wrong>; <fix>` (exit 3, before any AWS call).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isatty } from 'node:tty';
import { UsageError } from './usage-error.ts';
import { usageError } from '../i18n/usage.ts';

/** The largest input file read (a fleet file of thousands of targets is well below it). */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;
/**
 * Saved reports (report --from, report merge) are the one exception: the tool writes them itself
 * and a fleet report grows with the fleet (about 50 KB per target), so they may be larger.
 */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;
/** The deepest nesting accepted in a JSON/YAML input or an AWS policy document. */
export const MAX_INPUT_DEPTH = 64;


function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable');
}

/** Reads at most `max` + 1 bytes from `fd` (a pipe may deliver them in small pieces). */
function readCapped(fd: number, max: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  let chunk: Buffer | undefined;
  for (;;) {
    chunk ??= Buffer.allocUnsafe(Math.min(1024 * 1024, max + 1 - total));
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (e) {
      // A non-blocking standard input that has nothing yet: wait a little and read again.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      throw e;
    }
    if (n === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, n));
    chunk = undefined;
    total += n;
    if (total > max) return undefined;
  }
}

/**
 * The text of `bytes`: a UTF-8 byte order mark is dropped; UTF-16 (what PowerShell's `>` writes),
 * NUL bytes and invalid UTF-8 are refused with the fix ("save it as UTF-8").
 */
export function decodeInput(bytes: Uint8Array, label: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw usageError('input.utf16', { label, endian: bytes[0] === 0xff ? 'little' : 'big' });
  }
  if (bytes.includes(0)) throw usageError('input.nul', { label });
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw usageError('input.notUtf8', { label });
  }
}

/**
 * Reads a file the user named (`-` or fd 0: standard input) with the size cap; any problem is one
 * UsageError line: `<label>: cannot read the file (<why>); <fix>`.
 */
export function readUserFile(file: string, label: string, fix: string, options: { stdin?: boolean; maxBytes?: number } = {}): string {
  const max = options.maxBytes ?? MAX_INPUT_BYTES;
  const stdin = options.stdin && file === '-';
  // Waiting for a person to type a file (and not seeing Ctrl-C during the blocking read) helps no one.
  if (stdin && isatty(0)) throw usageError('input.stdinTerminal', { label });
  let fd: number | undefined;
  let bytes: Buffer | undefined;
  try {
    fd = stdin ? 0 : openSync(file, 'r');
    if (!stdin && fstatSync(fd).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    bytes = readCapped(fd, max);
  } catch (e) {
    throw new UsageError(`${label}: cannot read the file (${why(e)}); ${fix}`);
  } finally {
    if (fd !== undefined && !stdin) closeSync(fd);
  }
  const mib = max / (1024 * 1024);
  if (!bytes) throw usageError('input.tooLarge', { label, mib });
  return decodeInput(bytes, label);
}

/** A PEM file of certificate authorities (--ca-bundle, AWS_CA_BUNDLE, NODE_EXTRA_CA_CERTS), with the same cap. */
export function readCaBundle(file: string, label = 'CA bundle'): string {
  return readUserFile(file, label, 'give a PEM file of certificate authorities');
}

/** Keys that would reach an object's prototype instead of being an option. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Parses JSON without trusting its shape: nesting deeper than MAX_INPUT_DEPTH, a key given twice in
 * one object (JSON.parse would keep the last silently, where YAML refuses) and `__proto__`-like keys
 * are refused. The scan is iterative, so no depth can exhaust the stack. Throws UsageError.
 */
export function parseJsonInput(text: string, label: string, fix: string, invalid = 'not valid JSON'): unknown {
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c === '{' ? new Set() : null);
      if (stack.length > MAX_INPUT_DEPTH) throw new UsageError(`${label}: nested more than ${MAX_INPUT_DEPTH} levels deep; ${fix}`);
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (expectKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          break; // a syntax error: JSON.parse below names it
        }
        const keys = stack[stack.length - 1]!;
        if (FORBIDDEN_KEYS.has(key)) throw usageError('input.forbiddenKey', { label, key });
        if (keys.has(key)) throw usageError('input.duplicateKey', { label, key });
        keys.add(key);
        expectKey = false;
      }
      i = j;
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${label}: ${invalid} (${String((e as Error).message).split('\n')[0]}); ${fix}`);
  }
}

/**
 * Refuses a parsed value (YAML) nested deeper than MAX_INPUT_DEPTH or holding `__proto__`-like
 * keys, walking it without recursion.
 */
export function checkParsedInput(value: unknown, label: string, fix: string): void {
  const todo: Array<[unknown, number]> = [[value, 0]];
  while (todo.length > 0) {
    const [v, depth] = todo.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) throw new UsageError(`${label}: nested more than ${MAX_INPUT_DEPTH} levels deep; ${fix}`);
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) throw usageError('input.forbiddenKey', { label, key });
      todo.push([(v as Record<string, unknown>)[key], depth + 1]);
    }
  }
}

/** How deep `value` is nested (objects and arrays), counted without recursion; stops counting past `limit`. */
export function nestingDepth(value: unknown, limit = MAX_INPUT_DEPTH): number {
  let deepest = 0;
  const todo: Array<[unknown, number]> = [[value, 0]];
  while (todo.length > 0) {
    const [v, depth] = todo.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) todo.push([child, depth + 1]);
  }
  return deepest;
}
