// The floor: what any tool that reads this tree must at least do, single-threaded.
// Walk (skipping .git and node_modules, not following symlinks), read every file as UTF-8,
// and YAML-parse every YAML/JSON file with positions (yaml's parseAllDocuments + LineCounter,
// the parser bulkhead uses). Nothing else. Usage: node bench/floor.mjs <dir>
// Prints one JSON line: { files, yamlFiles, docs, bytes, ms }.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { LineCounter, parseAllDocuments } from "yaml";

const t0 = performance.now();
const root = path.resolve(process.argv[2] ?? ".");
let files = 0;
let yamlFiles = 0;
let docs = 0;
let bytes = 0;

function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (e.name !== ".git" && e.name !== "node_modules") walk(path.join(dir, e.name));
    } else if (e.isFile()) {
      const abs = path.join(dir, e.name);
      const text = readFileSync(abs, "utf8");
      files++;
      bytes += text.length;
      if (/\.(?:ya?ml|json)$/i.test(e.name)) {
        yamlFiles++;
        const lineCounter = new LineCounter();
        const parsed = parseAllDocuments(text, { lineCounter });
        const list = Array.isArray(parsed) ? parsed : [parsed];
        for (const d of list) {
          docs++;
          // Touch positions so nothing is left lazily unevaluated.
          if (d.contents?.range) lineCounter.linePos(d.contents.range[0]);
        }
      }
    }
  }
}

walk(root);
process.stdout.write(JSON.stringify({ files, yamlFiles, docs, bytes, ms: Math.round(performance.now() - t0) }) + "\n");
