import { defineRule } from "../../../src/rule.js";
import { lineRegion } from "../../../src/source.js";
import { baseName, credentialFile, isSourceCode } from "../../../src/selectors/repo.js";
import { octal } from "../../../src/selectors/file-mode.js";
import { credentialKind, isCredentialDirName, quote } from "../../../src/secrets/index.js";

// A workspace check: it sees every file and directory on disk, including the git-ignored
// credential files that matter most here (a bot's data/+<number>/ directory, a local .env),
// which the scan itself does not read. A scanned file is judged by its content too (a .pem
// with only a certificate is not a credential); an unscanned one by its name.

/** "its group can read it", "every user can read and change it" … */
function exposure(mode: number, object: "file" | "dir"): string {
  const who = [mode & 0o070 ? "its group" : "", mode & 0o007 ? "every user" : ""].filter(Boolean).join(" and ");
  const verbs =
    object === "dir"
      ? [mode & 0o055 ? "list or enter" : "", mode & 0o022 ? "add or delete files in" : ""]
      : [mode & 0o044 ? "read" : "", mode & 0o022 ? "change" : "", mode & 0o011 && !(mode & 0o066) ? "execute" : ""];
  return `${who} can ${verbs.filter(Boolean).join(" and ")} it`;
}

/** Names that hold credentials in a deployment and code in a program's source tree (`src/secrets/`). */
const GENERIC_NAMES = new Set(["secrets", "credentials"]);

/**
 * The `secrets/` and `credentials/` directories that hold source code: a module of a program
 * (the code that reads its secrets), not a credential directory.
 */
function sourceDirectories(files: string[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    if (!isSourceCode(f)) continue;
    for (let slash = f.lastIndexOf("/"); slash > 0; slash = f.lastIndexOf("/", slash - 1)) {
      const dir = f.slice(0, slash);
      if (GENERIC_NAMES.has(baseName(dir))) out.add(dir);
    }
  }
  return out;
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
  workspace(ws, ctx) {
    if (!ws.checkPermissions) return;
    for (const entry of ws.onDisk) {
      // Only credential names matter (credentialFile asks the same first); the content is read for those only.
      if ((entry.mode & 0o077) === 0 || credentialKind(entry.path) === undefined) continue;
      const scanned = ws.file(entry.path);
      const kind = scanned ? credentialFile(scanned)?.kind : credentialKind(entry.path);
      if (!kind) continue;
      ctx.report({
        path: entry.path,
        region: scanned ? lineRegion(scanned, 1) : undefined,
        message: `${quote(entry.path)} (${kind}) has mode ${octal(entry.mode & 0o777)}, so ${exposure(entry.mode, "file")}; run \`chmod 600 ${quote(entry.path)}\``,
        logicalLocation: quote(entry.path),
        snippet: `${entry.path} mode`,
      });
    }
    const code = sourceDirectories(ws.onDisk.map((e) => e.path));
    for (const dir of ws.dirs) {
      if ((dir.mode & 0o077) === 0 || !isCredentialDirName(dir.path) || code.has(dir.path)) continue;
      ctx.report({
        path: dir.path,
        message: `credential directory ${quote(dir.path)}/ has mode ${octal(dir.mode & 0o777)}, so ${exposure(dir.mode, "dir")}; run \`chmod 700 ${quote(dir.path)}\``,
        logicalLocation: `${quote(dir.path)}/`,
        snippet: `${dir.path}/ mode`,
      });
    }
  },
});
