// Every input file is read through src/config/input-file.ts (issue 14, items 11, 13, 16, 18): a
// size cap (an endless /dev/zero is refused quickly), UTF-8 byte order marks accepted, UTF-16 named
// ("save it as UTF-8"), JSON without silent duplicate keys, `__proto__` keys or unbounded nesting.
// Each case goes through the real reader of that kind of file.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { loadFleetFile } from '../../src/config/fleet-options.ts';
import { MAX_INPUT_BYTES, MAX_INPUT_DEPTH, MAX_REPORT_BYTES, parseJsonInput, readUserFile } from '../../src/config/input-file.ts';
import { checkOptionsSchema, readConfigFile, resolveOptions, UsageError } from '../../src/config/options.ts';
import { readWaivers } from '../../src/config/waivers.ts';
import { readBaselineFile } from '../../src/drift/file.ts';
import { readReport } from '../../src/report/merge.ts';

const dir = mkdtempSync(join(tmpdir(), 'preflight-input-'));
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const OK_YAML = 'bucket: ghes-packages\nserviceUrl: https://s3.us-east-1.amazonaws.com\n';
const OK_JSON = '{"bucket": "ghes-packages", "serviceUrl": "https://s3.us-east-1.amazonaws.com"}';
const utf16 = (text: string, endian: 'le' | 'be') => {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  return endian === 'le' ? le : Buffer.from(le.map((_, i) => le[i % 2 === 0 ? i + 1 : i - 1]));
};

/** Asserts a one-line UsageError matching `re`. */
function refuses(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.match(e.message, re);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
}

describe('size cap', () => {
  test('/dev/zero (endless) is refused quickly, without reading it all', () => {
    const started = performance.now();
    refuses(() => readConfigFile('/dev/zero'), /^--config \/dev\/zero: larger than 4 MiB \(or endless\); give the file itself/);
    assert.ok(performance.now() - started < 5000);
  });

  test('a file one byte over the cap is refused, one at the cap is read', () => {
    refuses(() => readUserFile(file('big.json', Buffer.alloc(MAX_INPUT_BYTES + 1, 0x20)), '--from big.json', 'give a report'), /larger than 4 MiB/);
    assert.equal(readUserFile(file('cap.json', Buffer.alloc(MAX_INPUT_BYTES, 0x20)), 'x', 'y').length, MAX_INPUT_BYTES);
  });

  test('a huge report for report --from is bad input (exit 3), not an internal error; reports have their own, larger cap', () => {
    const huge = file('huge.json', `{"schemaVersion": 1, "pad": "${'x'.repeat(MAX_REPORT_BYTES)}"}`);
    refuses(() => readReport(huge, '--from huge.json'), /^--from huge\.json: larger than 64 MiB/);
    const big = file('big-report.json', `{"schemaVersion": 1, "pad": "${'x'.repeat(MAX_INPUT_BYTES)}"}`);
    refuses(() => readReport(big, '--from big-report.json'), /"tool" is missing/);
  });
});

describe('encodings', () => {
  test('a UTF-8 byte order mark is accepted in JSON and YAML config, fleet, waivers and baseline files', () => {
    for (const [name, text] of [['bom.json', OK_JSON], ['bom.yml', OK_YAML]] as const) {
      const options = resolveOptions(checkOptionsSchema, {}, file(name, `\ufeff${text}`));
      assert.equal(options.bucket, 'ghes-packages', name);
    }
    const fleet = file('fleet-bom.json', `\ufeff{"targets": [{"bucket": "pkg-a", "serviceUrl": "https://s3.us-east-1.amazonaws.com"}]}`);
    assert.equal(loadFleetFile(fleet).length, 1);
    const waivers = file('waivers-bom.yml', '\ufeffwaivers:\n  - check: secure-transport\n    reason: being rolled out\n    expires: 2027-01-31\n');
    assert.equal(readWaivers(waivers).length, 1);
    refuses(() => readBaselineFile(file('baseline-bom.json', '\ufeff{"baselineVersion": 1}')), /not a packages-preflight baseline/);
  });

  test('UTF-16 (little- and big-endian, with a byte order mark) is named: save it as UTF-8', () => {
    refuses(() => readConfigFile(file('le.json', utf16(OK_JSON, 'le'))), /^--config .*le\.json: the file is UTF-16 little-endian text .*; save it as UTF-8/);
    refuses(() => readConfigFile(file('be.yml', utf16(OK_YAML, 'be'))), /^--config .*be\.yml: the file is UTF-16 big-endian text .*; save it as UTF-8/);
    refuses(() => readWaivers(file('w16.yml', utf16('waivers: []\n', 'le'))), /^--waivers .*: the file is UTF-16/);
    refuses(() => readReport(file('r16.json', utf16('{}', 'le')), '--from r16.json'), /^--from r16\.json: the file is UTF-16/);
  });

  test('UTF-16 without a byte order mark and binary files are named too, as is text that is not UTF-8', () => {
    refuses(() => readConfigFile(file('nobom.json', Buffer.from(OK_JSON, 'utf16le'))), /NUL bytes .*; save it as UTF-8 text/);
    refuses(() => readConfigFile(file('latin1.yml', Buffer.from('bucket: caf\xe9\n', 'latin1'))), /is not UTF-8 text; save it as UTF-8/);
  });
});

describe('JSON is read without trusting its shape', () => {
  test('a key given twice in a JSON config is refused, as YAML does, at any depth', () => {
    refuses(() => readConfigFile(file('dup.json', '{"bucket": "a-bucket", "serviceUrl": "https://s3.us-east-1.amazonaws.com", "bucket": "b-bucket"}')), /^--config .*dup\.json: the key "bucket" is given twice in one object .*; keep one/);
    refuses(() => loadFleetFile(file('dup-fleet.json', '{"targets": [{"bucket": "pkg-a", "bucket": "pkg-b"}]}')), /the key "bucket" is given twice/);
    refuses(() => readConfigFile(file('dup.yml', 'bucket: a\nbucket: b\n')), /not valid YAML or JSON/);
    // The same key in two different objects, and keys that look alike, are fine.
    assert.deepEqual(parseJsonInput('{"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 3}, {"x": 4}], "x": "\\"x\\""}', 'l', 'f'), { a: { x: 1 }, b: { x: 2 }, c: [{ x: 3 }, { x: 4 }], x: '"x"' });
    assert.deepEqual(parseJsonInput('{"k": "a,\\"k\\":", "l": ["k", "k"]}', 'l', 'f'), { k: 'a,"k":', l: ['k', 'k'] });
  });

  test('"__proto__" in fleet defaults (YAML or JSON) or anywhere else is refused, not silently dropped', () => {
    const yml = file('proto.yml', 'defaults:\n  __proto__:\n    region: eu-west-1\ntargets:\n  - bucket: pkg-a\n    serviceUrl: https://s3.us-east-1.amazonaws.com\n');
    refuses(() => loadFleetFile(yml), /proto\.yml: the key "__proto__" is not allowed; remove it/);
    const json = file('proto.json', '{"defaults": {"__proto__": {"region": "eu-west-1"}}, "targets": [{"bucket": "pkg-a"}]}');
    refuses(() => loadFleetFile(json), /proto\.json: the key "__proto__" is not allowed/);
    refuses(() => readConfigFile(file('ctor.json', '{"constructor": {"prototype": 1}}')), /the key "constructor" is not allowed/);
  });

  test(`nesting deeper than ${MAX_INPUT_DEPTH} levels is refused without recursion (report --from, config, baseline)`, () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    refuses(() => readReport(file('deep.json', `{"schemaVersion": 1, "results": ${deep(100_000)}}`), '--from deep.json'), /^--from deep\.json: nested more than 64 levels deep; give the packages-preflight\.json a run wrote/);
    refuses(() => readConfigFile(file('deep.json', `{"bucket": ${deep(5000)}}`)), /nested more than 64 levels deep/);
    const deepYaml = `${Array.from({ length: 70 }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n')} x\n`;
    refuses(() => readConfigFile(file('deep.yml', deepYaml)), /deep\.yml: nested more than 64 levels deep/);
    refuses(() => readBaselineFile(file('deep-baseline.json', `{"baselineVersion": 1, "x": ${deep(70)}}`)), /nested more than 64 levels deep/);
    assert.deepEqual(parseJsonInput(deep(MAX_INPUT_DEPTH), 'l', 'f'), JSON.parse(deep(MAX_INPUT_DEPTH)));
  });
});
