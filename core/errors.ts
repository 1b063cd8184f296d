/**
 * Two kinds of failure, told apart everywhere (codeql-action's ConfigurationError):
 * a UserError is the user's to fix and is shown without a stack; anything else is a bug.
 */
export const ExitCode = { ok: 0, checkFailed: 1, usage: 2, internal: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const REPORT_BUGS_AT = "https://github.com/modelgate/modelgate/issues";

export interface Location {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

/** Bad config, bad flags, bad data files: exit 2 unless said otherwise. */
export class UserError extends Error {
  override readonly name = "UserError";
  readonly exitCode: 1 | 2;
  readonly location: Location;

  constructor(message: string, location: Location = {}, exitCode: 1 | 2 = 2) {
    super(message);
    this.location = location;
    this.exitCode = exitCode;
  }
}

/** "file:line: field: message", leaving out the parts that are unknown. */
export function formatLocation(location: Location): string {
  const where = [location.file, location.line, location.line !== undefined ? location.column : undefined]
    .filter((part) => part !== undefined)
    .join(":");
  return [where, location.field].filter(Boolean).join(": ");
}

export function describeError(error: unknown): { exitCode: ExitCode; message: string } {
  if (error instanceof UserError) {
    const where = formatLocation(error.location);
    return { exitCode: error.exitCode, message: where ? `${where}: ${error.message}` : error.message };
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    exitCode: ExitCode.internal,
    message: `internal error (this is a bug in modelgate; please report it at ${REPORT_BUGS_AT}):\n${stack}`,
  };
}

/** Node's fs errors, turned into messages a user can act on. */
export function fsError(error: unknown, file: string): UserError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    ENOENT: "no such file",
    EISDIR: "is a directory, expected a file",
    EACCES: "permission denied",
    ENOTDIR: "a part of the path is not a directory",
    EMFILE: "too many open files",
  };
  const reason = (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error));
  return new UserError(reason, { file });
}
