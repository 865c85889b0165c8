import { defineRule } from "../../../src/rule.js";
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
    const name = baseName(file.path);
    const where = ctx.workspace.inGitRepo ? "is committed to git" : "is not ignored by .gitignore, so it will be committed";
    ctx.report({
      region: lineRegion(file, 1),
      message: `${name} ${where}: it holds the deployment's environment, credentials included; run \`git rm --cached ${file.path}\`, add it to .gitignore, rotate the secrets it held and commit a ${name === ".env" ? ".env.example" : `${name}.example`} with empty values instead`,
      logicalLocation: file.path,
      snippet: file.path,
    });
  },
});
