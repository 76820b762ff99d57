// What the OpenID Connect checks of the ghes-actions-s3 pack read, as plain data interfaces: the
// pack's context satisfies OidcContext, and a fact source (live AWS and the appliance:
// src/aws/oidc-facts.ts; a table test: plain objects) implements OidcFacts. Nothing here talks to
// AWS or the network.

import { type CheckDefinition, defineCheck } from '../../src/engine/check.ts';
import type { CertificateChain } from '../../src/oidc/thumbprint.ts';

/** The part of the Actions target the OIDC checks read. Without roleArn and ghesHost the setup uses access keys. */
export interface OidcTarget {
  /** --role-arn: the role GHES assumes (console field "AWS Role"). */
  roleArn?: string;
  /** --ghes-host: the appliance's public hostname, as in https://HOST/_services/token. */
  ghesHost?: string;
  /** --ghes-url: where this run reaches the appliance, when not https://HOST (e.g. an internal address). */
  ghesUrl?: string;
  /** --ghes-certificate: PEM file of the certificate chain the appliance presents, instead of reading it live. */
  ghesCertificate?: string;
}

export interface OidcProvider {
  arn: string;
  /** As IAM answers it: HOST/_services/token (no scheme). */
  url: string;
  clientIds: string[];
  thumbprints: string[];
}

/** iam:ListOpenIDConnectProviders + iam:GetOpenIDConnectProvider: the provider for an issuer, or the ones the account has instead. */
export type OidcProviderLookup = { found: true; provider: OidcProvider } | { found: false; issuerUrl: string; account: string; providerUrls: string[] };

/** iam:GetRole: the role's trust policy (AssumeRolePolicyDocument, URL-decoded JSON text). */
export interface RoleTrustPolicy {
  roleArn: string;
  document: string;
}

/** The certificates the appliance presents (leaf first), with where they were read. */
export interface GhesCertificateChain extends CertificateChain {
  source: 'tls' | 'file';
  /** https://HOST[:PORT] read over TLS, or the PEM file's path. */
  from: string;
  /** TLS only: "direct" or the proxy (without credentials) the connection was tunnelled through. */
  route?: string;
}

/** One HTTP GET of the discovery: who answered and what. */
export interface HttpAnswer {
  url: string;
  /** The address the request went to, when it was not the URL's host (--ghes-url). */
  fetchedFrom?: string;
  /** The peer address that answered (the proxy's when tunnelled). */
  answeredBy?: string;
  route?: string;
  status?: number;
  /** The body parsed as JSON, when it was JSON. */
  json?: unknown;
  /** Why there is no usable answer: a network error code (ENOTFOUND, ECONNREFUSED, TimeoutError) or "the body is not JSON". */
  problem?: string;
}

export interface OidcDiscovery {
  /** Every address HOST resolves to from here (empty when it does not resolve). */
  hostAddresses: string[];
  configuration: HttpAnswer;
  /** The jwks_uri's answer, when the configuration named one. */
  jwks?: HttpAnswer;
}

export interface OidcFacts {
  openIdConnectProvider(issuerUrl: string): Promise<OidcProviderLookup>;
  roleTrustPolicy(roleArn: string): Promise<RoleTrustPolicy>;
  ghesCertificateChain(): Promise<GhesCertificateChain>;
  oidcDiscovery(): Promise<OidcDiscovery>;
}

export interface OidcContext {
  target: OidcTarget;
  facts: OidcFacts;
}

export type OidcCheck = CheckDefinition<OidcContext>;
export const defineOidcCheck = (check: OidcCheck): OidcCheck => defineCheck(check);

export const GHES_ACTIONS_S3_DOC =
  'GitHub Enterprise Server: Enabling GitHub Actions with Amazon S3 storage, "using OIDC" (https://docs.github.com/en/enterprise-server@latest/admin/managing-github-actions-for-your-enterprise/enabling-github-actions-for-github-enterprise-server/enabling-github-actions-with-amazon-s3-storage)';
export const AWS_THUMBPRINT_DOC =
  'AWS IAM User Guide: Obtain the thumbprint for an OpenID Connect identity provider (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html)';
export const AWS_OIDC_TRUST_DOC =
  'AWS IAM User Guide: Create a role for OpenID Connect federation (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html)';
