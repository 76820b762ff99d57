// Every file the tool writes (reports, baselines) is written here: only as a regular file, atomically
// (a new temporary file in the same folder, fsync, rename over the name), and never through a
// symlink, device node, FIFO or socket standing at that name: rename replaces a directory entry
// and never follows it, and a special file found there is refused instead of being replaced (as
// root, writing to /dev/full or through a planted symlink would reach far outside the named path).

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, openSync, renameSync, rmSync, type Stats, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../config/usage-error.ts';

function kindOf(stats: Stats): string | undefined {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return undefined;
}

/** What stands at `path` that must not be written through (undefined: nothing, a regular file or a directory). */
export function specialFileAt(path: string): string | undefined {
  try {
    return kindOf(lstatSync(path));
  } catch {
    return undefined;
  }
}

/** Bad input (exit 3, before any AWS call) when `path` names a symlink, device, FIFO or socket. */
export function refuseSpecialFile(path: string, label: string): void {
  const kind = specialFileAt(path);
  if (kind) throw new UsageError(`${label}: ${path} is ${kind}; packages-preflight writes only regular files, so give a path where a regular file can be written`);
}

/** Writes `text` to `path` as a new regular file, atomically. Throws (and leaves no temporary file) on any failure. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    // 'wx': a new file only (never an existing file, symlink or device), created with no one else's content.
    fd = openSync(tmp, 'wx', 0o644);
    // writeSync may write less than asked (a full disk, a file size limit): write the rest, which
    // then fails with the reason instead of leaving a truncated report behind a success.
    const bytes = Buffer.from(text, 'utf8');
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    const kind = specialFileAt(path);
    if (kind) throw Object.assign(new Error(`${path} is ${kind}; only regular files are written`), { code: 'ENOTREG' });
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  try {
    // Make the rename itself durable (best effort: not every platform can open a folder).
    const dirFd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    /* best effort */
  }
}

/** A short reason for a failed write: the errno code and what it means here. */
export function writeFailureReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const what: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EFBIG: 'file too large for the device or a size limit',
    EISDIR: 'a directory has that name',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOENT: 'the folder no longer exists',
    ENOTDIR: 'part of the path is not a folder',
    EIO: 'input/output error',
  };
  return code ? `${code}: ${what[code] ?? (e as Error).message}` : String((e as Error)?.message ?? e);
}
