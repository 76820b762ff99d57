// Sections of the human reports, so an auditor sees at a glance e.g. whether the bucket is private.
// Keyed by check id (stable, relied on); a check not listed falls into "Other".

export const SECTIONS: Array<{ title: string; checks: string[] }> = [
  { title: 'Setup', checks: ['credentials', 'bucket-reachable', 'service-url', 'dedicated-bucket'] },
  { title: 'Permissions', checks: ['iam-simulation', 'engine-agreement', 'least-privilege', 'kms-access'] },
  { title: 'Exposure', checks: ['public-access-block', 'bucket-policy', 'bucket-acl', 'object-ownership', 'secure-transport', 'bucket-encryption'] },
  { title: 'Data safety', checks: ['bucket-versioning', 'lifecycle-rules', 'object-lock', 'requester-pays', 'required-request-headers', 'replication'] },
  { title: 'Round trip and drift', checks: ['probe', 'probe-cleanup', 'probe-leftovers', 'storage-drift'] },
  { title: 'OpenID Connect (Actions storage)', checks: ['oidc-provider', 'oidc-trust', 'oidc-discovery'] },
  { title: 'CodeArtifact domain policy', checks: ['policy-document', 'public-principal', 'cross-account-access', 'create-repository-tagging', 'token-access', 'overly-broad', 'expected-access', 'effective-access', 'external-connections'] },
  { title: 'Waivers', checks: ['waivers'] },
];

export function sectionOf(checkId: string): string {
  return SECTIONS.find((s) => s.checks.includes(checkId))?.title ?? 'Other';
}
