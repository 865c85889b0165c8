import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";

export default defineRule({
  meta: {
    id: "repo/embedded-git-dir",
    // A planted git directory is an attack on whoever runs git below it: test data included.
    testData: "high-confidence",
    level: "error",
    summary:
      "A git directory is inside the scanned tree: a directory holding `HEAD`, `objects/` and `refs/` (a bare repository, committed), or another repository's `.git` that is not a submodule (warning).",
    remediation:
      "Remove the committed repository directory (`git rm -r --cached <dir>`) and build test repositories when the tests run; make a nested repository a submodule, ignore it, or lint it on its own.",
    tags: ["security", "CWE-829"],
  },
  workspace(ws, ctx) {
    for (const g of ws.embeddedGitDirs) {
      if (g.ignored) continue;
      if (g.kind === "bare") {
        const shown = quote(g.path);
        const dir = g.path === "." ? "the scanned directory" : shown;
        const where = !ws.inGitRepo ? "in the scanned tree" : g.tracked ? "committed to the repository" : "in the work tree and not ignored";
        ctx.report({
          confidence: "high",
          path: g.at,
          message: `${dir} is a git repository directory (HEAD, objects/, refs/) ${where}: git commands run in or below ${g.path === "." ? "it" : shown} take it for the repository and run the commands its config names (core.fsmonitor, hooks), and bulkhead never uses it; remove it${ws.inGitRepo && g.tracked ? ` (\`git rm -r --cached ${shown}\`)` : ""} and create test repositories when the tests run`,
          logicalLocation: shown,
          snippet: `${g.path} bare`,
        });
      } else if (!g.submodule) {
        ctx.report({
          confidence: "high",
          path: g.at,
          level: "warning",
          message: `${quote(g.at)} is the git directory of another repository inside the scanned tree (not a submodule): bulkhead never runs git in it, so its files are judged by this tree's git state; make it a submodule, ignore it in .gitignore, or lint it on its own (\`bulkhead ${quote(g.path)}\`)`,
          logicalLocation: quote(g.path),
          snippet: `${g.path} .git`,
        });
      }
    }
  },
});
