/** Input the user must fix: one line, exit code 3, no stack trace, no AWS call. Dependency-free so the CLI can start fast. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

