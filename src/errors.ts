/** An error the user caused (bad flag, bad config, unreadable path): exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** An invalid configuration file, with the location of the offending key (and where the text came from, if not the work tree). */
export class ConfigError extends UsageError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    detail: string,
    readonly origin?: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}${origin ? ` (read from ${origin})` : ""}`);
    this.name = "ConfigError";
  }
}
