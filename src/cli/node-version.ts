// The Node.js versions the tool runs on, checked before anything else is loaded. This module is
// the bin's first import and is written in syntax every Node since 12 parses (no imports of its
// own), so an older Node gets one line and exit 3 instead of a stack trace from a dependency
// (yargs throws on Node 18; the AWS SDK warns on Node 20, which is past its end of life).

/** Oldest supported release; package.json `engines.node` says the same (a test compares them). */
export const MIN_NODE = { major: 22, minor: 12 } as const;

/** `undefined` when `version` (e.g. process.versions.node) is supported, else the one-line reason. */
export function unsupportedNode(version: string): string | undefined {
  const [major, minor] = version.split('.').map(Number);
  if (major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor)) return undefined;
  return `packages-preflight: needs Node.js ${MIN_NODE.major}.${MIN_NODE.minor} or later (tested on 22 and 24); this is Node.js ${version}. Install a current LTS release from nodejs.org or your package manager.`;
}

const reason = unsupportedNode(process.versions.node);
if (reason) {
  process.stderr.write(`${reason}\n`);
  process.exit(3);
}
