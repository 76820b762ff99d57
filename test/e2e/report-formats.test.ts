// Every finding format is a rendering of the JSON report: `report --from` re-renders SARIF, OCSF,
// ASFF and CSV byte for byte with no AWS (an offline codeartifact run: no credentials, no emulator).

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { FORMATS } from '../../src/report/formats.ts';
import { DEMO_SCENARIO, seedGhesScenario } from '../harness/scenarios.ts';
import { useMoto } from '../harness/use-moto.ts';
import { runCli } from './cli.ts';

type SarifLocation = { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } };
const sarifLocations = (text: string): Array<{ ruleId: string; uri: string; line: number; run: string }> =>
  JSON.parse(text).runs.flatMap((run: { automationDetails: { id: string }; results: Array<{ ruleId: string; locations: SarifLocation[] }> }) =>
    run.results.map((r) => ({ ruleId: r.ruleId, uri: r.locations[0].physicalLocation.artifactLocation.uri, line: r.locations[0].physicalLocation.region.startLine, run: run.automationDetails.id })),
  );

const FINDING_FORMATS = { sarif: 'packages-preflight.sarif', ocsf: 'packages-preflight.ocsf.json', asff: 'packages-preflight.asff.json', csv: 'packages-preflight.csv' } as const;
const POLICY = 'test/fixtures/codeartifact/outsider-and-partner.json';

describe('report --from round trip per format', () => {
  test('sarif, ocsf, asff and csv re-render identically from the JSON report', async () => {
    const run = await runCli(['codeartifact', '--domain', 'packages', '--domain-owner', '111122223333', '--region', 'eu-west-1', '--policy-file', POLICY, '--org-id', 'o-a1b2c3d4e5', '--format', `json,${Object.keys(FINDING_FORMATS).join(',')}`], { source: true });
    assert.equal(run.code, 1, run.stderr);
    const again = await runCli(['report', '--from', join(run.outputDir, 'packages-preflight.json'), '--format', Object.keys(FINDING_FORMATS).join(',')], { source: true });
    assert.equal(again.code, 1, again.stderr);
    for (const [format, file] of Object.entries(FINDING_FORMATS)) {
      assert.ok(run.files[file], `${format}: not written by the run`);
      assert.equal(again.files[file], run.files[file], `${format} differs after re-rendering`);
    }
    // The SARIF results point at the policy file's statements, a path relative to the repository.
    const sarif = JSON.parse(run.files[FINDING_FORMATS.sarif]);
    const locations = sarif.runs[0].results.map((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }) => r.locations[0].physicalLocation);
    assert.ok(locations.every((l: { artifactLocation: { uri: string } }) => l.artifactLocation.uri === POLICY), JSON.stringify(locations));
    assert.ok(locations.some((l: { region: { startLine: number } }) => l.region.startLine > 1));
  });

  test('an unknown format names every format there is', async () => {
    const run = await runCli(['report', '--from', 'x.json', '--format', 'pdf'], { source: true });
    assert.equal(run.code, 3);
    assert.ok(run.stderr.includes(`unknown format "pdf"; use one or more of ${FORMATS.join(', ')}`), run.stderr);
    assert.ok(FORMATS.includes('html') && FORMATS.includes('sarif'), 'html and sarif are in the one table');
  });
});

describe('SARIF anchors of live runs (emulator)', () => {
  const moto = useMoto();

  test('check --config: results point at the config file (relative to the working directory), at the key the check is about', async () => {
    const seeded = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    const repo = mkdtempSync(join(tmpdir(), 'preflight-repo-'));
    writeFileSync(join(repo, 'preflight.yml'), `# GHES packages storage\nbucket: ${seeded.bucket}\nactionsBucket: ${seeded.actionsBucket}\nserviceUrl: ${seeded.serviceUrl}\n`);
    const env = { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey };
    const run = await runCli(['check', '--config', 'preflight.yml', '--format', 'json,sarif', '--output-dir', join(repo, 'out')], { endpoint: moto.endpoint, source: true, cwd: repo, env });
    assert.equal(run.code, 1, run.stderr);
    const locations = sarifLocations(run.files['packages-preflight.sarif']);
    assert.ok(locations.length > 0 && locations.every((l) => l.uri === 'preflight.yml'), JSON.stringify(locations));
    assert.equal(locations.find((l) => l.ruleId === 'service-url')?.line, 4);
    assert.equal(locations.find((l) => l.ruleId === 'bucket-acl')?.line, 2);
    assert.deepEqual([...new Set(locations.map((l) => l.run))], [`packages-preflight/ghes-s3/${seeded.bucket}/`]);
  });

  test('fleet --targets: one run per target, each result at its target\'s entry in the targets file', async () => {
    const seeded = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    const repo = mkdtempSync(join(tmpdir(), 'preflight-repo-'));
    writeFileSync(join(repo, 'fleet.yml'), `targets:\n  - name: demo\n    bucket: ${seeded.bucket}\n    serviceUrl: ${seeded.serviceUrl}\n  - name: missing\n    bucket: no-such-bucket-here\n    serviceUrl: https://s3.us-east-1.amazonaws.com\n`);
    const env = { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey };
    const run = await runCli(['fleet', '--targets', 'fleet.yml', '--format', 'json,sarif', '--output-dir', join(repo, 'out')], { endpoint: moto.endpoint, source: true, cwd: repo, env });
    assert.ok(run.code === 1 || run.code === 2, run.stderr);
    const locations = sarifLocations(run.files['packages-preflight.sarif']);
    assert.deepEqual([...new Set(locations.map((l) => l.run))].sort(), ['packages-preflight/ghes-s3/demo/', 'packages-preflight/ghes-s3/missing/']);
    assert.ok(locations.every((l) => l.uri === 'fleet.yml'));
    assert.equal(locations.find((l) => l.run.endsWith('/demo/') && l.ruleId === 'service-url')?.line, 4);
    assert.ok(locations.filter((l) => l.run.endsWith('/missing/')).every((l) => l.line >= 5), JSON.stringify(locations));
  });
});
