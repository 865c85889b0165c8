import { defineRule } from "../../../src/rule.js";
import type { RuleContext } from "../../../src/rule.js";
import { lineRegion } from "../../../src/source.js";
import { baseName, committedState, isRealDotenv, removalAdvice } from "../../../src/selectors/repo.js";
import { keyList, quote } from "../../../src/secrets/index.js";
import { describeSensitive, envFileContent } from "../../../src/selectors/env-file.js";

export default defineRule({
  meta: {
    id: "repo/committed-dotenv",
    level: "error",
    summary:
      "A `.env` or `.env.*` file holding credentials, account identifiers or secret-named keys is committed to git (examples such as `.env.example` excepted; placeholder values only: a warning).",
    remediation:
      "Add it to .gitignore and commit a `.env.example` with empty values instead; if it is already committed, remove it from the index (`git rm --cached .env`) and rotate every secret it held.",
    tags: ["security", "CWE-538", "CWE-798"],
  },
  file(file, ctx) {
    if (!isRealDotenv(file.path) || !ctx.workspace.isTracked(file.path)) return;
    // A .env of settings only (COMPOSE_PROJECT_NAME, ports, image tags, a time zone) is configuration.
    const content = envFileContent(file.text, (v) => ctx.isAllowedSecret(v));
    const { templates } = content;
    const sensitive = [...content.secrets, ...content.accounts];
    if (sensitive.length === 0 && templates.length === 0) return;
    const name = quote(baseName(file.path));
    const path = quote(file.path);
    const where = committedState(ctx.workspace);
    const example = name === ".env" ? ".env.example" : `${name}.example`;
    ctx.report({
      region: lineRegion(file, 1),
      level: sensitive.length > 0 ? undefined : "warning",
      message:
        sensitive.length > 0
          ? `${name} ${where} and holds ${describeSensitive(content)}: anyone with the repository can read them; ${removalAdvice(ctx.workspace, path, "the secrets it held")}, and commit a ${example} with empty values instead`
          : `${name} ${where} with secret-named keys (${keyList(templates)}) holding placeholders: a committed template invites the real values to be committed next; rename it ${example}, add ${name} to .gitignore and keep the real values out of git`,
      logicalLocation: path,
      // The keys it holds: a secret added to a baselined .env makes a new finding.
      snippet: `${file.path} ${[...sensitive, ...templates].sort().join(" ")}`,
    });
  },
  // A committed `.env` that was not read (too large, binary) cannot be judged by its content:
  // committed all the same, it is reported by its name.
  workspace(ws, ctx) {
    for (const f of ws.unread) if (f.tracked && isRealDotenv(f.path)) reportUnread(f.path, ctx);
  },
});

function reportUnread(path: string, ctx: RuleContext): void {
  const name = quote(baseName(path));
  ctx.report({
    path,
    message: `${name} ${committedState(ctx.workspace)} and could not be read to tell what it holds; a .env usually holds the deployment's environment, credentials included; ${removalAdvice(ctx.workspace, quote(path), "the secrets it held")}, and commit a ${name === ".env" ? ".env.example" : `${name}.example`} with empty values instead`,
    logicalLocation: quote(path),
    snippet: path,
  });
}
