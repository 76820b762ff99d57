// The layering rule of eslint.config.js (DESIGN.md, "Facts"): checks read their pack's facts
// interfaces (checks/<pack>/facts.ts) and config parses input, so neither may import the AWS layer
// (src/aws/). Run through ESLint's Node API on snippets placed at real paths, so the test proves the
// rule as `npm run lint` applies it, not a copy of its pattern.

import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { describe, test } from 'vitest';

const repo = new URL('../..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: repo });

/** The no-restricted-imports messages ESLint reports for `code` as if it were the file at `path`. */
async function restrictedImports(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${repo}${path}` });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering: no AWS layer under checks/ or src/config/', () => {
  test('a check importing src/aws is an error naming the facts interfaces', async () => {
    const messages = await restrictedImports('checks/ghes-s3/layering-probe.ts', "import type { S3Facts } from '../../src/aws/s3-facts.ts';\nexport type F = S3Facts;\n");
    assert.equal(messages.length, 1, JSON.stringify(messages));
    assert.match(messages[0], /checks\/<pack>\/facts\.ts/);
  });

  test('a check importing a value from src/aws (a pure helper there) is an error too', async () => {
    const messages = await restrictedImports('checks/codeartifact/layering-probe.ts', "import { domainArn } from '../../src/aws/codeartifact-facts.ts';\nexport const a = domainArn;\n");
    assert.equal(messages.length, 1, JSON.stringify(messages));
  });

  test('config importing src/aws is an error', async () => {
    const messages = await restrictedImports('src/config/layering-probe.ts', "import { AwsSession } from '../aws/session.ts';\nexport const s = AwsSession;\n");
    assert.equal(messages.length, 1, JSON.stringify(messages));
  });

  test('the Terraform plan fact source importing src/aws is an error (it has no client)', async () => {
    const messages = await restrictedImports('src/terraform/layering-probe.ts', "import { AwsSession } from '../aws/session.ts';\nexport const s = AwsSession;\n");
    assert.equal(messages.length, 1, JSON.stringify(messages));
  });

  test("a check importing its pack's facts, the regions data and the probe naming helpers is fine", async () => {
    const code = [
      "import type { GhesS3Facts } from './facts.ts';",
      "import { dnsSuffixOf } from '../../src/regions.ts';",
      "import { PROBE_ROOT } from '../../src/probe/naming.ts';",
      'export const x: [GhesS3Facts | undefined, unknown, string] = [undefined, dnsSuffixOf, PROBE_ROOT];',
      '',
    ].join('\n');
    assert.deepEqual(await restrictedImports('checks/ghes-s3/layering-probe.ts', code), []);
  });

  test('the runner (src/run) still builds the live facts from src/aws', async () => {
    assert.deepEqual(await restrictedImports('src/run/layering-probe.ts', "import { S3Facts } from '../aws/s3-facts.ts';\nexport const f = S3Facts;\n"), []);
  });
});
