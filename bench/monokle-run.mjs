// Drives @monokle/validation (a library; its CLI is another package) over the Kubernetes
// manifests of a tree, as its CLI does: every YAML document with apiVersion and kind becomes a
// resource, then one validate() of them all. Only the plugins that run offline: kubernetes-schema
// fetches its schemas (and open-policy-agent its WASM bundle) over the network at run time.
// Usage: node bench/monokle-run.mjs <peers dir> <tree dir>; prints { files, resources, problems }.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [peersDir, treeDir] = process.argv.slice(2).map((p) => path.resolve(p));
const fromPeers = createRequire(path.join(peersDir, "package.json"));
const { createDefaultMonokleValidator } = await import(pathToFileURL(path.join(peersDir, "node_modules/@monokle/validation/lib/node.js")).href);
// The yaml version @monokle/validation itself depends on.
const { parseAllDocuments } = fromPeers(fromPeers.resolve("yaml", { paths: [path.join(peersDir, "node_modules/@monokle/validation")] }));

const resources = [];
let files = 0;
(function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== ".git") walk(abs);
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) {
      files++;
      const rel = path.relative(treeDir, abs);
      const text = readFileSync(abs, "utf8");
      parseAllDocuments(text).forEach((doc, i) => {
        const content = doc.toJS();
        if (!content?.apiVersion || !content?.kind) return;
        const [start, , end] = doc.range;
        resources.push({
          id: `${rel}#${i}`,
          fileId: rel,
          filePath: rel,
          fileOffset: text.slice(0, start).split("\n").length - 1,
          name: content.metadata?.name ?? "",
          namespace: content.metadata?.namespace,
          apiVersion: content.apiVersion,
          kind: content.kind,
          content,
          text: text.slice(start, end),
        });
      });
    }
  }
})(treeDir);

const validator = createDefaultMonokleValidator();
await validator.preload({
  plugins: { "yaml-syntax": true, "pod-security-standards": true, "resource-links": true, practices: true, "kubernetes-schema": false },
});
const response = await validator.validate({ resources });
const problems = response.runs.reduce((n, run) => n + run.results.length, 0);
process.stdout.write(JSON.stringify({ files, resources: resources.length, problems }) + "\n");
