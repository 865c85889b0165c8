// Worker thread for the `text` visitors (see ./text-scan.ts): receives batches of files,
// runs the rules named in workerData over each, and answers once, after the final `null`.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import type { Rule } from "../rule.js";
import { createSourceFile } from "../source.js";
import { allowMatcher, scanJob, type TextJob, type TextResult, type TextWorkerData } from "./text-scan.js";

// The main thread (parsing, the other rules) is the run's critical path, and on a two-core
// machine V8's own GC and compiler threads want the second core too: this thread runs at the
// lowest priority and takes only the CPU time they leave (Linux: nice applies per thread; its
// id is the last part of /proc/thread-self). Elsewhere it runs at normal priority.
try {
  setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), 19);
} catch {
  // No /proc (macOS, Windows) or not allowed: same results, less overlap.
}

const data = workerData as TextWorkerData;
// Each rule from its own module (rules/<id>/rule.js): loading the whole catalog here costs the
// main thread more, in contention for the second core, than the worker saves it.
const rules = await Promise.all(data.ruleIds.map(async (id) => ((await import(new URL(`../../rules/${id}/rule.js`, import.meta.url).href)) as { default: Rule }).default));
const isAllowed = allowMatcher(data.allow.map((a) => new RegExp(a.source, a.flags)));
const out: TextResult[] = [];
let queue = Promise.resolve();

parentPort!.on("message", (batch: TextJob[] | null) => {
  queue = queue.then(async () => {
    if (batch === null) {
      parentPort!.postMessage(out);
      return;
    }
    for (const job of batch) await scanJob(job, createSourceFile(job.path, job.absPath, job.kind, job.text), rules, isAllowed, out);
  });
});
