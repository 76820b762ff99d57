// external-connections: a public external connection reached directly or through upstreams, plus
// packages published into the repository whose upstream origin is allowed = dependency confusion.

import externalConnections from '../../../checks/codeartifact/external-connections.ts';
import { codeArtifactTable } from './table.ts';

const desc = (name: string, upstreams: string[] = [], external: string[] = []) => ({
  repository: { name, upstreams: upstreams.map((repositoryName) => ({ repositoryName })), externalConnections: external.map((externalConnectionName) => ({ externalConnectionName, packageFormat: 'npm', status: 'Available' })) },
});
const pkg = (name: string, publish: string, upstream: string, namespace?: string) => ({ format: 'npm', ...(namespace ? { namespace } : {}), package: name, originConfiguration: { restrictions: { publish, upstream } } });

codeArtifactTable(externalConnections, [
  { name: 'no repositories', policy: null, repositories: [], expect: { status: 'pass', messageId: 'noRepositories' } },
  {
    name: 'public:npmjs directly, an internal package accepts upstream versions: warn, named',
    policy: null,
    repositories: [{ name: 'npm-store', description: desc('npm-store', [], ['public:npmjs']), packages: { packages: [pkg('auth', 'ALLOW', 'ALLOW', 'corp'), pkg('lodash', 'BLOCK', 'ALLOW')] } }],
    expect: { status: 'warn', subject: 'repository npm-store', messageId: 'exposed', message: 'npm:@corp/auth' },
  },
  {
    name: 'origin controls block upstream for the internal package: pass',
    policy: null,
    repositories: [{ name: 'npm-store', description: desc('npm-store', [], ['public:npmjs']), packages: { packages: [pkg('auth', 'ALLOW', 'BLOCK', 'corp')] } }],
    expect: { status: 'pass', messageId: 'protected' },
  },
  {
    name: 'through an upstream chain',
    policy: null,
    repositories: [
      { name: 'internal', description: desc('internal', ['proxy']), packages: { packages: [pkg('billing', 'ALLOW', 'ALLOW')] } },
      { name: 'proxy', description: desc('proxy', [], ['public:npmjs']), packages: { packages: [] } },
    ],
    expect: [
      { status: 'warn', subject: 'repository internal', messageId: 'exposed', message: 'public:npmjs via proxy' },
      { status: 'pass', subject: 'repository proxy', messageId: 'noInternal' },
    ],
  },
  { name: 'no public connection', policy: null, repositories: [{ name: 'internal', description: desc('internal'), packages: { packages: [pkg('x', 'ALLOW', 'ALLOW')] } }], expect: { status: 'pass', messageId: 'noPublic' } },
  {
    name: 'more packages than --max-packages: skip, never a pass',
    target: { maxPackages: 1 },
    policy: null,
    repositories: [{ name: 'npm-store', description: desc('npm-store', [], ['public:npmjs']), packages: { packages: [pkg('a1', 'ALLOW', 'BLOCK'), pkg('a2', 'ALLOW', 'ALLOW')] } }],
    expect: { status: 'skip', messageId: 'truncated' },
  },
  { name: 'offline without the DescribeRepository file: skip with the file named', policy: null, repositories: [{ name: 'app', policy: { Version: '2012-10-17', Statement: [] } }], expect: { status: 'skip', messageId: 'noDescription', message: 'NAME.repository.json' } },
  {
    name: 'a description of another repository is an error, never a pass',
    policy: null,
    repositories: [{ name: 'app', description: desc('other'), packages: { packages: [] } }],
    expect: { status: 'error', messageId: 'unreadable', message: 'MalformedResponse' },
  },
]);
