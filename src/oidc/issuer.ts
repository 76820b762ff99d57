// The names GHES and IAM give one appliance's OpenID Connect issuer (GHES docs, "Enabling GitHub
// Actions with Amazon S3 storage": the provider URL is https://HOST/_services/token, the audience
// sts.amazonaws.com, the trust policy's keys HOST/_services/token:aud and :sub, sub = HOST).
// Pure: no I/O.

/** The audience (IAM "client ID") GHES asks STS for. */
export const OIDC_AUDIENCE = 'sts.amazonaws.com';

/** The path below the appliance's host at which GHES serves its Actions token issuer. */
export const ISSUER_PATH = '/_services/token';

/** The one action GHES calls with its token. */
export const WEB_IDENTITY_ACTION = 'sts:AssumeRoleWithWebIdentity';

/** A host as IAM and GHES write it: lower case, no scheme, no trailing dot or slash. */
export const normalizeHost = (host: string): string => host.trim().toLowerCase().replace(/\.$/, '');

/** The issuer URL (the IAM provider's URL, the token's `iss`): https://HOST/_services/token. */
export const issuerUrl = (host: string): string => `https://${normalizeHost(host)}${ISSUER_PATH}`;

/** The provider URL as IAM stores it and as condition keys start: HOST/_services/token (no scheme). */
export const providerPath = (host: string): string => `${normalizeHost(host)}${ISSUER_PATH}`;

/** The IAM OIDC provider's ARN for the appliance in an account. */
export const providerArn = (partition: string, account: string, host: string): string => `arn:${partition}:iam::${account}:oidc-provider/${providerPath(host)}`;

/** The trust-policy condition key for a token claim: HOST/_services/token:aud or :sub. */
export const claimKey = (host: string, claim: 'aud' | 'sub'): string => `${providerPath(host)}:${claim}`;

/** The discovery document AWS fetches: https://HOST/_services/token/.well-known/openid-configuration. */
export const discoveryUrl = (host: string): string => `${issuerUrl(host)}/.well-known/openid-configuration`;

/**
 * An IAM provider URL as IAM answers it ("HOST/_services/token", sometimes with the scheme) in the
 * form issuerUrl() gives, so the two compare equal exactly when they name the same issuer.
 */
export const providerUrlAsIssuer = (url: string): string => {
  const bare = url.trim().replace(/^https:\/\//i, '');
  const slash = bare.indexOf('/');
  const host = slash === -1 ? bare : bare.slice(0, slash);
  return `https://${normalizeHost(host)}${slash === -1 ? '' : bare.slice(slash)}`;
};
