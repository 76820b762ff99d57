/** Input the user must fix: one line, exit code 3, no stack trace, no AWS call. Dependency-free so the CLI can start fast. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Reads a file the user named; any problem is one UsageError line: `<label>: cannot read the file
 * (<why>); <fix>`. One wording for every input file (config, baseline, reports, waivers).
 */
export function readUserFile(file: string, label: string, fix: string, read: (file: string) => string): string {
  try {
    return read(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable');
    throw new UsageError(`${label}: cannot read the file (${why}); ${fix}`);
  }
}
