// Every finding format is a rendering of the JSON report: `report --from` re-renders SARIF, OCSF,
// ASFF and CSV byte for byte with no AWS (an offline codeartifact run: no credentials, no emulator).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from './cli.ts';

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
    assert.match(run.stderr, /unknown format "pdf"; use one or more of json, junit, markdown, sarif, ocsf, asff, csv/);
  });
});
