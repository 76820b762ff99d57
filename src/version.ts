import pkg from '../package.json' with { type: 'json' };

export const TOOL = { name: 'packages-preflight', version: pkg.version } as const;
