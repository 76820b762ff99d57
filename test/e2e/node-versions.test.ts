// The Node.js versions the built CLI supports, run for real: Node 18 and 20 get one line and exit 3
// (no stack trace, nothing sent anywhere); the oldest supported release (22.12) and the one npm
// scripts use (24) run a check without a single warning on stderr. The releases come from the npm
// registry (test/harness/node-versions.ts); without it the tests skip and say why.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MIN_NODE } from '../../src/cli/node-version.ts';
import { testEnv } from '../harness/moto.ts';
import { nodeBinary } from '../harness/node-versions.ts';
import { CLI } from './cli.ts';

const VERSIONS = ['18.20.8', '20.19.5', '22.12.0'] as const;
const binaries = new Map<string, string>();
let unavailable: string | false = false;
try {
  for (const v of VERSIONS) binaries.set(v, await nodeBinary(v));
} catch (e) {
  unavailable = `Node.js releases could not be fetched from the npm registry: ${(e as Error).message.split('\n')[0]}`;
}

function run(node: string, args: string[]) {
  const outputDir = mkdtempSync(join(tmpdir(), 'preflight-node-'));
  // A closed port: every request fails at once, and every check still runs (with its retries and aborts).
  const env = testEnv('http://127.0.0.1:9');
  return spawnSync(node, [CLI, ...args, '--output-dir', outputDir], { encoding: 'utf8', env, timeout: 120_000 });
}

const CHECK = ['check', '--bucket', 'ghes-packages', '--service-url', 'https://s3.us-west-2.amazonaws.com', '--max-attempts', '2'];

describe('Node.js versions of the installed CLI', { timeout: 600_000 }, () => {
  test('package.json engines states the release the start-up guard enforces', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
    assert.equal(pkg.engines.node, `>=${MIN_NODE.major}.${MIN_NODE.minor}`);
  });

  for (const version of ['18.20.8', '20.19.5']) {
    test(`Node ${version}: one line naming the Node needed, exit 3, for --version, --help and check alike`, { skip: unavailable }, () => {
      for (const args of [['--version'], ['check', '--help'], CHECK]) {
        const r = run(binaries.get(version)!, args);
        assert.equal(r.status, 3, `${args.join(' ')}: ${r.stderr}`);
        assert.equal(r.stdout, '');
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.match(r.stderr, new RegExp(`needs Node\\.js ${MIN_NODE.major}\\.${MIN_NODE.minor} or later .*this is Node\\.js ${version.replace(/\./g, '\\.')}`));
      }
    });
  }

  for (const [label, node] of [['22.12.0 (oldest supported)', () => binaries.get('22.12.0')!], [`${process.versions.node} (the npm scripts' own)`, () => process.execPath]] as const) {
    test(`Node ${label}: a check prints no warning (no MaxListenersExceededWarning, no SDK version warning)`, { skip: label.startsWith('22') ? unavailable : false }, () => {
      const r = run(node(), CHECK);
      assert.equal(r.status, 2, r.stderr);
      assert.doesNotMatch(r.stderr, /Warning|warning:/, r.stderr);
    });
  }
});
