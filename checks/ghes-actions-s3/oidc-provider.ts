import { isFactError } from '../../src/engine/fact-error.ts';
import { issuerUrl, OIDC_AUDIENCE } from '../../src/oidc/issuer.ts';
import { expectedThumbprint, normalizeThumbprint } from '../../src/oidc/thumbprint.ts';
import { AWS_THUMBPRINT_DOC, defineOidcCheck, GHES_ACTIONS_S3_DOC, type GhesCertificateChain } from './oidc-facts.ts';

const createCommand = (issuer: string, thumbprint: string): string =>
  `aws iam create-open-id-connect-provider --url ${issuer} --client-id-list ${OIDC_AUDIENCE} --thumbprint-list ${thumbprint}`;

export default defineOidcCheck({
  id: 'oidc-provider',
  title: 'An IAM OIDC provider trusts the appliance\'s token issuer, its audience and its certificate',
  severity: 'critical',
  rationale:
    'With OpenID Connect, GHES gets S3 credentials by presenting a token its issuer https://HOST/_services/token signed. STS accepts it only from an IAM OIDC provider with that exact URL, whose client IDs include sts.amazonaws.com and, when the appliance\'s certificate is not issued by a CA AWS trusts, whose thumbprints include the certificate the appliance presents. A certificate renewed without updating the thumbprint stops Actions storage.',
  remediation: `Create the provider for https://HOST/_services/token with client ID ${OIDC_AUDIENCE} and the thumbprint this check reports (aws iam create-open-id-connect-provider), or update it (aws iam add-client-id-to-open-id-connect-provider, aws iam update-open-id-connect-provider-thumbprint).`,
  references: [GHES_ACTIONS_S3_DOC, AWS_THUMBPRINT_DOC],
  messages: {
    keyBased: 'Not an OpenID Connect setup (no --ghes-host): GHES uses access keys, so there is no OIDC provider to check.',
    missing: 'The account {{account}} has no IAM OIDC provider for {{issuer}}.',
    missingOthers: 'The account {{account}} has no IAM OIDC provider for {{issuer}}; it has providers for {{providers}}.',
    noAudience: 'The OIDC provider {{provider}} does not list the client ID {{audience}} (it lists {{clientIds}}), so STS refuses the tokens GHES presents.',
    stale: 'No thumbprint of {{provider}} ({{thumbprints}}) matches the certificate the appliance presents today: add {{thumbprint}} ({{subject}}).',
    staleTrusted:
      'No thumbprint of {{provider}} ({{thumbprints}}) matches the certificate the appliance presents today; its chain ends at a publicly trusted CA, which AWS verifies on its own, so the thumbprint is only AWS\'s fallback. Add {{thumbprint}} ({{subject}}) anyway.',
    leafOnly:
      'The OIDC provider {{provider}} holds the thumbprint of the appliance\'s own certificate ({{leaf}}), not of the top CA certificate of the chain it presents, which is what AWS documents: add {{thumbprint}} ({{subject}}).',
    certificateUnreadable: 'The thumbprints of {{provider}} could not be compared with the appliance\'s certificate: {{reason}}.',
    fixCreate: 'Create the provider: {{command}}',
    fixCreateNoThumbprint: 'Create the provider: {{command}} (THUMBPRINT: the certificate could not be read, see the evidence; or give --ghes-certificate)',
    fixAddAudience: 'Add the client ID: {{command}}',
    fixThumbprint: 'Add the thumbprint, keeping the newest ones the provider holds (IAM keeps at most five): {{command}}',
    fixReachAppliance: 'Check that this host reaches the appliance over HTTPS (--ghes-url for another address, NO_PROXY for a proxy), or give the chain it presents as a PEM file with --ghes-certificate.',
    trusted: '{{provider}} accepts {{audience}} and holds the thumbprint {{thumbprint}} of {{subject}}, the certificate AWS fingerprints in the chain the appliance presents.',
  },
  async run({ target, facts, report }) {
    if (!target.ghesHost) return report.skip('keyBased');
    const issuer = issuerUrl(target.ghesHost);
    const lookup = await facts.openIdConnectProvider(issuer);
    const chainOrError: GhesCertificateChain | Error = await facts.ghesCertificateChain().catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    const choice = chainOrError instanceof Error ? undefined : expectedThumbprint(chainOrError);
    const certificateEvidence =
      chainOrError instanceof Error
        ? { certificate: { error: chainOrError.message } }
        : {
            certificate: {
              readFrom: chainOrError.from,
              source: chainOrError.source,
              ...(chainOrError.route ? { route: chainOrError.route } : {}),
              chain: chainOrError.certificates,
              publiclyTrusted: chainOrError.publiclyTrusted,
              fingerprinted: { position: (choice?.position ?? 0) + 1, of: chainOrError.certificates.length, subject: choice?.certificate.subject, sha1: choice?.certificate.sha1, why: choice?.why },
            },
          };
    if (!lookup.found) {
      return report.fail(
        lookup.providerUrls.length ? 'missingOthers' : 'missing',
        { account: lookup.account, issuer, providers: lookup.providerUrls },
        {
          evidence: { api: ['iam:ListOpenIDConnectProviders'], issuer, account: lookup.account, providersInAccount: lookup.providerUrls, ...certificateEvidence },
          remediation: { message: choice ? 'fixCreate' : 'fixCreateNoThumbprint', data: { command: createCommand(issuer, choice?.certificate.sha1 ?? 'THUMBPRINT') } },
        },
      );
    }
    const provider = lookup.provider;
    const evidence = { api: ['iam:ListOpenIDConnectProviders', 'iam:GetOpenIDConnectProvider'], issuer, provider: provider.arn, providerUrl: provider.url, clientIds: provider.clientIds, thumbprints: provider.thumbprints, ...certificateEvidence };
    if (!provider.clientIds.includes(OIDC_AUDIENCE)) {
      return report.fail('noAudience', { provider: provider.arn, audience: OIDC_AUDIENCE, clientIds: provider.clientIds.length ? provider.clientIds : 'none' }, {
        evidence,
        remediation: { message: 'fixAddAudience', data: { command: `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${provider.arn} --client-id ${OIDC_AUDIENCE}` } },
      });
    }
    // The certificate could not be read: what the provider holds cannot be compared with anything.
    if (chainOrError instanceof Error) {
      if (isFactError(chainOrError)) throw chainOrError;
      return report.error('certificateUnreadable', { provider: provider.arn, reason: chainOrError.message }, {
        evidence: { ...evidence, code: (chainOrError as { code?: string }).code ?? chainOrError.name },
        remediation: { message: 'fixReachAppliance', data: {} },
      });
    }
    const chain = chainOrError;
    const expected = choice!;
    const held = new Set(provider.thumbprints.map(normalizeThumbprint));
    const data = { provider: provider.arn, audience: OIDC_AUDIENCE, thumbprint: expected.certificate.sha1, subject: expected.certificate.subject, thumbprints: provider.thumbprints.length ? provider.thumbprints.join(', ') : 'none' };
    if (held.has(expected.certificate.sha1)) return report.pass('trusted', data, { evidence });
    // IAM keeps at most five thumbprints: keep the newest four the provider has, then the new one.
    const update = { message: 'fixThumbprint', data: { command: `aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn ${provider.arn} --thumbprint-list ${[...provider.thumbprints.slice(-4), expected.certificate.sha1].join(' ')}` } };
    const leaf = chain.certificates[0];
    if (chain.certificates.length > 1 && held.has(leaf.sha1)) {
      return report.warn('leafOnly', { ...data, leaf: leaf.sha1 }, { evidence, remediation: update });
    }
    if (chain.publiclyTrusted) return report.warn('staleTrusted', data, { evidence, remediation: update });
    report.fail('stale', data, { evidence, remediation: update });
  },
});
