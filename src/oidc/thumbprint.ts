// Which certificate's thumbprint IAM expects for an OIDC provider, and that thumbprint.
//
// AWS (IAM User Guide, "Obtain the thumbprint for an OpenID Connect identity provider"): the
// thumbprint is the hex-encoded SHA-1 of the DER of the *top intermediate CA* certificate in the
// chain that the host of the provider's jwks_uri serves, obtained as the LAST certificate
// `openssl s_client -showcerts` displays (servers send leaf first, then the CAs up the chain, and
// usually not the root). A self-signed appliance certificate is a chain of one, so it is that
// certificate. AWS verifies the JWKS host with its own library of trusted root CAs and uses the
// thumbprints only when the certificate is not signed by one of them (or the TLS certificate
// cannot be retrieved, or TLS 1.3 is required), so for a publicly trusted chain a wrong thumbprint
// is a latent fault rather than an outage.
//
// The GHES documentation's command (`openssl s_client -connect HOST:443 | openssl x509
// -fingerprint -sha1`) fingerprints the FIRST certificate (the appliance's own): the same as AWS's
// for a self-signed certificate, the leaf instead of the top intermediate CA for a CA-issued one.
// Pure: node:crypto only, no I/O.

import { createHash, X509Certificate } from 'node:crypto';

export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** Lower-case hex SHA-1 of the DER, 40 characters, no colons (the form IAM stores). */
  sha1: string;
  selfSigned: boolean;
  ca: boolean;
  validFrom: string;
  validTo: string;
}

/** A certificate chain as a server presented it (leaf first) or as a PEM file lists it. */
export interface CertificateChain {
  certificates: CertificateInfo[];
  /** Whether the chain's last certificate is, or is issued by, one of the given trusted roots (AWS then does not use the thumbprint). */
  publiclyTrusted: boolean;
}

export interface ThumbprintChoice {
  certificate: CertificateInfo;
  /** 0-based position in the chain as presented. */
  position: number;
  /** Why this one, in a sentence an admin can check against AWS's documentation. */
  why: string;
}

/** The form IAM stores a thumbprint in: 40 hex digits, lower case, colons and spaces removed. */
export const normalizeThumbprint = (value: string): string => value.replace(/[\s:]/g, '').toLowerCase();

const oneLine = (dn: string): string => dn.split('\n').filter(Boolean).join(', ');

export function describeCertificate(cert: X509Certificate): CertificateInfo {
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    sha1: createHash('sha1').update(cert.raw).digest('hex'),
    selfSigned: cert.subject === cert.issuer && cert.checkIssued(cert) && cert.verify(cert.publicKey),
    ca: cert.ca,
    validFrom: cert.validFrom,
    validTo: cert.validTo,
  };
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The certificates of a PEM text, in file order. Throws with a sentence naming what is wrong when
 * the text holds no certificate or a block that is not one (the caller makes that bad input).
 */
export function certificatesFromPem(text: string): X509Certificate[] {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new Error('holds no PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)');
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new Error(`certificate ${i + 1} of ${blocks.length} is not a valid X.509 certificate`);
    }
  });
}

/** Whether `last` is one of `roots` or is issued and signed by one of them. */
export function issuedByTrustedRoot(last: X509Certificate, roots: readonly X509Certificate[]): boolean {
  return roots.some((root) => root.raw.equals(last.raw) || (last.checkIssued(root) && last.verify(root.publicKey)));
}

export function describeChain(chain: readonly X509Certificate[], roots: readonly X509Certificate[] = []): CertificateChain {
  if (chain.length === 0) throw new Error('the certificate chain is empty');
  return { certificates: chain.map(describeCertificate), publiclyTrusted: issuedByTrustedRoot(chain[chain.length - 1], roots) };
}

/** The certificate whose thumbprint IAM expects (see the file comment): the last one presented. */
export function expectedThumbprint(chain: CertificateChain): ThumbprintChoice {
  const certificates = chain.certificates;
  if (certificates.length === 0) throw new Error('the certificate chain is empty');
  const position = certificates.length - 1;
  const certificate = certificates[position];
  const why =
    certificates.length === 1
      ? certificate.selfSigned
        ? 'the appliance presents one self-signed certificate, which is its own top certificate: AWS fingerprints it'
        : 'the appliance presents a single certificate (no CA certificates follow it), so it is the last certificate in the chain, the one AWS fingerprints'
      : `the appliance presents ${certificates.length} certificates; AWS fingerprints the top intermediate CA, the last one presented (openssl s_client -showcerts shows it last), not the appliance's own certificate`;
  return { certificate, position, why };
}
