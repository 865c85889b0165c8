import { defineRule } from "../../../src/rule.js";
import { credentialKind, quote } from "../../../src/secrets/index.js";
import { copyArgs, credentialSource, expandWith, hasGlob, instructionText, isRemoteSource, keywordOf, normalizeSource, variablesAt } from "../../../src/selectors/docker.js";
import { destinationOf, routeToImage } from "../../../src/selectors/docker-stages.js";
import { credentialContent } from "../../../src/selectors/credential-content.js";
import type { DockerInstruction, DockerfileDoc } from "../../../src/types.js";
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

/** One credential file a COPY puts into the final image. */
interface Leak {
  file: string;
  /** What in it is a credential (key names, "a private key"). */
  holds: string;
  /** The `COPY --from` instructions that carry it from a builder stage into the final image ([] when copied there directly). */
  route: DockerInstruction[];
}

function describe(leaks: Leak[]): string {
  const named = leaks.slice(0, MAX_NAMED).map((l) => `${quote(l.file)} (${l.holds})`).join(", ");
  return leaks.length > MAX_NAMED ? `${named} and ${leaks.length - MAX_NAMED} more` : named;
}

export default defineRule({
  meta: {
    id: "docker/context-leaks-secrets",
    level: "error",
    summary:
      "COPY/ADD of a directory (e.g. `COPY . .`) puts `.env` or credential files from the build context, not excluded by `.dockerignore`, into the final image (directly, or through `COPY --from` of a builder stage), and they hold credentials.",
    remediation:
      "Exclude the files in `.dockerignore` (`.env`, `.env.*`, `!.env.example`, `*.pem`, the credentials directory), or copy only what the image needs.",
    tags: ["security", "CWE-538", "CWE-200"],
    reads: ["compose"],
  },
  async dockerfile(doc, ctx) {
    const contexts = ctx.workspace.buildContextsOf(doc.file.path);
    if (contexts.length === 0) return;
    const allow = (v: string) => ctx.isAllowedSecret(v);
    for (const ins of doc.instructions) {
      if (ins.keyword !== "COPY" && ins.keyword !== "ADD") continue;
      const { sources, from } = copyArgs(doc, ins);
      if (from !== undefined) continue; // from another stage or image, not from the build context
      let vars: Map<string, string> | undefined;
      const leaks = new Map<string, Leak>();
      const copied = new Set<string>();
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
        for (const context of contexts) {
          const root = context.dir === "." ? "" : `${context.dir}/`;
          const prefix = dir === "" ? root : `${root}${dir}/`;
          // Files under `<dir>/` also prove that the source is a directory and not a file.
          for (const f of credentialFiles(context).filter((x) => x.startsWith(prefix))) {
            if (leaks.has(f)) continue;
            // ONBUILD runs in the image built FROM this one: that is its final image.
            const route = ins.onbuild ? [] : routeToImage(doc, doc.stages[ins.stage]!, destinationOf(doc, ins, f.slice(prefix.length)));
            if (!route) continue;
            const content = await credentialContent(f, ctx.workspace.textOf(f), allow);
            if (!content) continue;
            leaks.set(f, { file: f, holds: content.holds, route });
            copied.add(src.path);
            if (context.ignoreFile) ignoreFiles.add(context.ignoreFile);
            else missingIgnore = true;
          }
        }
      }
      if (leaks.size === 0) continue;
      const list = [...leaks.values()].sort((a, b) => (a.file < b.file ? -1 : 1));
      const what = [...copied].map((c) => `"${quote(c)}"`).join(", ");
      const it = list.length === 1 ? "it" : "them";
      const ignore = ignoreFiles.size > 0 ? `${[...ignoreFiles].map((f) => quote(f)).join(", ")} does not exclude ${it}` : "there is no .dockerignore";
      const why = missingIgnore && ignoreFiles.size > 0 ? " (or no .dockerignore)" : "";
      const carried = list.find((l) => l.route.length > 0)?.route;
      const into = carried
        ? `into stage ${stageName(doc, ins.stage)}, and ${carried.map((c) => `\`${keywordOf(c)} --from=${quote(copyArgs(doc, c).from ?? "")} ${quote(instructionText(doc, c).text.trim())}\` (line ${c.range.startLine})`).join(" then ")} carries ${list.length === 1 ? "it" : "some of them"} into the final image`
        : "into the image";
      ctx.report({
        node: ins,
        message: `${keywordOf(ins)} ${what} copies credential files from the build context ${into} (${ignore}${why}): ${describe(list)}; add ${it} to .dockerignore or copy only what the image needs`,
        logicalLocation: `stage ${ins.stage}`,
        snippet: `${keywordOf(ins)} ${what}`,
      });
    }
  },
});

/** `"builder"`, or `0` for a stage without a name. */
function stageName(doc: DockerfileDoc, index: number): string {
  const alias = doc.stages[index]?.alias;
  return alias ? `"${quote(alias)}"` : String(index);
}
