// The worker thread of ./offload.ts. For each batch of files it parses the Dockerfiles and
// answers at once (the main thread runs their rules when they come back), then queues the text
// rules named in workerData over the batch and answers their reports when the batch is scanned.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import type { Rule } from "../rule.js";
import { createSourceFile } from "../source.js";
import { allowMatcher, parseDockerfileJob, scanJob, type FileJob, type TextResult, type WorkerData, type WorkerMessage } from "./offload.js";

// The main thread (YAML, the other rules) is the run's critical path, and on a two-core machine
// V8's own GC and compiler threads want the second core too: this thread runs at the lowest
// priority and takes only the CPU time they leave (Linux: nice applies per thread; its id is
// the last part of /proc/thread-self). Elsewhere it runs at normal priority.
try {
  setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), 19);
} catch {
  // No /proc (macOS, Windows) or not allowed: same results, less overlap.
}

const data = workerData as WorkerData;
// Each rule from its own module (rules/<id>/rule.js): loading the whole catalog here costs the
// main thread more, in contention for the second core, than the worker saves it.
const rules = await Promise.all(data.ruleIds.map(async (id) => ((await import(new URL(`../../rules/${id}/rule.js`, import.meta.url).href)) as { default: Rule }).default));
const isAllowed = allowMatcher(data.allow.map((a) => new RegExp(a.source, a.flags)));
let queue = Promise.resolve();
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

parentPort!.on("message", (batch: FileJob[]) => {
  const files = batch.map((job) => createSourceFile(job.path, job.absPath, job.kind, job.text));
  post({ dockerfiles: batch.flatMap((job, i) => (job.dockerfile ? [[job.index, parseDockerfileJob(files[i])] as const] : [])) });
  queue = queue.then(async () => {
    const results: TextResult[] = [];
    for (let i = 0; i < batch.length; i++) await scanJob(batch[i], files[i], rules, isAllowed, (r) => results.push(r));
    post({ results });
  });
});
