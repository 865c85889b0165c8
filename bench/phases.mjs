// One in-process lint() of a tree through the library API; prints its timing (discover, parse,
// rules, total, in ms) as JSON. Usage: node bench/phases.mjs <dir>
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// As the CLI runs it (its V8 tuning included).
(await import(path.join(root, "dist/src/jit.js"))).tuneJitForOneRun();
const t0 = performance.now();
const { lint } = await import(path.join(root, "dist/src/index.js"));
const tImport = performance.now() - t0;
const result = await lint({ cwd: path.resolve(process.argv[2] ?? ".") });
process.stdout.write(JSON.stringify({ importMs: Math.round(tImport), ...result.timing, findings: result.findings.length }) + "\n");
