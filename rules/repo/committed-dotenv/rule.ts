import { defineRule } from "../../../src/rule.js";
import type { RuleContext } from "../../../src/rule.js";
import type { Region } from "../../../src/types.js";
import { quote } from "../../../src/secrets/index.js";
import { lineRegion } from "../../../src/source.js";
import { baseName, isRealDotenv } from "../../../src/selectors/repo.js";

export default defineRule({
  meta: {
    id: "repo/committed-dotenv",
    level: "error",
    summary: "A `.env` or `.env.*` file is committed to git (examples such as `.env.example` excepted).",
    remediation:
      "Remove it from the repository (`git rm --cached .env`), add it to .gitignore, rotate every secret it held, and commit a `.env.example` with empty values instead.",
    tags: ["security", "CWE-538", "CWE-798"],
  },
  file(file, ctx) {
    if (!isRealDotenv(file.path) || !ctx.workspace.isTracked(file.path)) return;
    report(file.path, lineRegion(file, 1), ctx);
  },
  // A committed `.env` that was not read (too large, binary) is committed all the same.
  workspace(ws, ctx) {
    for (const f of ws.unread) if (f.tracked && isRealDotenv(f.path)) report(f.path, undefined, ctx);
  },
});

function report(path: string, region: Region | undefined, ctx: RuleContext): void {
  const name = quote(baseName(path));
  const where = ctx.workspace.inGitRepo ? "is committed to git" : "is not ignored by .gitignore, so it will be committed";
  ctx.report({
    path,
    region,
    message: `${name} ${where}: it holds the deployment's environment, credentials included; run \`git rm --cached ${quote(path)}\`, add it to .gitignore, rotate the secrets it held and commit a ${name === ".env" ? ".env.example" : `${name}.example`} with empty values instead`,
    logicalLocation: quote(path),
    snippet: path,
  });
}
