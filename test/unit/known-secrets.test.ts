// Secrets registered before any argument is read (src/config/known-secrets.ts): a proxy's password,
// from the environment or --proxy, so a usage error echoing a pasted value cannot carry it.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { registerResolvableSecrets } from '../../src/config/known-secrets.ts';
import { redact } from '../../src/redact.ts';

const home = mkdtempSync(join(tmpdir(), 'preflight-known-secrets-'));

test('a proxy password from HTTPS_PROXY/http_proxy/ALL_PROXY is known before input is read, as written and decoded', () => {
  registerResolvableSecrets([], { HOME: home, HTTPS_PROXY: 'http://u:EnvProxyPassw0rd1@proxy:3128', http_proxy: 'http://u:Lower%2FProxyPassw0rd@proxy:3128', ALL_PROXY: 'not a url' });
  assert.equal(redact('--bucket EnvProxyPassw0rd1'), '--bucket [REDACTED]');
  assert.equal(redact('--bucket Lower/ProxyPassw0rd'), '--bucket [REDACTED]');
});

test('a proxy password given with --proxy is known before input is read', () => {
  registerResolvableSecrets(['check', '--proxy=http://u:FlagProxyPassw0rd@proxy:3128'], { HOME: home });
  assert.equal(redact('--region FlagProxyPassw0rd'), '--region [REDACTED]');
});
