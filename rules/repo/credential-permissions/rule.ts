import { defineRule } from "../../../src/rule.js";
import { lineRegion } from "../../../src/source.js";
import type { SourceFile } from "../../../src/types.js";
import type { Workspace } from "../../../src/workspace/workspace.js";
import { credentialFile, dirsOnDisk, fileMode, isUnder, octal } from "../../../src/selectors/repo.js";
import { isCredentialDirName } from "../../../src/secrets/index.js";

// Findings attach to a scanned file (ctx.report reports on ctx.file), so:
// - a credential file is reported from its own visit, at line 1;
// - a credential directory looser than 0700 is reported once, from the visit of the first
//   scanned file inside it (in path order), with the directory named in the message.
// Credential files the scan does not read (git-ignored, binary keystores) and directories with
// no scanned file inside cannot be reported without an engine hook that reports on any path.

const looseDirs = new WeakMap<Workspace, Map<string, { dir: string; mode: number }[]>>();

/** Credential directories with group/other bits, keyed by the first scanned file inside each. */
function looseDirsByFirstFile(ws: Workspace): Map<string, { dir: string; mode: number }[]> {
  let byFile = looseDirs.get(ws);
  if (byFile) return byFile;
  byFile = new Map();
  const scanned = ws.files.map((f) => f.path).sort();
  for (const d of dirsOnDisk(ws)) {
    if ((d.mode & 0o077) === 0 || !isCredentialDirName(d.path)) continue;
    const first = scanned.find((p) => isUnder(p, d.path));
    if (!first) continue;
    const list = byFile.get(first) ?? [];
    list.push({ dir: d.path, mode: d.mode });
    byFile.set(first, list);
  }
  looseDirs.set(ws, byFile);
  return byFile;
}

/** "its group can read it", "every user can read and change it" … */
function exposure(mode: number, object: "file" | "dir"): string {
  const who = [mode & 0o070 ? "its group" : "", mode & 0o007 ? "every user" : ""].filter(Boolean).join(" and ");
  const verbs =
    object === "dir"
      ? [mode & 0o055 ? "list or enter" : "", mode & 0o022 ? "add or delete files in" : ""]
      : [mode & 0o044 ? "read" : "", mode & 0o022 ? "change" : "", mode & 0o011 && !(mode & 0o066) ? "execute" : ""];
  return `${who} can ${verbs.filter(Boolean).join(" and ")} it`;
}

export default defineRule({
  meta: {
    id: "repo/credential-permissions",
    level: "error",
    summary:
      "With --check-permissions (or outside a git work tree): a credential file readable or writable by group or others, or a credential directory looser than 0700.",
    remediation: "`chmod 600` credential files and `chmod 700` the directories that hold them (e.g. `find data -type f -exec chmod 600 {} +`).",
    tags: ["security", "CWE-732"],
  },
  file(file: SourceFile, ctx) {
    const ws = ctx.workspace;
    if (!ws.checkPermissions) return;
    const cred = credentialFile(file);
    const mode = fileMode(ws, file.path);
    if (cred && mode !== undefined && (mode & 0o077) !== 0) {
      ctx.report({
        region: lineRegion(file, 1),
        message: `${file.path} (${cred.kind}) has mode ${octal(mode)}, so ${exposure(mode, "file")}; run \`chmod 600 ${file.path}\``,
        logicalLocation: file.path,
        snippet: `${file.path} mode`,
      });
    }
    for (const { dir, mode: dmode } of looseDirsByFirstFile(ws).get(file.path) ?? []) {
      ctx.report({
        region: lineRegion(file, 1),
        message: `credential directory ${dir}/ has mode ${octal(dmode)}, so ${exposure(dmode, "dir")}; run \`chmod 700 ${dir}\``,
        logicalLocation: `${dir}/`,
        snippet: `${dir}/ mode`,
      });
    }
  },
});
