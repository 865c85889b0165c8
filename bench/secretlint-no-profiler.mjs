// Preloaded into secretlint (`node --import bench/secretlint-no-profiler.mjs …/secretlint.js`)
// by `npm run bench -- --peers`: switches off the profiler's marks, as bulkhead does for the
// secretlint rules it runs (src/secrets/tokens.ts). In 12.0.0 each mark searches every earlier
// one, so a run's cost grows with the square of the file count; the findings are the same.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const peers = path.join(path.dirname(fileURLToPath(import.meta.url)), ".peers");
const { secretLintProfiler } = await import(pathToFileURL(path.join(peers, "node_modules/@secretlint/profiler/module/node.js")).href);
secretLintProfiler.mark = () => {};
