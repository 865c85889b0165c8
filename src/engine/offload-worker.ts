// The worker thread of ./offload.ts. For each batch of files it parses the Dockerfiles and the
// YAML files and answers at once (the main thread runs their rules when they come back), then
// queues the text rules named in workerData over the batch and answers their reports when the
// batch is scanned. A batch that arrives while others are being scanned is parsed first.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import type { Rule } from "../rule.js";
import type { SourceFile } from "../types.js";
import { createSourceFile } from "../source.js";
import { allowMatcher, parseDockerfileJob, recordYaml, scanJob, type FileJob, type ParseAnswer, type TextResult, type WorkerData, type WorkerMessage } from "./offload.js";

// The main thread (the rules) is the run's critical path, and on a two-core machine V8's own GC
// and compiler threads want the second core too: this thread runs at the lowest priority and
// takes only the CPU time they leave (Linux: nice applies per thread; its id is the last part of
// /proc/thread-self); the main thread does the work itself while this one is behind. Elsewhere it
// runs at normal priority.
try {
  setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), 19);
} catch {
  // No /proc (macOS, Windows) or not allowed: same results, less overlap.
}

const data = workerData as WorkerData;
const reads = new Set(data.reads);
// Each rule from its own module (rules/<id>/rule.js): loading the whole catalog here costs the
// main thread more, in contention for the second core, than the worker saves it.
const rules = await Promise.all(data.ruleIds.map(async (id) => ((await import(new URL(`../../rules/${id}/rule.js`, import.meta.url).href)) as { default: Rule }).default));
const isAllowed = allowMatcher(data.allow.map((a) => new RegExp(a.source, a.flags)));
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

/** Batches parsed, waiting for their text scans, oldest first. */
const queue: { batch: FileJob[]; files: SourceFile[]; next: number; results: TextResult[] }[] = [];
let scanning = false;

parentPort!.on("message", (batch: FileJob[]) => {
  const files = batch.map((job) => createSourceFile(job.path, job.absPath, job.kind, job.text));
  const parsed: [number, ParseAnswer][] = [];
  batch.forEach((job, i) => {
    if (job.parse === "dockerfile") parsed.push([job.index, { dockerfile: parseDockerfileJob(files[i]) }]);
    else if (job.parse === "yaml") parsed.push([job.index, { yaml: recordYaml(files[i], reads) }]);
  });
  post({ parsed });
  queue.push({ batch, files, next: 0, results: [] });
  if (!scanning) void scanNext();
});

/** Scans one file, then lets the next message in (a batch to parse goes first) before the next file. */
async function scanNext(): Promise<void> {
  scanning = true;
  const head = queue[0];
  const i = head.next++;
  await scanJob(head.batch[i], head.files[i], rules, isAllowed, (r) => head.results.push(r));
  if (head.next === head.batch.length) {
    queue.shift();
    post({ results: head.results });
  }
  if (queue.length > 0) setImmediate(() => void scanNext());
  else scanning = false;
}
