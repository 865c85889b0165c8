// Worker thread for the `text` visitors (see ./text-scan.ts): receives batches of files,
// runs the rules named in workerData over each, and answers once, after the final `null`.
import { parentPort, workerData } from "node:worker_threads";
import type { Rule } from "../rule.js";
import { createSourceFile } from "../source.js";
import { allowMatcher, scanJob, type TextJob, type TextResult, type TextWorkerData } from "./text-scan.js";

const data = workerData as TextWorkerData;
// Each rule from its own module (rules/<id>/rule.js, .ts under tsx): loading the whole catalog
// here costs the main thread more, in contention for the second core, than the worker saves it.
const ext = import.meta.url.endsWith(".ts") ? "ts" : "js";
const rules = await Promise.all(data.ruleIds.map(async (id) => ((await import(new URL(`../../rules/${id}/rule.${ext}`, import.meta.url).href)) as { default: Rule }).default));
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
