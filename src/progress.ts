// "files done / total" on stderr for long runs on a terminal; silent otherwise.

/** Environment variables that mean "this is a CI job" (its logs are not a terminal to redraw). */
const CI_VARIABLES = ["CI", "CONTINUOUS_INTEGRATION", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "TF_BUILD", "JENKINS_URL", "TEAMCITY_VERSION", "CIRCLECI"];

export interface ProgressContext {
  /** `--progress` given: show it whatever the rest says. */
  forced?: boolean;
  stderrIsTTY: boolean;
  stdoutIsTTY: boolean;
  env: Record<string, string | undefined>;
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}

/**
 * Whether a run shows progress: when asked (`--progress`), or on an interactive terminal — stderr
 * and stdout both terminals (a piped stdout means a script reads the report), not a CI job, not
 * TERM=dumb.
 */
export function progressEnabled(ctx: ProgressContext): boolean {
  if (ctx.forced) return true;
  if (!ctx.stderrIsTTY || !ctx.stdoutIsTTY) return false;
  if (CI_VARIABLES.some((name) => isSet(ctx.env[name]))) return false;
  if (ctx.env.TERM === "dumb") return false;
  return true;
}

export interface ProgressOptions {
  enabled: boolean;
  /** Runs over fewer files stay silent (default 300); 0 when progress was asked for. */
  minFiles?: number;
  /** Redraw at most this often (ms; default 100 on a terminal, 1000 otherwise). */
  intervalMs?: number;
  now?: () => number;
}

export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

/**
 * On a terminal the line is redrawn in place (`\r`) and erased at the end. Forced onto something
 * else (a log file), it prints whole lines, at most one a second, and the final count.
 */
export function startProgress(stream: Pick<NodeJS.WriteStream, "write"> & { isTTY?: boolean }, options: ProgressOptions): Progress {
  const minFiles = options.minFiles ?? 300;
  const tty = stream.isTTY === true;
  const interval = options.intervalMs ?? (tty ? 100 : 1000);
  const now = options.now ?? Date.now;
  let shown = false;
  let last = -Infinity;
  return {
    update(done: number, total: number): void {
      if (!options.enabled || total < minFiles) return;
      const t = now();
      if (done !== total && t - last < interval) return;
      last = t;
      shown = true;
      const text = `bulkhead: ${done}/${total} files`;
      stream.write(tty ? `\r${text}` : `${text}\n`);
    },
    done(): void {
      if (shown && tty) stream.write("\r\x1b[K");
      shown = false;
    },
  };
}
