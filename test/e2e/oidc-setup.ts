// The OpenID Connect setup both OIDC emulator suites share: a loopback appliance with a generated
// self-signed certificate, and the role policies `policy actions-role` prints for it.

import assert from 'node:assert/strict';
import { afterAll, beforeAll } from 'vitest';
import { type Appliance, type Pem, selfSigned, startAppliance } from '../harness/oidc-appliance.ts';
import { runCli } from './cli.ts';

export interface OidcSetup {
  cert: Pem;
  appliance: Appliance;
  policies: { trustPolicy: { Version: string; Statement: Array<Record<string, unknown>> }; permissionPolicy: object };
}

/** Registers the hooks of the calling describe(); the fields are set before its first test. */
export function useOidcSetup(bucket: string, host: string, account: string): OidcSetup {
  const setup = {} as OidcSetup;
  beforeAll(async () => {
    setup.cert = selfSigned(host);
    setup.appliance = await startAppliance({ host, key: setup.cert.key, chain: setup.cert.cert });
    const run = await runCli(['policy', 'actions-role', '--bucket', bucket, '--ghes-host', host, '--account', account], { noOutputDir: true });
    assert.equal(run.code, 0, run.stderr);
    setup.policies = JSON.parse(run.stdout);
  });
  afterAll(async () => setup.appliance?.close());
  return setup;
}
