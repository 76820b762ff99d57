// The codeartifact pack: every check listed explicitly (nothing is discovered at run time).
// Adding a check = one file + one line here; test/checks/registry.test.ts keeps this honest.

import type { CodeArtifactCheck } from './context.ts';
import createRepositoryTagging from './create-repository-tagging.ts';
import crossAccountAccess from './cross-account-access.ts';
import effectiveAccess from './effective-access.ts';
import expectedAccess from './expected-access.ts';
import externalConnections from './external-connections.ts';
import overlyBroad from './overly-broad.ts';
import policyDocument from './policy-document.ts';
import publicPrincipal from './public-principal.ts';
import tokenAccess from './token-access.ts';

export const codeArtifactChecks: CodeArtifactCheck[] = [policyDocument, publicPrincipal, crossAccountAccess, createRepositoryTagging, tokenAccess, overlyBroad, expectedAccess, effectiveAccess, externalConnections];
