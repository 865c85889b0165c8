import { defineRule } from "../../../src/rule.js";
import { credentialKind, quote } from "../../../src/secrets/index.js";
import { copyArgs, credentialSource, expandWith, hasGlob, isRemoteSource, keywordOf, matchSource, normalizeSource, variablesAt } from "../../../src/selectors/docker.js";
import { REFERENCE } from "../../../src/selectors/references.js";

const MAX_NAMED = 3;

export default defineRule({
  meta: {
    id: "docker/secret-file-copied",
    level: "error",
    summary: "COPY/ADD names a credential file or `.env` (a private key, `credentials.json`, `.npmrc`, `id_rsa`…), baking it into the image.",
    remediation:
      "Do not copy credentials into images: provide them at runtime (an env file, a mounted secret or volume), or at build time with `RUN --mount=type=secret`.",
    tags: ["security", "CWE-538", "CWE-798"],
    reads: ["compose"],
  },
  dockerfile(doc, ctx) {
    const contexts = ctx.workspace.buildContextsOf(doc.file.path);
    for (const ins of doc.instructions) {
      if (ins.keyword !== "COPY" && ins.keyword !== "ADD") continue;
      const { sources, from } = copyArgs(doc, ins);
      let vars: Map<string, string> | undefined;
      for (const src of sources) {
        let path: string | undefined = src.path;
        if (isRemoteSource(path)) continue;
        let unresolved = false;
        if (path.includes("$")) {
          vars ??= variablesAt(doc, ins);
          path = expandWith(path, vars);
          if (path === undefined) {
            // `.env.${APP_ENV}` or `${NAME}.pem` name credentials whatever the variable holds.
            path = src.path.replace(REFERENCE, "x");
            unresolved = true;
          }
        }
        const shown = path === src.path || unresolved ? `"${quote(src.path)}"` : `"${quote(src.path)}" (= "${quote(path)}")`;
        const origin = from !== undefined ? ` from "${quote(from)}"` : "";
        const fix =
          "provide it at runtime instead (an env file, a mounted secret or volume), or use `RUN --mount=type=secret` for build-time needs; a later `rm` does not remove it from the layer";
        const kind = credentialSource(path)?.replace(/\s*\([^)]*\)$/, ""); // "npm credentials (.npmrc)" → "npm credentials"
        if (kind) {
          const what = hasGlob(normalizeSource(path))
            ? `matches credential file names (${kind})`
            : kind === "credential directory"
              ? "is a credential directory"
              : `is a credential file (${kind})`;
          ctx.report({
            region: src.region,
            message: `${keywordOf(ins)} ${shown}${origin} puts credentials into the image: it ${what}; ${fix}`,
            logicalLocation: `stage ${ins.stage}`,
          });
          continue;
        }
        // A broader glob (`*.json`, `config/*`) that matches credential files in the build context.
        if (unresolved || from !== undefined || !hasGlob(normalizeSource(path))) continue;
        const matched = new Set<string>();
        for (const context of contexts) {
          const root = context.dir === "." ? "" : `${context.dir}/`;
          const rel = context.files.filter((f) => f.startsWith(root)).map((f) => f.slice(root.length));
          for (const f of matchSource(path, rel)) if (credentialKind(`${root}${f}`)) matched.add(`${root}${f}`);
        }
        if (matched.size === 0 || /(^|\/)\*+$/.test(normalizeSource(path))) continue; // `COPY * /app/`, `src/*`: directory copies, docker/context-leaks-secrets
        const files = [...matched].sort();
        const named = files.slice(0, MAX_NAMED).map((f) => quote(f)).join(", ") + (files.length > MAX_NAMED ? ` and ${files.length - MAX_NAMED} more` : "");
        ctx.report({
          region: src.region,
          message: `${keywordOf(ins)} ${shown} puts credentials into the image: the pattern matches ${named} in the build context; narrow the pattern or exclude ${files.length === 1 ? "it" : "them"} in .dockerignore, and ${fix}`,
          logicalLocation: `stage ${ins.stage}`,
        });
      }
    }
  },
});
