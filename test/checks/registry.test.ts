// Keeps the growing set of checks honest: every registered check has complete metadata, its id
// equals its file name, every message template is non-empty, and it has a table test.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'vitest';
import { ghesS3Checks } from '../../checks/ghes-s3/index.ts';
import { SEVERITIES } from '../../src/model.ts';
import { sectionOf } from '../../src/report/groups.ts';

const packs: Array<{ name: string; checks: Array<{ id: string; title: string; severity: string; rationale: string; remediation: string; references: string[]; messages: Record<string, string> }> }> = [
  { name: 'ghes-s3', checks: ghesS3Checks },
];

try {
  const { codeArtifactChecks } = await import('../../checks/codeartifact/index.ts');
  packs.push({ name: 'codeartifact', checks: codeArtifactChecks });
} catch (e) {
  if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
}

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

for (const pack of packs) {
  // Every file but the pack's plumbing (index, context, facts: the facts interfaces it reads) and _helpers is a check.
  const files = readdirSync(new URL(`../../checks/${pack.name}/`, import.meta.url)).filter((f) => f.endsWith('.ts') && !['index.ts', 'context.ts', 'facts.ts'].includes(f) && !f.startsWith('_'));
  test(`${pack.name}: every check file is registered and every registered check has a file`, () => {
    assert.deepEqual(pack.checks.map((c) => `${c.id}.ts`).sort(), files.sort());
  });
  for (const check of pack.checks) {
    test(`${pack.name}/${check.id}: metadata is complete`, () => {
      assert.match(check.id, /^[a-z][a-z0-9-]*$/);
      for (const field of ['title', 'rationale', 'remediation'] as const) assert.ok(check[field].trim().length > 10, `${field} is too short`);
      assert.ok((SEVERITIES as readonly string[]).includes(check.severity), `severity ${check.severity}`);
      assert.ok(check.references.length > 0, 'references are empty');
      assert.ok(Object.keys(check.messages).length > 0, 'no messages');
      for (const [id, text] of Object.entries(check.messages)) assert.ok(text.trim().length > 0, `message ${id} is empty`);
      assert.notEqual(sectionOf(check.id), 'Other', 'the check has no report section (src/report/groups.ts)');
    });
    test(`${pack.name}/${check.id}: has a table test and a README row`, () => {
      assert.ok(existsSync(new URL(`./${pack.name}/${check.id}.test.ts`, import.meta.url)), `test/checks/${pack.name}/${check.id}.test.ts is missing`);
      assert.ok(readme.includes(`\`${check.id}\``), `README does not list \`${check.id}\``);
    });
  }
}
