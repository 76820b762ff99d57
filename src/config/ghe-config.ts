// Reads the appliance's own settings: the output of `ghe-config -l` (lines `key=value`), so the
// check runs against exactly what GHES is configured with. The Packages secret key is registered
// for redaction the moment it is read: it never appears in any output, whether or not
// --use-ghe-credentials is given.

import { readFileSync } from 'node:fs';
import { maskAccessKeyId, registerSecret } from '../redact.ts';
import { UsageError } from './options.ts';

export const GHE_KEYS = {
  storageType: 'secrets.packages.blob-storage-type',
  serviceUrl: 'secrets.packages.service-url',
  bucket: 'secrets.packages.s3-bucket',
  accessKey: 'secrets.packages.aws-access-key',
  secretKey: 'secrets.packages.aws-secret-key',
  enabled: 'app.packages.enabled',
  actionsBucket: 'secrets.actions.storage.s3.bucket-name',
} as const;

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
  const type = values.get(GHE_KEYS.storageType);
  if (type === undefined) throw new UsageError(`--from-ghe-config ${source}: ${GHE_KEYS.storageType} is missing; pass the output of "ghe-config -l" run on the appliance`);
  if (type.toLowerCase() !== 's3') {
    throw new UsageError(`--from-ghe-config ${source}: Packages storage is "${type}" (${GHE_KEYS.storageType}), not s3; packages-preflight checks S3 storage`);
  }
  const bucket = values.get(GHE_KEYS.bucket);
  // The appliance's service URL is what the check judges: missing or empty is a `service-url`
  // fail ("is empty"), not bad input.
  const serviceUrl = values.get(GHE_KEYS.serviceUrl) ?? '';
  if (!bucket) throw new UsageError(`--from-ghe-config ${source}: ${GHE_KEYS.bucket} is missing or empty; set the Packages bucket in the GHES management console`);
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

/** Reads FILE, or standard input for `-` (e.g. `ssh admin@ghes -p 122 -- ghe-config -l | packages-preflight check --from-ghe-config -`). */
export function readGheConfig(file: string): GheSettings {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--from-ghe-config ${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}); pass a file holding the output of "ghe-config -l", or - for standard input`);
  }
  return parseGheConfigText(text, file === '-' ? 'standard input' : file);
}
