import { defineRule, type LaterReport } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { lineRegion } from "../../../src/source.js";
import { baseName, dotenvReferences, fileMode, isRealDotenv, posixDir } from "../../../src/selectors/repo.js";
import type { Workspace } from "../../../src/workspace/workspace.js";

export default defineRule({
  meta: {
    id: "repo/dotenv-not-ignored",
    level: "warning",
    summary: "A `.env` file, or one that compose files and Dockerfiles read, is not ignored by .gitignore.",
    remediation: 'Add `.env` to .gitignore (`echo ".env" >> .gitignore`) so it can never be committed.',
    tags: ["security", "CWE-538"],
    reads: ["compose", "dockerfile"],
  },
  file(file, ctx) {
    const ws = ctx.workspace;
    // A `.env` on disk that .gitignore does not ignore. (Git-ignored files are normally not in the
    // lint set at all; one named on the command line is, and is checked here like the others.)
    if (isRealDotenv(file.path)) {
      // A tracked `.env` is repo/committed-dotenv's to judge (by what it holds): untracking it,
      // not ignoring it, is the fix, and one finding on the file is enough. (Tracked first: a
      // lookup, where matching .gitignore patterns is not.)
      if (ws.isTracked(file.path) || ws.isGitIgnored(file.path)) return;
      ctx.report({
        region: lineRegion(file, 1),
        message: `${quote(baseName(file.path))} is not ignored by .gitignore, so \`git add .\` commits its secrets; add "${quote(baseName(file.path))}" to .gitignore`,
        logicalLocation: file.path,
        snippet: file.path,
      });
      return;
    }
    // A .gitignore that does not ignore a `.env` that compose files or Dockerfiles read, before
    // that file even exists (when it exists it is reported above, on the file itself). The
    // finding goes to the nearest .gitignore above the `.env`.
    if (file.kind !== "gitignore") return;
    ctx.reportLater({ region: lineRegion(file, 1) }, file.path, decide);
  },
});

/** A .gitignore's findings: the `.env` files that compose files and Dockerfiles read and that it should ignore (known once every file has been read). */
function decide(gitignore: string, ws: Workspace): LaterReport[] {
  const dir = posixDir(gitignore);
  const missing = unignoredReferencesByGitignore(ws).get(gitignore) ?? new Map<string, string[]>();
  return [...missing].map(([envPath, readers]) => {
    const rel = dir === "." ? envPath : envPath.slice(dir.length + 1);
    return {
      message: `this .gitignore does not ignore ${quote(rel)}, which ${quote(readers.join(" and "))} read${readers.length > 1 ? "" : "s"}; add "${quote(rel)}" so the secrets it will hold are never committed`,
      logicalLocation: `${quote(gitignore)} ${quote(envPath)}`,
      snippet: envPath,
    };
  });
}

const byGitignore = new WeakMap<Workspace, Map<string, Map<string, string[]>>>();

/**
 * `.env` paths that compose files and Dockerfiles read, that do not exist and that no .gitignore
 * ignores, grouped by the nearest scanned .gitignore above them (computed once per run).
 */
function unignoredReferencesByGitignore(ws: Workspace): Map<string, Map<string, string[]>> {
  const cached = byGitignore.get(ws);
  if (cached) return cached;
  const out = new Map<string, Map<string, string[]>>();
  const gitignores = new Set(ws.files.filter((f) => f.kind === "gitignore").map((f) => f.path));
  for (const ref of dotenvReferences(ws)) {
    if (fileMode(ws, ref.path) !== undefined) continue;
    const nearest = nearestGitignore(gitignores, ref.path);
    if (!nearest || ws.isGitIgnored(ref.path)) continue;
    const missing = out.get(nearest) ?? new Map<string, string[]>();
    missing.set(ref.path, [...(missing.get(ref.path) ?? []), `${ref.by} (${ref.how})`]);
    out.set(nearest, missing);
  }
  byGitignore.set(ws, out);
  return out;
}

function nearestGitignore(gitignores: Set<string>, target: string): string | undefined {
  for (let dir = posixDir(target); ; dir = posixDir(dir)) {
    const candidate = dir === "." ? ".gitignore" : `${dir}/.gitignore`;
    if (gitignores.has(candidate)) return candidate;
    if (dir === ".") return undefined;
  }
}
