import { defineRule } from "../../../src/rule.js";
import { lineRegion } from "../../../src/source.js";
import { baseName, dotenvReferences, fileMode, isRealDotenv, isUnder, posixDir } from "../../../src/selectors/repo.js";

export default defineRule({
  meta: {
    id: "repo/dotenv-not-ignored",
    level: "warning",
    summary: "A `.env` file, or one that compose files and Dockerfiles read, is not ignored by .gitignore.",
    remediation: 'Add `.env` to .gitignore (`echo ".env" >> .gitignore`) so it can never be committed.',
    tags: ["security", "CWE-538"],
  },
  file(file, ctx) {
    const ws = ctx.workspace;
    // A `.env` on disk that .gitignore does not ignore. (Git-ignored files are normally not in the
    // lint set at all; one named on the command line is, and is checked here like the others.)
    if (isRealDotenv(file.path)) {
      if (ws.isGitIgnored(file.path)) return;
      ctx.report({
        region: lineRegion(file, 1),
        message: `${baseName(file.path)} is not ignored by .gitignore, so \`git add .\` commits its secrets; add "${baseName(file.path)}" to .gitignore`,
        logicalLocation: file.path,
        snippet: file.path,
      });
      return;
    }
    // A .gitignore that does not ignore a `.env` that compose files or Dockerfiles read, before
    // that file even exists. (When it exists it is reported above, on the file itself, or the
    // configuration excludes it.) The
    // finding goes to the nearest .gitignore above the `.env`.
    if (file.kind !== "gitignore") return;
    const dir = posixDir(file.path);
    const missing = new Map<string, string[]>();
    for (const ref of dotenvReferences(ws)) {
      if (!isUnder(ref.path, dir) || fileMode(ws, ref.path) !== undefined || ws.isGitIgnored(ref.path)) continue;
      if (nearestGitignore(ws.files.map((f) => f.path), ref.path) !== file.path) continue;
      const list = missing.get(ref.path) ?? [];
      list.push(`${ref.by} (${ref.how})`);
      missing.set(ref.path, list);
    }
    for (const [envPath, readers] of missing) {
      const rel = dir === "." ? envPath : envPath.slice(dir.length + 1);
      ctx.report({
        region: lineRegion(file, 1),
        message: `this .gitignore does not ignore ${rel}, which ${readers.join(" and ")} read${readers.length > 1 ? "" : "s"}; add "${rel}" so the secrets it will hold are never committed`,
        logicalLocation: `${file.path} ${envPath}`,
        snippet: envPath,
      });
    }
  },
});

function nearestGitignore(scanned: string[], target: string): string | undefined {
  const gitignores = new Set(scanned.filter((p) => baseName(p) === ".gitignore"));
  for (let dir = posixDir(target); ; dir = posixDir(dir)) {
    const candidate = dir === "." ? ".gitignore" : `${dir}/.gitignore`;
    if (gitignores.has(candidate)) return candidate;
    if (dir === ".") return undefined;
  }
}
