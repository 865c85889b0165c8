// Time spent in each rule over one in-process lint() of a tree (default: the 10k bench tree).
// Wraps the hooks of the rule objects the engine imports. An async hook is timed up to its first
// await (marked "async"; what runs after an await is not counted). Usage:
//   npm run build; node bench/rule-times.mjs [dir] [top=20]
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dir = path.resolve(process.argv[2] ?? path.join(os.tmpdir(), "bulkhead-bench-10000"));
const top = Number(process.argv[3] ?? 20);
const { rules } = await import(path.join(root, "dist/rules/index.js"));
const { lint } = await import(path.join(root, "dist/src/index.js"));

const spent = new Map();
const isAsync = new Set();
const add = (id, ms) => spent.set(id, (spent.get(id) ?? 0) + ms);
for (const rule of rules) {
  for (const hook of ["file", "text", "dockerfile", "compose", "k8s", "workspace"]) {
    const fn = rule[hook];
    if (typeof fn !== "function") continue;
    rule[hook] = function (...args) {
      const t = performance.now();
      const out = fn.apply(this, args);
      add(rule.meta.id, performance.now() - t);
      if (out && typeof out.then === "function") isAsync.add(rule.meta.id);
      return out;
    };
  }
}
// threads: false, so the text rules run here, where their hooks are wrapped.
const result = await lint({ cwd: dir, threads: false });
const total = [...spent.values()].reduce((a, b) => a + b, 0);
console.log(`${dir}: ${result.filesScanned} files, ${result.findings.length} findings; phases ${JSON.stringify(result.timing)}; time in rules ${Math.round(total)} ms`);
for (const [id, ms] of [...spent].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${String(Math.round(ms)).padStart(7)} ms  ${id}${isAsync.has(id) ? " (async)" : ""}`);
