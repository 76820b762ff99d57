// Reading and writing baseline files. Reading validates with zod and turns any problem into a
// one-line UsageError (exit 3) before the run makes its first AWS call. Writing is atomic: a
// temporary file in the same folder, fsync, rename; a reader never sees half a baseline.

import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { refuseSpecialFile, writeFileAtomic } from '../report/atomic-write.ts';
import { parseJsonInput, readUserFile } from '../config/input-file.ts';
import { UsageError } from '../config/usage-error.ts';
import { redact } from '../redact.ts';
import { type Baseline, BASELINE_VERSION, baselineSchema } from './baseline.ts';
import { usageError } from '../i18n/usage.ts';

export function readBaselineFile(file: string): Baseline {
  const fix = 'give a file written by --write-baseline';
  const data = parseJsonInput(readUserFile(file, `--baseline ${file}`, fix), `--baseline ${file}`, fix);
  const version = (data as { baselineVersion?: unknown } | null)?.baselineVersion;
  if (data !== null && typeof data === 'object' && typeof version === 'number' && version !== BASELINE_VERSION) {
    throw usageError('baseline.version', { file, version: String(version), supported: BASELINE_VERSION });
  }
  const parsed = baselineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.map(String).join('.') : 'the file';
    throw new UsageError(`--baseline ${file}: not a packages-preflight baseline (${where}: ${issue.message}); give a file written by --write-baseline`);
  }
  return parsed.data;
}

/** Fails before any AWS call when --write-baseline cannot be written (missing folder, no permission, a directory). */
export function checkBaselineWritable(file: string): void {
  const path = resolve(file);
  refuseSpecialFile(path, `--write-baseline ${file}`);
  try {
    if (statSync(path).isDirectory()) throw usageError('baseline.directory', { file });
  } catch (e) {
    if (e instanceof UsageError) throw e;
  }
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unwritable';
    throw usageError('baseline.unwritable', { file, code });
  }
}

/** Writes the baseline atomically as a regular file (temporary file + fsync + rename in the same folder). */
export function writeBaselineFile(file: string, baseline: Baseline): void {
  writeFileAtomic(resolve(file), redact(`${JSON.stringify(baseline, null, 2)}\n`));
}
