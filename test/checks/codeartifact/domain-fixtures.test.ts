// Every offline fixture set under test/fixtures/codeartifact/domains/ (a --policy-dir each: the
// documented examples of seed 004 and the CodeArtifact User Guide, and broken variants) is run
// through the whole pack, and the (check, subject) → status pairs its expected.json names must
// come out. Offline: no AWS call, no session.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'vitest';
import { readPolicyDir } from '../../../src/config/codeartifact-options.ts';
import { runCodeArtifactTarget } from '../../../src/run/codeartifact.ts';

const ROOT = path.join(import.meta.dirname, '../../fixtures/codeartifact/domains');
const sets = readdirSync(ROOT).sort();

function flags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) out[args[i].replace(/^--/, '')] = args[i + 1];
  return out;
}

describe('codeartifact --policy-dir fixture sets (offline, no AWS call)', () => {
  test('there are at least 30 fixture sets', () => assert.ok(sets.length >= 30, `${sets.length} sets`));
  for (const set of sets) {
    test(set, async () => {
      const dir = path.join(ROOT, set);
      const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { args: string[]; expect: Record<string, string> };
      const f = flags(expected.args);
      const files = readPolicyDir(dir);
      const report = await runCodeArtifactTarget(
        { domain: 'corp', domainOwner: f['domain-owner'], region: f.region, policyDir: dir, orgId: f['org-id'], allowedAccounts: f['allowed-accounts']?.split(',') ?? [] },
        { policyText: files.domain?.text, repositoryFiles: files.repositories },
      );
      assert.equal(report.apiCalls.length, 0);
      for (const [key, status] of Object.entries(expected.expect)) {
        const [check, subject] = key.split('|');
        const got = report.results.filter((r) => r.check === check && r.subject === subject);
        assert.ok(got.length > 0, `${key}: no result; have ${report.results.filter((r) => r.check === check).map((r) => `${r.subject}=${r.status}`).join('; ')}`);
        assert.ok(got.every((r) => r.status === status), `${key}: ${got.map((r) => `${r.status} ${r.message}`).join(' / ')}`);
      }
    });
  }
});
