// Keeps the growing set of checks honest: every registered check has complete metadata, its id
// equals its file name, every message template is non-empty, and it has a table test.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'vitest';
import { ghesActionsChecks } from '../../checks/ghes-actions-s3/index.ts';
import { ghesS3Checks } from '../../checks/ghes-s3/index.ts';
import { SEVERITIES } from '../../src/model.ts';
import { sectionOf } from '../../src/report/groups.ts';

type Listed = { id: string; title: string; severity: string; rationale: string; remediation: string; references: string[]; messages: Record<string, string> };
/** `shared`: folders of check files a pack lists besides its own (the same objects, never copies). */
const packs: Array<{ name: string; checks: Listed[]; shared: string[] }> = [
  { name: 'ghes-s3', checks: ghesS3Checks, shared: ['s3-storage'] },
  // Both GHES packs list the storage checks of checks/s3-storage/; the Actions pack's own files are the OIDC checks.
  { name: 'ghes-actions-s3', checks: ghesActionsChecks, shared: ['s3-storage'] },
];

try {
  const { codeArtifactChecks } = await import('../../checks/codeartifact/index.ts');
  packs.push({ name: 'codeartifact', checks: codeArtifactChecks, shared: [] });
} catch (e) {
  if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
}

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

const checkFiles = (folder: string): string[] =>
  readdirSync(new URL(`../../checks/${folder}/`, import.meta.url)).filter((f) => f.endsWith('.ts') && !['index.ts', 'context.ts'].includes(f) && !f.endsWith('facts.ts') && !f.startsWith('_'));

test('s3-storage: every shared check is listed, as the same object, in both GHES packs', () => {
  for (const file of checkFiles('s3-storage')) {
    const id = file.replace(/\.ts$/, '');
    const inPackages = ghesS3Checks.find((c) => c.id === id);
    assert.ok(inPackages, `${id} is not listed in checks/ghes-s3/index.ts`);
    assert.equal(ghesActionsChecks.find((c) => c.id === id), inPackages, `${id} is not listed (as the same object) in checks/ghes-actions-s3/index.ts`);
  }
});

for (const pack of packs) {
  const files = checkFiles(pack.name);
  /** The folder of each check the pack lists: its own, or a shared one. */
  const folderOf = (id: string): string | undefined => [pack.name, ...pack.shared].find((folder) => checkFiles(folder).includes(`${id}.ts`));
  test(`${pack.name}: every check file is registered and every registered check has a file`, () => {
    for (const file of files) assert.ok(pack.checks.some((c) => `${c.id}.ts` === file), `checks/${pack.name}/${file} is not listed in its index.ts`);
    for (const check of pack.checks) assert.ok(folderOf(check.id), `${check.id} has no file in checks/${[pack.name, ...pack.shared].join('/, checks/')}/`);
    assert.equal(new Set(pack.checks.map((c) => c.id)).size, pack.checks.length, 'a check id is listed twice');
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
      const folder = folderOf(check.id) ?? pack.name;
      assert.ok(existsSync(new URL(`./${folder}/${check.id}.test.ts`, import.meta.url)), `test/checks/${folder}/${check.id}.test.ts is missing`);
      assert.ok(readme.includes(`\`${check.id}\``), `README does not list \`${check.id}\``);
    });
  }
}
