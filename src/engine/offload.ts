// Work that needs one file and nothing else, moved off the main thread on large runs: the
// `text` visitors (rules that read a file's text alone: the secret and phone-number scans) and
// the parsing of Dockerfiles. One worker thread is fed each file as the main thread reads it,
// while the main thread parses YAML and runs every other visitor. On a small run, or where the
// worker cannot start, the same functions run on the main thread.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Rule, TextContext } from "../rule.js";
import type { DockerfileDoc, FileKind, SourceFile, TextReport } from "../types.js";
import { parseDockerfile } from "../parsers/dockerfile.js";

/** One file, the text rules enabled for it (with their options), and whether to parse it as a Dockerfile. */
export interface FileJob {
  /** Index of the file in the run's file list. */
  index: number;
  path: string;
  absPath: string;
  kind: FileKind;
  text: string;
  rules: [rule: number, options: Readonly<Record<string, unknown>>][];
  dockerfile: boolean;
}

/** A report of rule `rule` on file `index`, or the message of the error the visitor threw. */
export type TextResult = [index: number, rule: number, report: TextReport | { error: string }];

/** A parsed Dockerfile without its file (the main thread attaches it), or why it could not be parsed. */
export type ParsedDockerfile = Omit<DockerfileDoc, "file"> | { error: string };

/** Messages from the worker: one `dockerfiles` per batch, as soon as the batch is parsed, then the text results. */
export type WorkerMessage = { dockerfiles: [index: number, parsed: ParsedDockerfile][] } | { results: TextResult[] };

/** What a worker is started with (structured-cloneable). */
export interface WorkerData {
  ruleIds: string[];
  allow: { source: string; flags: string }[];
}

/** Below this many files a worker (≈ 50 ms to start and load its modules) does not pay. */
export const WORKER_MIN_FILES = 2000;
/** Files per message to the worker. */
const BATCH = 256;

/** Runs the job's rules over one file, in order; what they report (or throw) goes to `out`. */
export async function scanJob(job: FileJob, file: SourceFile, rules: Rule[], isAllowedSecret: (value: string) => boolean, out: TextResult[]): Promise<void> {
  for (const [r, options] of job.rules) {
    const ctx: TextContext = { file, options, isAllowedSecret, report: (report) => out.push([job.index, r, report]) };
    try {
      await rules[r].text!(file, ctx);
    } catch (err) {
      out.push([job.index, r, { error: errorMessage(err) }]);
    }
  }
}

export function parseDockerfileJob(file: SourceFile): ParsedDockerfile {
  try {
    const { file: _file, ...doc } = parseDockerfile(file);
    return doc;
  } catch (err) {
    return { error: errorMessage(err) };
  }
}

export function allowMatcher(allow: RegExp[]): (value: string) => boolean {
  return (value) => allow.some((re) => re.test(value));
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The compiled worker script next to this module. Under tsx (tests, scripts) this module is
 * src/engine/offload.ts, and Node 20 workers do not inherit tsx's loader: the build's worker is
 * used (`npm test` builds first). None (a bundle that left it out): the main thread does the work.
 */
function workerUrl(): URL | undefined {
  const url = new URL(import.meta.url.endsWith(".ts") ? "../../dist/src/engine/offload-worker.js" : "./offload-worker.js", import.meta.url);
  return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : undefined;
}

export class Offload {
  private readonly jobs: { job: FileJob; file: SourceFile }[] = [];
  private readonly worker: Worker | undefined;
  private readonly results$: Promise<TextResult[]> | undefined;
  private readonly parsed = new Map<number, ParsedDockerfile>();
  private batch: FileJob[] = [];
  private batchesSent = 0;
  private batchesParsed = 0;
  private failed = false;
  /** Set while dockerfiles() waits for the worker to parse the last batches. */
  private caughtUp: (() => void) | undefined;
  /** Whether the worker delivered the results. */
  usedWorker = false;

  constructor(
    private readonly rules: Rule[],
    private readonly allow: RegExp[],
    useWorker: boolean,
  ) {
    const url = useWorker ? workerUrl() : undefined;
    if (!url) return;
    const workerData: WorkerData = { ruleIds: rules.map((r) => r.meta.id), allow: allow.map((re) => ({ source: re.source, flags: re.flags })) };
    let worker: Worker;
    try {
      worker = new Worker(url, { workerData, stdout: false, stderr: false });
    } catch {
      return; // no threads here: the main thread does the work
    }
    this.worker = worker;
    this.results$ = new Promise((resolve, reject) => {
      worker.on("message", (m: WorkerMessage) => {
        if ("results" in m) return resolve(m.results);
        for (const [index, parsed] of m.dockerfiles) this.parsed.set(index, parsed);
        this.batchesParsed++;
        if (this.batchesParsed === this.batchesSent) this.caughtUp?.();
      });
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`worker exited with code ${code}`)));
    });
    // A failed worker is never an unhandled rejection: the methods below do its work here.
    this.results$.catch(() => {
      this.failed = true;
      this.caughtUp?.();
    });
  }

  /** Whether Dockerfiles are parsed on the worker (hand them over with `dockerfile: true`). */
  get parsesDockerfiles(): boolean {
    return this.worker !== undefined;
  }

  /** Queues a file. */
  add(job: FileJob, file: SourceFile): void {
    if (job.rules.length === 0 && !job.dockerfile) return;
    this.jobs.push({ job, file });
    if (!this.worker) return;
    this.batch.push(job);
    if (this.batch.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.worker!.postMessage(this.batch);
    this.batchesSent++;
    this.batch = [];
  }

  /** The Dockerfiles handed over, parsed, in file order (once every file is queued). */
  async dockerfiles(): Promise<Map<number, ParsedDockerfile>> {
    if (this.worker) {
      this.flush();
      if (this.batchesParsed < this.batchesSent && !this.failed) await new Promise<void>((resolve) => (this.caughtUp = resolve));
    }
    const out = new Map<number, ParsedDockerfile>();
    for (const { job, file } of this.jobs) {
      if (!job.dockerfile) continue;
      // From the worker; if it failed, parsed here.
      out.set(job.index, this.parsed.get(job.index) ?? parseDockerfileJob(file));
    }
    return out;
  }

  /** The text rules' reports, in file order, each file's in the order its rules made them. */
  async results(): Promise<TextResult[]> {
    if (this.worker) {
      this.flush();
      this.worker.postMessage(null);
      try {
        const results = await this.results$!;
        this.usedWorker = true;
        return results;
      } catch {
        // The worker could not run (no threads, a bundler that moved the script): scan here.
      } finally {
        void this.worker.terminate();
      }
    }
    const out: TextResult[] = [];
    const isAllowed = allowMatcher(this.allow);
    for (const { job, file } of this.jobs) await scanJob(job, file, this.rules, isAllowed, out);
    return out;
  }
}
