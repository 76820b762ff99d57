import check from '../../../checks/ghes-actions-s3/oidc-discovery.ts';
import type { OidcDiscovery } from '../../../checks/ghes-actions-s3/oidc-facts.ts';
import { HOST, oidcTable } from './oidc-table.ts';

const ISSUER = `https://${HOST}/_services/token`;
const JWKS = `${ISSUER}/.well-known/jwks`;
const discovery = (overrides: Partial<OidcDiscovery> = {}, config: Record<string, unknown> = {}, keys: unknown = [{ kty: 'RSA', kid: 'k1' }]): OidcDiscovery => ({
  hostAddresses: ['203.0.113.10'],
  configuration: { url: `${ISSUER}/.well-known/openid-configuration`, status: 200, answeredBy: '203.0.113.10', json: { issuer: ISSUER, jwks_uri: JWKS, ...config } },
  jwks: { url: JWKS, status: 200, answeredBy: '203.0.113.10', json: { keys } },
  ...overrides,
});

oidcTable(check, [
  { name: 'key-based setup', target: { ghesHost: undefined, roleArn: undefined }, expect: { status: 'skip', messageId: 'keyBased' } },
  { name: 'public address answers with issuer and keys', facts: { oidcDiscovery: discovery() }, expect: { status: 'pass', messageId: 'reachable', message: 'AWS fetches both from the internet' } },
  {
    name: 'only a private address answers: warn that AWS fetches it from the internet',
    facts: { oidcDiscovery: discovery({ hostAddresses: ['10.0.0.5', 'fd00::5'] }) },
    expect: { status: 'warn', messageId: 'privateOnly', message: 'AWS fetches them from the internet' },
  },
  { name: 'host does not resolve here (reached through --ghes-url)', facts: { oidcDiscovery: discovery({ hostAddresses: [] }) }, expect: { status: 'warn', messageId: 'privateOnly', message: 'does not resolve here' } },
  { name: 'another issuer', facts: { oidcDiscovery: discovery({}, { issuer: 'https://ghes.internal/_services/token' }) }, expect: { status: 'fail', messageId: 'wrongIssuer' } },
  { name: 'no jwks_uri', facts: { oidcDiscovery: discovery({ jwks: undefined }, { jwks_uri: undefined }) }, expect: { status: 'fail', messageId: 'noJwksUri' } },
  { name: 'empty key set', facts: { oidcDiscovery: discovery({}, {}, []) }, expect: { status: 'fail', messageId: 'noKeys' } },
  {
    name: 'discovery 404 (OIDC not enabled)',
    facts: { oidcDiscovery: discovery({ configuration: { url: `${ISSUER}/.well-known/openid-configuration`, status: 404 } }) },
    expect: { status: 'fail', messageId: 'status', message: '404' },
  },
  {
    name: 'an HTML page instead of JSON: error, never pass',
    facts: { oidcDiscovery: discovery({ configuration: { url: `${ISSUER}/.well-known/openid-configuration`, status: 200, problem: 'the body is not JSON' } }) },
    expect: { status: 'error', messageId: 'notDocument' },
  },
  {
    name: 'unreachable from here: error',
    facts: { oidcDiscovery: discovery({ hostAddresses: [], configuration: { url: `${ISSUER}/.well-known/openid-configuration`, problem: 'ENOTFOUND' } }) },
    expect: { status: 'error', messageId: 'unreachable', message: 'ENOTFOUND' },
  },
]);
