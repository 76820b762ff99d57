/** Input the user must fix: one line, exit code 3, no stack trace, no AWS call. Dependency-free so the CLI can start fast. */
export class UsageError extends Error {
  /** The catalog id and data of the message (src/i18n/locales), when it was made with `UsageError.text`. */
  readonly textId?: string;
  readonly data?: Record<string, unknown>;
  constructor(message: string, text?: { id: string; data?: Record<string, unknown> }) {
    super(message);
    this.name = 'UsageError';
    this.textId = text?.id;
    this.data = text?.data;
  }
}
