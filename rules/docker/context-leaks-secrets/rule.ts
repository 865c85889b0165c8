import { defineRule } from "../../../src/rule.js";
import { credentialKind } from "../../../src/secrets/index.js";
import { copyArgs, credentialSource, expandWith, hasGlob, isRemoteSource, keywordOf, normalizeSource, variablesAt } from "../../../src/selectors/docker.js";
import type { BuildContext } from "../../../src/workspace/workspace.js";

const MAX_NAMED = 3;

/**
 * The directory (relative to the context, "" for its root) a source copies when it copies a
 * directory's content: `.`, `./`, `src/`, `config` (a directory, as the files under it show),
 * `*` and `src/*`. Undefined for other globs (`*.py`), which select files.
 */
function directoryOf(source: string): string | undefined {
  const n = normalizeSource(source);
  if (n === "") return "";
  const segments = n.split("/");
  const last = segments[segments.length - 1];
  if (/^\*+$/.test(last)) {
    const parent = segments.slice(0, -1).join("/");
    return hasGlob(parent) ? undefined : parent;
  }
  return hasGlob(n) ? undefined : n;
}

/** The context's credential files (not excluded by its ignore file), computed once per context; names are tested first, the ignore file only for credential files. */
const credentialFilesCache = new WeakMap<BuildContext, string[]>();
function credentialFiles(context: BuildContext): string[] {
  let files = credentialFilesCache.get(context);
  if (!files) {
    files = context.under.filter((f) => credentialKind(f) !== undefined && context.sends(f));
    credentialFilesCache.set(context, files);
  }
  return files;
}

function list(files: string[]): string {
  const named = files.slice(0, MAX_NAMED).join(", ");
  return files.length > MAX_NAMED ? `${named} and ${files.length - MAX_NAMED} more` : named;
}

export default defineRule({
  meta: {
    id: "docker/context-leaks-secrets",
    level: "error",
    summary: "COPY/ADD of a directory (e.g. `COPY . .`) whose build context holds `.env` or credential files that `.dockerignore` does not exclude.",
    remediation:
      "Exclude the files in `.dockerignore` (`.env`, `.env.*`, `!.env.example`, `*.pem`, the credentials directory), or copy only what the image needs.",
    tags: ["security", "CWE-538", "CWE-200"],
  },
  dockerfile(doc, ctx) {
    const contexts = ctx.workspace.buildContextsOf(doc.file.path);
    if (contexts.length === 0) return;
    for (const ins of doc.instructions) {
      if (ins.keyword !== "COPY" && ins.keyword !== "ADD") continue;
      const { sources, from } = copyArgs(doc, ins);
      if (from !== undefined) continue; // from another stage or image, not from the build context
      let vars: Map<string, string> | undefined;
      const leaked = new Set<string>();
      const copied: string[] = [];
      const ignoreFiles = new Set<string>();
      let missingIgnore = false;
      for (const src of sources) {
        let path: string | undefined = src.path;
        if (isRemoteSource(path)) continue;
        if (path.includes("$")) {
          vars ??= variablesAt(doc, ins);
          path = expandWith(path, vars);
          if (path === undefined) continue;
        }
        if (credentialSource(path)) continue; // `COPY .ssh /root/.ssh`: docker/secret-file-copied reports the source itself
        const dir = directoryOf(path);
        if (dir === undefined) continue;
        let found = false;
        for (const context of contexts) {
          const root = context.dir === "." ? "" : `${context.dir}/`;
          const prefix = dir === "" ? root : `${root}${dir}/`;
          // Files under `<dir>/` also prove that the source is a directory and not a file.
          const hits = credentialFiles(context).filter((f) => f.startsWith(prefix));
          if (hits.length === 0) continue;
          found = true;
          for (const f of hits) leaked.add(f);
          if (context.ignoreFile) ignoreFiles.add(context.ignoreFile);
          else missingIgnore = true;
        }
        if (found) copied.push(src.path);
      }
      if (leaked.size === 0) continue;
      const files = [...leaked].sort();
      const what = copied.map((c) => `"${c}"`).join(", ");
      const ignore =
        ignoreFiles.size > 0
          ? `${[...ignoreFiles].join(", ")} does not exclude ${files.length === 1 ? "it" : "them"}`
          : "there is no .dockerignore";
      const why = missingIgnore && ignoreFiles.size > 0 ? " (or no .dockerignore)" : "";
      ctx.report({
        node: ins,
        message: `${keywordOf(ins)} ${what} copies credential files from the build context into the image: ${list(files)} (${ignore}${why}); add ${files.length === 1 ? "it" : "them"} to .dockerignore or copy only what the image needs`,
        logicalLocation: `stage ${ins.stage}`,
        snippet: `${keywordOf(ins)} ${what}`,
      });
    }
  },
});
