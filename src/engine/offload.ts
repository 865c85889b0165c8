// Work that needs one file and nothing else, moved off the main thread on large runs: the
// `text` visitors (rules that read a file's text alone: the secret and phone-number scans), the
// parsing of Dockerfiles and of YAML files. One worker thread is fed each file as the main thread
// reads it, in batches, and answers each batch twice: what it parsed at once (the main thread runs
// the files' rules when it comes back; YAML trees come as plain data, see encodeYaml), its text
// rules' reports when it has scanned it. Only the batches not answered yet are held. On a small
// run, or where the worker cannot start, the same functions run on the main thread; while the
// worker is behind, the main thread does the work itself (both cores stay busy).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { DocumentKind, Rule, TextContext } from "../rule.js";
import type { DockerfileDoc, FileKind, Region, SourceFile, TextReport } from "../types.js";
import { parseDockerfile } from "../parsers/dockerfile.js";
import { decodeYaml, encodeYaml, parseYaml, type EncodedYaml } from "../parsers/yaml.js";
import { snippetText } from "./fingerprint.js";
import { FILE_START } from "./findings.js";
import { parseFile, QUIET, type YamlParser } from "./parse.js";

/** One file, the text rules enabled for it (with their options), and whether to parse it as a Dockerfile. */
export interface FileJob {
  /** Index of the file in the run's file list. */
  index: number;
  path: string;
  absPath: string;
  kind: FileKind;
  text: string;
  rules: [rule: number, options: Readonly<Record<string, unknown>>][];
  /** What to parse it as there, if anything. */
  parse?: "dockerfile" | "yaml";
}

/** A text report with its fingerprint text (`snippet`, normalized) taken while the file was at hand; `own`: the rule gave it. */
export type ScannedReport = TextReport & { snippet: string; own?: true };

/** A report of rule `rule` on file `index`, or the error the visitor threw (with the fingerprint text of where it is reported). */
export type TextResult = [index: number, rule: number, report: ScannedReport | { error: string; region: Region; snippet: string }];

/** A parsed Dockerfile without its file (the main thread attaches it), or why it could not be parsed. */
export type ParsedDockerfile = Omit<DockerfileDoc, "file"> | { error: string };

/** What parseFile asked the YAML parser for, in order: each version and what it gave, encoded. */
export type RecordedYaml = [version: "1.1" | "1.2", parsed: EncodedYaml][];

export type ParseAnswer = { dockerfile: ParsedDockerfile } | { yaml: RecordedYaml };

/** Messages from the worker, per batch in order: what it parsed, as soon as it is parsed, then its text results. */
export type WorkerMessage = { parsed: [index: number, answer: ParseAnswer][] } | { results: TextResult[] };

/** What a worker is started with (structured-cloneable). */
export interface WorkerData {
  ruleIds: string[];
  allow: { source: string; flags: string }[];
  /** The kinds of documents some rule reads (what parseFile parses). */
  reads: DocumentKind[];
}

/** Below this many files a worker (≈ 50 ms to start and load its modules) does not pay. */
export const WORKER_MIN_FILES = 2000;
/** Files per message to the worker. */
const BATCH = 256;
/** Files to parse per message: their rules wait for the answer. */
const PARSE_BATCH = 16;
/**
 * Files the worker may have to parse (sent or queued, not answered) before the main thread
 * parses the next ones itself: the worker also scans text, and at the lowest priority it may
 * get little time.
 */
const PARSE_AHEAD = 48;
/**
 * Text the worker may be behind by (sent, not answered) before the main thread scans the next
 * files itself: bounds what the worker holds and what the main thread waits for at the end. At
 * 32 MB (more than the 10,000-file benchmark tree) the main thread waited 250-500 ms at the end
 * for the worker, which parses YAML first; at 1.5-4 MB 15-60 ms, and the run took 0.15-0.2 s less.
 */
const MAX_BEHIND_BYTES = 2 * 1024 * 1024;

/** Runs the job's rules over one file, in order; what they report (or throw) goes to `out`. */
export async function scanJob(job: FileJob, file: SourceFile, rules: Rule[], isAllowedSecret: (value: string) => boolean, out: (result: TextResult) => void): Promise<void> {
  for (const [r, options] of job.rules) {
    const report = (report: TextReport) => out([job.index, r, { ...report, snippet: snippetText(file, report.region, report.snippet), ...(report.snippet !== undefined ? { own: true as const } : {}) }]);
    const ctx: TextContext = { file, options, isAllowedSecret, report };
    try {
      await rules[r].text!(file, ctx);
    } catch (err) {
      out([job.index, r, { error: errorMessage(err), region: FILE_START, snippet: snippetText(file, FILE_START) }]);
    }
  }
}

/** Parses a file as parseFile would on the main thread, recording what it asked the YAML parser. */
export function recordYaml(file: SourceFile, reads: ReadonlySet<DocumentKind>): RecordedYaml {
  const recorded: RecordedYaml = [];
  try {
    parseFile(file, "", reads, QUIET, (f, version) => {
      const parsed = parseYaml(f, version);
      recorded.push([version, encodeYaml(parsed)]);
      return parsed;
    });
  } catch {
    // The main thread parses what was not recorded, and reports why it failed.
  }
  return recorded;
}

/** A YAML parser that gives `file` what the worker recorded for it, in order; anything else is parsed here. */
export function replayYaml(file: SourceFile, recorded: RecordedYaml): YamlParser {
  let next = 0;
  return (f, version) => {
    const r = recorded[next];
    if (f !== file || !r || r[0] !== version) return parseYaml(f, version);
    next++;
    return decodeYaml(f, r[1]);
  };
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

/** A parse job done on this thread (a YAML file's recording is empty: the engine parses it itself). */
function parseHere(job: FileJob, file: SourceFile): ParseAnswer {
  return job.parse === "dockerfile" ? { dockerfile: parseDockerfileJob(file) } : { yaml: [] };
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

interface Batch {
  /** The jobs; their texts are dropped once sent (the worker has its copy). */
  jobs: FileJob[];
  /** Their texts' length. */
  bytes: number;
  /** The files it parses, until it answers. */
  parses: Map<number, SourceFile>;
  parsesAnswered: boolean;
}

const newBatch = (): Batch => ({ jobs: [], bytes: 0, parses: new Map(), parsesAnswered: false });

export class Offload {
  private worker: Worker | undefined;
  /** Batches sent and not fully answered, oldest first, and their texts' length. */
  private readonly inFlight: Batch[] = [];
  private behind = 0;
  /** Files sent or queued to parse, not answered yet. */
  private parsing = 0;
  private batch: Batch = newBatch();
  /** Answers received and not taken yet. */
  private parsed: [index: number, answer: ParseAnswer, file: SourceFile][] = [];
  private results: TextResult[] = [];
  /** Called when an answer arrives, while the main thread waits for one. */
  private wake: (() => void) | undefined;
  /** The text scans redone here after the worker failed. */
  private redo: Promise<void> = Promise.resolve();
  private readonly isAllowed: (value: string) => boolean;
  /** Where results made here go (take() swaps the list: a scan still running must find the current one). */
  private readonly collect = (result: TextResult) => this.results.push(result);
  /** Whether the worker delivered every result (false: some or all were computed here). */
  usedWorker = false;
  /** Files the worker parsed. */
  parsedThere = 0;
  /** The text rules, loaded, in the order of their ids (set by the scan: rules load after discovery, see loadRules). */
  rules: Rule[] = [];
  /** A queued file's source again (after the worker failed: its texts are not kept); set by the scan. */
  reread: (job: FileJob) => SourceFile | undefined = () => undefined;
  private started = false;

  constructor(
    /** The ids of the text rules, in order (the worker loads their modules). */
    private readonly ruleIds: string[],
    private readonly allow: RegExp[],
    private readonly reads: ReadonlySet<DocumentKind>,
  ) {
    this.isAllowed = allowMatcher(allow);
  }

  /**
   * Starts the worker (once; before the first file is queued, or the main thread does the work):
   * as soon as discovery has found enough files, so that it loads its modules while the tree is
   * still being walked.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    const url = workerUrl();
    if (!url) return;
    const { ruleIds, allow, reads } = this;
    const workerData: WorkerData = { ruleIds, allow: allow.map((re) => ({ source: re.source, flags: re.flags })), reads: [...reads] };
    let worker: Worker;
    try {
      worker = new Worker(url, { workerData, stdout: false, stderr: false });
    } catch {
      return; // no threads here: the main thread does the work
    }
    this.worker = worker;
    this.usedWorker = true;
    worker.on("message", (m: WorkerMessage) => this.answer(m));
    // A worker that fails is never an unhandled error: the main thread redoes what it did not answer.
    worker.once("error", () => this.fail());
    worker.once("exit", () => this.fail());
  }

  /** Whether the worker parses files (hand them over with `parse`; they come back from take()). */
  get parses(): boolean {
    return this.worker !== undefined;
  }

  /** Whether the worker has enough to parse for now (the main thread parses the next file itself). */
  get parsingAhead(): boolean {
    return this.parsing >= PARSE_AHEAD;
  }

  /**
   * Queues a file. Without a worker, or while the worker is a few batches behind (it runs at the
   * lowest priority: on a busy machine it gets little time), the work is done here, now. What
   * is done, here or there, comes from take().
   */
  async add(job: FileJob, file: SourceFile): Promise<void> {
    if (job.rules.length === 0 && !job.parse) return;
    if (!this.worker || (this.behind >= MAX_BEHIND_BYTES && !job.parse)) {
      if (job.parse) this.parsed.push([job.index, parseHere(job, file), file]);
      await scanJob(job, file, this.rules, this.isAllowed, this.collect);
      return;
    }
    this.batch.jobs.push(job);
    this.batch.bytes += job.text.length;
    if (job.parse) {
      this.batch.parses.set(job.index, file);
      this.parsing++;
    }
    if (this.batch.jobs.length >= BATCH || this.batch.parses.size >= PARSE_BATCH) await this.flush();
  }

  /** The files parsed and the text results received so far (each in file order), once each. */
  take(): { parsed: [index: number, answer: ParseAnswer, file: SourceFile][]; results: TextResult[] } {
    const out = { parsed: this.parsed, results: this.results };
    this.parsed = [];
    this.results = [];
    return out;
  }

  /** Lets the worker's answers in (they arrive as events, between the main thread's tasks). */
  async poll(): Promise<void> {
    if (this.worker) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Sends what is queued and waits until every file sent to parse is answered (take() has them). */
  async parsesDone(): Promise<void> {
    await this.flush();
    while (this.worker && this.parsing > 0) await new Promise<void>((resolve) => (this.wake = resolve));
  }

  /** Sends what is queued and waits for every answer (then take() has the last of them). */
  async finish(): Promise<void> {
    await this.flush(true);
    this.stop();
    await this.redo;
  }

  /** Stops the worker, if it runs (a run that ends early must not leave it running). */
  stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate();
  }

  /** Sends the queued batch, then lets the answers in; with `all`, waits for every answer. */
  private async flush(all = false): Promise<void> {
    if (this.worker && this.batch.jobs.length > 0) {
      this.inFlight.push(this.batch);
      this.behind += this.batch.bytes;
      this.worker.postMessage(this.batch.jobs);
      for (const job of this.batch.jobs) job.text = "";
      this.batch = newBatch();
    }
    // Let the worker's answers in (they arrive as events).
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (all && this.worker && this.inFlight.length > 0) await new Promise<void>((resolve) => (this.wake = resolve));
  }

  private answer(m: WorkerMessage): void {
    const batch = this.inFlight.find((b) => ("parsed" in m ? !b.parsesAnswered : true));
    if (!batch) return;
    if ("parsed" in m) {
      batch.parsesAnswered = true;
      for (const [index, answer] of m.parsed) this.parsed.push([index, answer, batch.parses.get(index)!]);
      this.parsing -= batch.parses.size;
      this.parsedThere += batch.parses.size;
      batch.parses.clear();
    } else {
      this.inFlight.splice(this.inFlight.indexOf(batch), 1);
      this.behind -= batch.bytes;
      for (const r of m.results) this.results.push(r);
    }
    this.wakeUp();
  }

  /** The worker stopped: what it did not answer is done here, and so is everything after. */
  private fail(): void {
    if (!this.worker) return;
    this.worker = undefined;
    this.usedWorker = false;
    const unanswered = [...this.inFlight, this.batch];
    this.inFlight.length = 0;
    this.behind = 0;
    this.parsing = 0;
    this.batch = newBatch();
    // What it was to parse at once (a YAML file's recording is empty: the engine parses it), so that they stay in file order; the text scans in turn.
    for (const b of unanswered) {
      for (const job of b.jobs) {
        const file = b.parses.get(job.index);
        if (file) this.parsed.push([job.index, parseHere(job, file), file]);
      }
    }
    this.redo = (async () => {
      for (const job of unanswered.flatMap((b) => b.jobs)) {
        const file = this.reread(job);
        if (file) await scanJob(job, file, this.rules, this.isAllowed, this.collect);
      }
    })();
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
