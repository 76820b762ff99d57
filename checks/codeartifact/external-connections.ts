// Dependency confusion: a repository that takes packages from a public registry (an external
// connection such as public:npmjs, directly or through its upstream chain) and also receives
// internal publishes resolves an internal package name from the public registry as soon as someone
// publishes that name there, unless package origin controls block upstream versions for it.
//
// Rule (AWS CodeArtifact User Guide, "Editing package origin controls" and "Dependency
// substitution attacks"): a package published into the repository (origin restriction
// publish=ALLOW) whose upstream restriction is also ALLOW can receive versions from the public
// registry: warn. upstream=BLOCK: protected, pass. Origin controls are read from ListPackages
// (originConfiguration) for at most --max-packages packages per repository (DEFAULT_MAX_PACKAGES);
// when more exist, an unlisted package may be exposed, so the verdict is skip with the reason,
// never pass. Offline, DIR/repositories/NAME.repository.json and NAME.packages.json supply the
// same answers; without them the check skips and says which file is missing.

import { DEFAULT_MAX_PACKAGES, type PackageOrigin, type RepositoryDescription } from './facts.ts';
import { FactError } from '../../src/engine/fact-error.ts';
import { defineCodeArtifactCheck, REPOSITORY_POLICY_DOC, repositorySubject } from './context.ts';

const ORIGIN_DOC = 'AWS CodeArtifact User Guide: Editing package origin controls; Dependency substitution attacks (https://docs.aws.amazon.com/codeartifact/latest/ug/package-origin-controls.html)';
const EXTERNAL_DOC = 'AWS CodeArtifact User Guide: Connect a CodeArtifact repository to a public repository (supported external connections: public:npmjs, public:pypi, public:maven-central, public:nuget-org, ...)';

const packageName = (p: PackageOrigin) => `${p.format}:${p.namespace ? `${p.format === 'npm' ? '@' : ''}${p.namespace}/` : ''}${p.name}`;

/** The public external connections a repository reaches: its own and those of its upstream chain (breadth first, cycles ignored). */
async function publicSources(name: string, describe: (n: string) => Promise<RepositoryDescription | undefined>): Promise<{ connections: Array<{ connection: string; via: string[] }>; missing: string[] }> {
  const connections: Array<{ connection: string; via: string[] }> = [];
  const missing: string[] = [];
  const queue: Array<{ repo: string; path: string[] }> = [{ repo: name, path: [name] }];
  const seen = new Set<string>();
  while (queue.length) {
    const { repo, path } = queue.shift()!;
    if (seen.has(repo)) continue;
    seen.add(repo);
    const d = await describe(repo);
    if (!d) {
      missing.push(repo);
      continue;
    }
    for (const c of d.externalConnections) if (c.name.startsWith('public:')) connections.push({ connection: c.name, via: path });
    for (const u of d.upstreams) queue.push({ repo: u, path: [...path, u] });
  }
  return { connections, missing };
}

export default defineCodeArtifactCheck({
  id: 'external-connections',
  title: 'Internal packages cannot be substituted from a public registry',
  severity: 'high',
  rationale:
    'A repository that both receives internal publishes and reaches a public registry (directly or through upstreams) serves whichever version is newer: anyone can publish an internal package name on npmjs/PyPI/Maven Central and have it installed (dependency confusion), unless package origin controls block upstream versions for that package.',
  remediation:
    'For each internal package listed, block upstream versions: aws codeartifact put-package-origin-configuration --domain DOMAIN --repository REPO --format FORMAT [--namespace NS] --package NAME --restrictions publish=ALLOW,upstream=BLOCK (or, for a whole namespace, a package group with originConfiguration EXTERNAL_UPSTREAM=BLOCK); or keep internal packages in a repository without public upstreams.',
  references: [ORIGIN_DOC, EXTERNAL_DOC, REPOSITORY_POLICY_DOC],
  messages: {
    unreadable: 'Not checked: repository {{repository}} could not be read ({{code}}: {{error}}).',
    repositoriesUnreadable: 'Not checked: the repositories of domain {{domain}} could not be listed ({{code}}: {{error}}).',
    noRepositories: 'Domain {{domain}} has no repositories: no package can be substituted.',
    noDescription: 'Not checked: the upstreams and external connections of {{missing}} are not known (offline: add repositories/NAME.repository.json, the DescribeRepository answer).',
    noPublic: 'Repository {{repository}} reaches no public registry (no public: external connection on it or its upstream chain).',
    noPackages: 'Not checked: repository {{repository}} reaches {{connections}}, but its package origin controls are not known (offline: add repositories/{{repository}}.packages.json, the ListPackages answer).',
    noInternal: 'Repository {{repository}} reaches {{connections}} but none of its {{count}} package(s) is published into it (origin publish=ALLOW), so none can be substituted.',
    exposed:
      'Repository {{repository}} reaches {{connections}} and {{count}} package(s) published into it also accept upstream versions (publish=ALLOW, upstream=ALLOW): {{packages}}. A version of the same name on the public registry would be served: block upstream for them.',
    protected: 'Repository {{repository}} reaches {{connections}}; all {{count}} internal package(s) block upstream versions (upstream=BLOCK).',
    truncated:
      'Not fully checked: repository {{repository}} reaches {{connections}} and has more than {{limit}} packages (--max-packages); the {{count}} listed are protected, the others were not read. Raise --max-packages.',
  },
  async run(ctx) {
    const { target, facts, report } = ctx;
    if (!facts.repositories || !facts.repositoryDescription || !facts.packages) return report.pass('noRepositories', { domain: target.domain });
    let names: string[];
    try {
      names = await facts.repositories();
    } catch (e) {
      if (!(e instanceof FactError)) throw e;
      return report.error('repositoriesUnreadable', { domain: target.domain, code: e.info.code ?? 'error', error: e.info.message }, { subject: 'repositories', evidence: { ...e.info } });
    }
    if (names.length === 0) return report.pass('noRepositories', { domain: target.domain });
    const describe = facts.repositoryDescription.bind(facts);
    const list = facts.packages.bind(facts);
    // Read in parallel (the facts bound the requests in flight), reported in repository order.
    const outcomes = await Promise.all(
      names.map(async (repository) => {
        const subject = repositorySubject(repository);
        try {
          const { connections, missing } = await publicSources(repository, describe);
          const reach = [...new Set(connections.map((c) => (c.via.length > 1 ? `${c.connection} via ${c.via.slice(1).join(' → ')}` : c.connection)))].join(', ');
          const evidence = { repository, publicConnections: connections, api: 'codeartifact:DescribeRepository' };
          if (connections.length === 0) {
            if (missing.length) return () => report.skip('noDescription', { missing: missing.join(', ') }, { subject, evidence: { ...evidence, missing } });
            return () => report.pass('noPublic', { repository }, { subject, evidence });
          }
          const packages = await list(repository);
          if (!packages) return () => report.skip('noPackages', { repository, connections: reach }, { subject, evidence });
          const internal = packages.packages.filter((p) => p.publish === 'ALLOW');
          const exposed = internal.filter((p) => p.upstream !== 'BLOCK');
          const pkgEvidence = {
            ...evidence,
            packagesApi: 'codeartifact:ListPackages',
            packagesListed: packages.packages.length,
            maxPackages: packages.limit,
            truncated: packages.truncated,
            ...(packages.file ? { file: packages.file } : {}),
            internal: internal.map((p) => ({ package: packageName(p), publish: p.publish, upstream: p.upstream ?? 'unknown' })),
          };
          if (exposed.length > 0) {
            const shown = exposed.slice(0, 20).map(packageName).join(', ') + (exposed.length > 20 ? ` and ${exposed.length - 20} more` : '');
            return () => report.warn('exposed', { repository, connections: reach, count: exposed.length, packages: shown }, { subject, evidence: { ...pkgEvidence, exposed: exposed.map(packageName) } });
          }
          if (packages.truncated) return () => report.skip('truncated', { repository, connections: reach, limit: packages.limit ?? DEFAULT_MAX_PACKAGES, count: packages.packages.length }, { subject, evidence: pkgEvidence });
          if (internal.length === 0) return () => report.pass('noInternal', { repository, connections: reach, count: packages.packages.length }, { subject, evidence: pkgEvidence });
          return () => report.pass('protected', { repository, connections: reach, count: internal.length }, { subject, evidence: pkgEvidence });
        } catch (e) {
          if (!(e instanceof FactError)) throw e;
          return () => report.error('unreadable', { repository, code: e.info.code ?? 'error', error: e.info.message }, { subject, evidence: { ...e.info } });
        }
      }),
    );
    for (const emit of outcomes) emit();
  },
});
