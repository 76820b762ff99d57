import { isPrivateAddress } from '../../src/oidc/addresses.ts';
import { discoveryUrl, issuerUrl, normalizeHost } from '../../src/oidc/issuer.ts';
import { AWS_THUMBPRINT_DOC, defineOidcCheck, GHES_ACTIONS_S3_DOC, type HttpAnswer } from './oidc-facts.ts';

const jsonObject = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
};

export default defineOidcCheck({
  id: 'oidc-discovery',
  title: 'The appliance publishes its OpenID Connect discovery document and keys',
  severity: 'high',
  rationale:
    'STS verifies GHES\'s tokens with the keys the issuer publishes: it fetches https://HOST/_services/token/.well-known/openid-configuration and the jwks_uri it names, from the internet. A wrong issuer, a missing key set or an appliance reachable only inside the network makes every AssumeRoleWithWebIdentity fail. From where this check runs it can only hint at what AWS reaches.',
  remediation:
    'Make https://HOST/_services/token/.well-known/openid-configuration and its jwks_uri reachable from the internet over HTTPS (firewall, reverse proxy, public DNS), and check from a host outside your network: curl https://HOST/_services/token/.well-known/openid-configuration.',
  references: [GHES_ACTIONS_S3_DOC, AWS_THUMBPRINT_DOC],
  messages: {
    keyBased: 'Not an OpenID Connect setup (no --ghes-host): GHES uses access keys, so AWS fetches no discovery document.',
    unreachable: '{{url}} could not be fetched from here ({{problem}}). AWS fetches it from the internet; this run cannot tell whether AWS reaches it.',
    status: '{{url}} answered HTTP {{status}}, not the document: STS cannot verify GHES\'s tokens (is Actions with OpenID Connect enabled on GHES 3.8 or later?).',
    notDocument: '{{url}} answered, but not with a JSON document ({{problem}}); a proxy or another server may have answered.',
    wrongIssuer: 'The discovery document names the issuer {{found}}, not {{issuer}}: STS rejects tokens whose issuer differs from the provider URL.',
    noJwksUri: 'The discovery document at {{url}} has no jwks_uri, so STS finds no keys to verify GHES\'s tokens.',
    noKeys: 'The key set {{jwksUri}} holds no keys ({{problem}}), so STS cannot verify GHES\'s tokens.',
    privateOnly:
      'The discovery document and {{keys}} key(s) answered, but {{host}} resolves here only to addresses the internet cannot reach ({{addresses}}). AWS fetches them from the internet: this run cannot show that AWS reaches them; check from outside your network.',
    reachable: 'The discovery document names {{issuer}} and its jwks_uri answers with {{keys}} key(s), from {{addresses}}. This shows what answers from here; AWS fetches both from the internet.',
  },
  async run({ target, facts, report }) {
    if (!target.ghesHost) return report.skip('keyBased');
    const host = normalizeHost(target.ghesHost);
    const issuer = issuerUrl(host);
    const d = await facts.oidcDiscovery();
    const evidence: Record<string, unknown> = { issuer, discoveryUrl: discoveryUrl(host), hostAddresses: d.hostAddresses, configuration: summary(d.configuration), ...(d.jwks ? { jwks: summary(d.jwks) } : {}) };
    const answered = (a: HttpAnswer, name: string): boolean => {
      if (a.status === undefined) {
        report.error('unreachable', { url: a.url, problem: a.problem ?? 'no answer' }, { evidence: { ...evidence, code: a.problem, failed: name } });
        return false;
      }
      if (a.status !== 200) {
        report.fail('status', { url: a.url, status: a.status }, { evidence });
        return false;
      }
      if (a.json === undefined) {
        report.error('notDocument', { url: a.url, problem: a.problem ?? 'the body is not JSON' }, { evidence: { ...evidence, code: 'MalformedResponse' } });
        return false;
      }
      return true;
    };
    if (!answered(d.configuration, 'configuration')) return;
    const config = jsonObject(d.configuration.json);
    if (!config) return report.error('notDocument', { url: d.configuration.url, problem: 'the JSON is not an object' }, { evidence: { ...evidence, code: 'MalformedResponse' } });
    if (config.issuer !== issuer) return report.fail('wrongIssuer', { found: JSON.stringify(config.issuer ?? null), issuer }, { evidence });
    const jwksUri = config.jwks_uri;
    if (typeof jwksUri !== 'string' || !d.jwks) return report.fail('noJwksUri', { url: d.configuration.url }, { evidence });
    if (!answered(d.jwks, 'jwks')) return;
    const keys = jsonObject(d.jwks.json)?.keys;
    if (!Array.isArray(keys) || keys.length === 0) return report.fail('noKeys', { jwksUri, problem: Array.isArray(keys) ? 'an empty "keys" list' : 'no "keys" list' }, { evidence });
    // AWS checks the thumbprints of both hosts when they differ (AWS_THUMBPRINT_DOC): say so.
    if (hostOf(jwksUri) !== host) evidence.jwksOnOtherHost = `${hostOf(jwksUri)}: the OIDC provider then needs the thumbprint of that host's certificate too`;
    const addresses = d.hostAddresses;
    const data = { host, issuer, keys: keys.length, addresses: addresses.length ? addresses.join(', ') : `none (${host} does not resolve here)` };
    if (!addresses.some((a) => !isPrivateAddress(a))) return report.warn('privateOnly', data, { evidence });
    report.pass('reachable', data, { evidence });
  },
});

/** An answer for the evidence: where it came from and what it was, not the whole body. */
function summary(a: HttpAnswer): Record<string, unknown> {
  return {
    url: a.url,
    ...(a.fetchedFrom ? { fetchedFrom: a.fetchedFrom } : {}),
    ...(a.answeredBy ? { answeredBy: a.answeredBy } : {}),
    ...(a.route ? { route: a.route } : {}),
    ...(a.status !== undefined ? { status: a.status } : {}),
    ...(a.problem ? { problem: a.problem } : {}),
    ...(jsonObject(a.json) ? { fields: Object.keys(jsonObject(a.json)!).slice(0, 20) } : {}),
  };
}
