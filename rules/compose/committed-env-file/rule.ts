import { defineRule } from "../../../src/rule.js";
import { isDotenvExample, isDotenvName, keyList, quote } from "../../../src/secrets/index.js";
import { describeSensitive, envFileContent } from "../../../src/selectors/env-file.js";
import { envFiles, serviceReporter } from "../../../src/selectors/compose.js";
import { removalAdvice } from "../../../src/selectors/repo.js";

const baseName = (p: string) => p.slice(p.lastIndexOf("/") + 1);

export default defineRule({
  meta: {
    id: "compose/committed-env-file",
    level: "error",
    summary:
      "A compose service's `env_file` names a file that is committed to git: a `.env` file, or any env file that holds secret-looking values.",
    remediation:
      "Add the file to `.gitignore` and commit an example file with placeholders instead; if it is already committed, remove it from the index (`git rm --cached <file>`) and rotate the values it held.",
    tags: ["security", "CWE-540"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    const where = ctx.workspace.inGitRepo
      ? "which is committed to git, so every value in it is in the repository and its history"
      : "which is not ignored by .gitignore, so it will be committed with every value in it";
    const allow = (s: string) => ctx.isAllowedSecret(s);
    for (const service of doc.services) {
      for (const ref of envFiles(doc, service)) {
        if (!ref.resolved || !ctx.workspace.isTracked(ref.resolved)) continue;
        const base = baseName(ref.resolved);
        const dotenv = isDotenvName(base) && !isDotenvExample(base);
        const file = ctx.workspace.file(ref.resolved);
        // A file bulkhead did not read (excluded from the scan) is reported: it cannot be cleared.
        const content = file ? envFileContent(file.text, allow) : undefined;
        const sensitive = content ? [...content.secrets, ...content.accounts] : [];
        // Settings (LOG_LEVEL, ports, feature flags) are configuration; a `.env` whose secret-named
        // keys hold placeholders is a template that invites the real values (a warning).
        const template = dotenv && content !== undefined && sensitive.length === 0 && content.templates.length > 0;
        if (content && sensitive.length === 0 && !template) continue;
        const holds = template
          ? `; its secret-named keys (${keyList(content!.templates)}) hold placeholders for now`
          : sensitive.length > 0
            ? `; it holds ${describeSensitive(content!)}`
            : "";
        const resolved = quote(ref.resolved);
        out.report(
          service,
          ref.node,
          (label) =>
            `${label} loads env_file "${quote(ref.path)}" (${resolved}), ${where}${holds}; ${removalAdvice(ctx.workspace, resolved, "the values")}, and commit a placeholder example instead`,
          template ? { level: "warning" } : {},
        );
      }
    }
    out.flush();
  },
});
