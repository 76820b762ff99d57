// Reads the appliance's own settings: the output of `ghe-config -l` (lines `key=value`), so the
// check runs against exactly what GHES is configured with. The Packages secret key is registered
// for redaction the moment it is read: it never appears in any output, whether or not
// --use-ghe-credentials is given.

import { maskAccessKeyId, registerSecret } from '../redact.ts';
import { readUserFile } from './input-file.ts';
import { usageError } from '../i18n/usage.ts';
import { UsageError } from './usage-error.ts';

export const GHE_KEYS = {
  storageType: 'secrets.packages.blob-storage-type',
  serviceUrl: 'secrets.packages.service-url',
  bucket: 'secrets.packages.s3-bucket',
  accessKey: 'secrets.packages.aws-access-key',
  secretKey: 'secrets.packages.aws-secret-key',
  enabled: 'app.packages.enabled',
  actionsBucket: 'secrets.actions.storage.s3.bucket-name',
} as const;

/** Setting names whose values are secrets: never printed, whichever of them the output holds. */
const SECRET_KEY = /secret-key|secret-access-key|access-secret|password|token|private-key|client-secret/i;

export interface GheSettings {
  bucket: string;
  serviceUrl: string;
  actionsBucket?: string;
  packagesEnabled?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** For evidence and messages: the access key id, masked. */
  maskedAccessKeyId?: string;
}

export function parseGheConfigText(text: string, source: string): GheSettings {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z0-9_.-]+)\s*=\s?(.*)$/.exec(line);
    if (m) values.set(m[1], m[2].trim());
  }
  registerSecret(values.get(GHE_KEYS.secretKey));
  // Every other secret of the appliance's settings (Actions storage keys, passwords, tokens) too.
  for (const [key, value] of values) if (SECRET_KEY.test(key)) registerSecret(value);
  const type = values.get(GHE_KEYS.storageType);
  if (type === undefined) throw usageError('ghe.noStorageType', { source, key: GHE_KEYS.storageType });
  if (type.toLowerCase() !== 's3') {
    throw usageError('ghe.notS3', { source, type, key: GHE_KEYS.storageType });
  }
  const bucket = values.get(GHE_KEYS.bucket);
  // The appliance's service URL is what the check judges: missing or empty is a `service-url`
  // fail ("is empty"), not bad input.
  const serviceUrl = values.get(GHE_KEYS.serviceUrl) ?? '';
  if (!bucket) throw usageError('ghe.noBucket', { source, key: GHE_KEYS.bucket });
  const accessKeyId = values.get(GHE_KEYS.accessKey);
  const secretAccessKey = values.get(GHE_KEYS.secretKey);
  const enabled = values.get(GHE_KEYS.enabled);
  return {
    bucket,
    serviceUrl,
    actionsBucket: values.get(GHE_KEYS.actionsBucket) || undefined,
    packagesEnabled: enabled === undefined ? undefined : enabled === 'true',
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    maskedAccessKeyId: accessKeyId ? maskAccessKeyId(accessKeyId) : undefined,
  };
}

/**
 * The Actions storage settings (GHES docs, "Enabling GitHub Actions with Amazon S3 storage" and the
 * `ghe-config` commands of data/reusables/actions/configure-storage-provider.md in github/docs).
 * The OpenID Connect form's role ARN has no documented `ghe-config` key, so it is never guessed
 * from the output: pass --role-arn.
 */
export const GHE_ACTIONS_KEYS = {
  provider: 'secrets.actions.storage.blob-provider',
  bucket: 'secrets.actions.storage.s3.bucket-name',
  serviceUrl: 'secrets.actions.storage.s3.service-url',
  accessKey: 'secrets.actions.storage.s3.access-key-id',
  secretKey: 'secrets.actions.storage.s3.access-secret',
  forcePathStyle: 'secrets.actions.storage.s3.force-path-style',
  enabled: 'app.actions.enabled',
} as const;

export interface GheActionsSettings {
  bucket: string;
  /** Absent with OpenID Connect (the console asks for a region instead). */
  serviceUrl?: string;
  /** The Packages bucket, when Packages storage is S3 too (for dedicated-bucket). */
  packagesBucket?: string;
  actionsEnabled?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maskedAccessKeyId?: string;
}

function settingsOf(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z0-9_.-]+)\s*=\s?(.*)$/.exec(line);
    if (m) values.set(m[1], m[2].trim());
  }
  for (const [key, value] of values) if (SECRET_KEY.test(key)) registerSecret(value);
  return values;
}

export function parseGheActionsConfigText(text: string, source: string): GheActionsSettings {
  const values = settingsOf(text);
  const provider = values.get(GHE_ACTIONS_KEYS.provider);
  if (provider === undefined) throw new UsageError(`--from-ghe-config ${source}: ${GHE_ACTIONS_KEYS.provider} is missing; pass the output of "ghe-config -l" run on the appliance, with Actions storage configured`);
  if (provider.toLowerCase() !== 's3') {
    throw new UsageError(`--from-ghe-config ${source}: Actions storage is "${provider}" (${GHE_ACTIONS_KEYS.provider}), not s3; packages-preflight actions checks S3 storage`);
  }
  const bucket = values.get(GHE_ACTIONS_KEYS.bucket);
  if (!bucket) throw new UsageError(`--from-ghe-config ${source}: ${GHE_ACTIONS_KEYS.bucket} is missing or empty; set the Actions bucket in the GHES management console`);
  const accessKeyId = values.get(GHE_ACTIONS_KEYS.accessKey);
  const secretAccessKey = values.get(GHE_ACTIONS_KEYS.secretKey);
  const enabled = values.get(GHE_ACTIONS_KEYS.enabled);
  const packagesOnS3 = values.get(GHE_KEYS.storageType)?.toLowerCase() === 's3';
  return {
    bucket,
    serviceUrl: values.get(GHE_ACTIONS_KEYS.serviceUrl) || undefined,
    packagesBucket: packagesOnS3 ? values.get(GHE_KEYS.bucket) || undefined : undefined,
    actionsEnabled: enabled === undefined ? undefined : enabled === 'true',
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    maskedAccessKeyId: accessKeyId ? maskAccessKeyId(accessKeyId) : undefined,
  };
}

/** Reads FILE (or standard input) like readGheConfig, for the Actions storage keys. */
export function readGheActionsConfig(file: string): GheActionsSettings {
  const preloaded = preloads.get(file);
  const source = file === '-' ? 'standard input' : file;
  if (preloaded) {
    preloads.delete(file);
    return parseGheActionsConfigText(preloaded(), source);
  }
  return parseGheActionsConfigText(readGheConfigText(file), source);
}

/** Texts read before the command runs (standard input can be read only once), or the read's error. */
const preloads = new Map<string, () => string>();

function readGheConfigText(file: string): string {
  return readUserFile(file, `--from-ghe-config ${file === '-' ? '- (standard input)' : file}`, 'pass a file holding the output of "ghe-config -l", or - for standard input', { stdin: true });
}

/**
 * Reads FILE (or standard input) before the arguments are validated and registers its secrets, so a
 * usage error about another flag cannot echo them; readGheConfig later uses this text.
 */
export function preloadGheConfig(file: string): void {
  try {
    const text = readGheConfigText(file);
    for (const line of text.split(/\r?\n/)) {
      const m = /^\s*([A-Za-z0-9_.-]+)\s*=\s?(.*)$/.exec(line);
      if (m && (m[1] === GHE_KEYS.secretKey || SECRET_KEY.test(m[1]))) registerSecret(m[2].trim());
    }
    preloads.set(file, () => text);
  } catch (e) {
    preloads.set(file, () => {
      throw e;
    });
  }
}

/** Reads FILE, or standard input for `-` (e.g. `ssh admin@ghes -p 122 -- ghe-config -l | packages-preflight check --from-ghe-config -`). */
export function readGheConfig(file: string): GheSettings {
  const preloaded = preloads.get(file);
  if (preloaded) {
    preloads.delete(file);
    return parseGheConfigText(preloaded(), file === '-' ? 'standard input' : file);
  }
  return parseGheConfigText(readGheConfigText(file), file === '-' ? 'standard input' : file);
}
