// The `text` visitors (rules that read a file's text and nothing else: the secret and phone
// number scans) run apart from the others. On a large run they run on one worker thread, fed
// each file as the main thread reads it, while the main thread parses and runs every other
// visitor; on a small run, or where the worker cannot start, they run on the main thread.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Rule, TextContext } from "../rule.js";
import type { FileKind, SourceFile, TextReport } from "../types.js";

/** One file and the text rules enabled for it, with their options. */
export interface TextJob {
  /** Index of the file in the run's file list. */
  index: number;
  path: string;
  absPath: string;
  kind: FileKind;
  text: string;
  rules: [rule: number, options: Record<string, unknown>][];
}

/** A report of rule `rule` on file `index`, or the message of the error the visitor threw. */
export type TextResult = [index: number, rule: number, report: TextReport | { error: string }];

/** What a worker is started with (structured-cloneable). */
export interface TextWorkerData {
  ruleIds: string[];
  allow: { source: string; flags: string }[];
}

/** Below this many files a worker (≈ 50 ms to start and load the rules) does not pay. */
export const WORKER_MIN_FILES = 2000;
/** Files per message to the worker. */
const BATCH = 256;

/** Runs the job's rules over one file, in order; what they report (or throw) goes to `out`. */
export async function scanJob(job: TextJob, file: SourceFile, rules: Rule[], isAllowedSecret: (value: string) => boolean, out: TextResult[]): Promise<void> {
  for (const [r, options] of job.rules) {
    const ctx: TextContext = { file, options, isAllowedSecret, report: (report) => out.push([job.index, r, report]) };
    try {
      await rules[r].text!(file, ctx);
    } catch (err) {
      out.push([job.index, r, { error: err instanceof Error ? err.message : String(err) }]);
    }
  }
}

export function allowMatcher(allow: RegExp[]): (value: string) => boolean {
  return (value) => allow.some((re) => re.test(value));
}

/**
 * The compiled worker script next to this module. Under tsx (tests, scripts) this module is
 * src/engine/text-scan.ts, and Node 20 workers do not inherit tsx's loader: the build's worker
 * is used (`npm test` builds first). None (a bundle that left it out): the main thread scans.
 */
function workerUrl(): URL | undefined {
  const url = new URL(import.meta.url.endsWith(".ts") ? "../../dist/src/engine/text-worker.js" : "./text-worker.js", import.meta.url);
  return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : undefined;
}

export class TextScan {
  private readonly jobs: { job: TextJob; file: SourceFile }[] = [];
  private worker: Worker | undefined;
  private workerDone: Promise<TextResult[]> | undefined;
  private batch: TextJob[] = [];
  /** Whether the worker delivered the results. */
  usedWorker = false;

  constructor(
    private readonly rules: Rule[],
    private readonly allow: RegExp[],
    private useWorker: boolean,
  ) {}

  /** Queues a file (the rules enabled for it given as [rule index, options]). */
  add(job: TextJob, file: SourceFile): void {
    if (job.rules.length === 0) return;
    this.jobs.push({ job, file });
    if (this.useWorker && !this.worker) this.start();
    if (!this.worker) return;
    this.batch.push(job);
    if (this.batch.length >= BATCH) this.flush();
  }

  /** Starts the worker with the first file that has a text rule enabled (none: no worker). */
  private start(): void {
    this.useWorker = false;
    const url = workerUrl();
    if (!url) return;
    const workerData: TextWorkerData = { ruleIds: this.rules.map((r) => r.meta.id), allow: this.allow.map((re) => ({ source: re.source, flags: re.flags })) };
    let worker: Worker;
    try {
      worker = new Worker(url, { workerData, stdout: false, stderr: false });
    } catch {
      return; // no threads here: the main thread scans
    }
    this.worker = worker;
    this.workerDone = new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`text worker exited with code ${code}`)));
    });
    // Never let an early failure go unhandled: results() falls back to the main thread.
    this.workerDone.catch(() => undefined);
  }

  private flush(): void {
    if (this.batch.length > 0) this.worker!.postMessage(this.batch);
    this.batch = [];
  }

  /** Every file queued; the reports come back in file order, each file's in the order its rules made them. */
  async results(): Promise<TextResult[]> {
    if (this.worker && this.workerDone) {
      this.flush();
      this.worker.postMessage(null);
      try {
        const results = await this.workerDone;
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
