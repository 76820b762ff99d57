import check from '../../../checks/ghes-actions-s3/oidc-provider.ts';
import { deniedFact } from '../check-table.ts';
import { cert, chain, HOST, oidcTable, provider, SELF_SIGNED } from './oidc-table.ts';

const LEAF = cert(HOST, '1'.repeat(40), { issuer: 'CN=Corp Issuing CA', selfSigned: false });
const INTERMEDIATE = cert('Corp Issuing CA', '2'.repeat(40), { issuer: 'CN=Corp Root CA', selfSigned: false, ca: true });
const NEW = cert(HOST, 'b'.repeat(40));

oidcTable(check, [
  { name: 'key-based setup (no --ghes-host)', target: { ghesHost: undefined, roleArn: undefined }, expect: { status: 'skip', messageId: 'keyBased' } },
  {
    name: 'provider right, self-signed certificate fingerprinted',
    facts: { openIdConnectProvider: provider(), ghesCertificateChain: chain([SELF_SIGNED]) },
    expect: { status: 'pass', messageId: 'trusted', message: SELF_SIGNED.sha1, evidence: { provider: provider().provider.arn } },
  },
  {
    name: 'thumbprint stored upper case with colons still matches',
    facts: { openIdConnectProvider: provider({ thumbprints: ['AA:'.repeat(19) + 'AA'] }), ghesCertificateChain: chain([SELF_SIGNED]) },
    expect: { status: 'pass', messageId: 'trusted' },
  },
  {
    name: 'certificate changed: fails with the new thumbprint to add',
    facts: { openIdConnectProvider: provider(), ghesCertificateChain: chain([NEW]) },
    expect: { status: 'fail', messageId: 'stale', message: `add ${NEW.sha1}` },
  },
  {
    name: 'CA-issued chain: the top intermediate is what AWS fingerprints',
    facts: { openIdConnectProvider: provider({ thumbprints: [INTERMEDIATE.sha1] }), ghesCertificateChain: chain([LEAF, INTERMEDIATE]) },
    expect: { status: 'pass', messageId: 'trusted', message: 'Corp Issuing CA' },
  },
  {
    name: 'CA-issued chain, provider holds the leaf (the GHES docs\' command): warn, add the intermediate',
    facts: { openIdConnectProvider: provider({ thumbprints: [LEAF.sha1] }), ghesCertificateChain: chain([LEAF, INTERMEDIATE]) },
    expect: { status: 'warn', messageId: 'leafOnly', message: `add ${INTERMEDIATE.sha1}` },
  },
  {
    name: 'publicly trusted chain with a stale thumbprint: a warn (AWS uses the thumbprint only as a fallback)',
    facts: { openIdConnectProvider: provider({ thumbprints: ['c'.repeat(40)] }), ghesCertificateChain: chain([LEAF, INTERMEDIATE], true) },
    expect: { status: 'warn', messageId: 'staleTrusted' },
  },
  {
    name: 'no provider for the issuer: fails naming the providers the account has',
    facts: { openIdConnectProvider: { found: false, issuerUrl: `https://${HOST}/_services/token`, account: '111122223333', providerUrls: [`${HOST}/_services/token/`] }, ghesCertificateChain: chain([SELF_SIGNED]) },
    expect: { status: 'fail', messageId: 'missingOthers', message: `${HOST}/_services/token/` },
  },
  {
    name: 'no provider at all: fails with the create command and the thumbprint',
    facts: { openIdConnectProvider: { found: false, issuerUrl: `https://${HOST}/_services/token`, account: '111122223333', providerUrls: [] }, ghesCertificateChain: chain([SELF_SIGNED]) },
    expect: { status: 'fail', messageId: 'missing', evidence: { providersInAccount: [] } },
  },
  {
    name: 'client id list lacks sts.amazonaws.com',
    facts: { openIdConnectProvider: provider({ clientIds: ['github'] }), ghesCertificateChain: chain([SELF_SIGNED]) },
    expect: { status: 'fail', messageId: 'noAudience', message: 'it lists github' },
  },
  {
    name: 'provider read denied: error, never pass',
    facts: { openIdConnectProvider: deniedFact('openIdConnectProvider', 'iam:ListOpenIDConnectProviders'), ghesCertificateChain: chain([SELF_SIGNED]) },
    expect: { status: 'error' },
  },
  {
    name: 'certificate unreadable while the provider exists: error, never pass',
    facts: { openIdConnectProvider: provider(), ghesCertificateChain: new Error('TLS with ghes.example.com:443 failed: ECONNREFUSED') },
    expect: { status: 'error', messageId: 'certificateUnreadable', message: 'ECONNREFUSED' },
  },
]);
