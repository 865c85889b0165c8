import { defineRule } from "../../../src/rule.js";
import { isDotenvExample, isDotenvName, isLiteralSecretValue, isSecretName, quote, urlWithPassword } from "../../../src/secrets/index.js";
import { envFileEntries, envFiles, serviceReporter } from "../../../src/selectors/compose.js";

const baseName = (p: string) => p.slice(p.lastIndexOf("/") + 1);

export default defineRule({
  meta: {
    id: "compose/committed-env-file",
    level: "error",
    summary:
      "A compose service's `env_file` names a file that is committed to git: a `.env` file, or any env file that holds secret-looking values.",
    remediation:
      "Remove the file from the repository (`git rm --cached <file>`), add it to `.gitignore`, rotate the values it held, and commit an example file with placeholders instead.",
    tags: ["security", "CWE-540"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    const allow = (s: string) => ctx.isAllowedSecret(s);
    for (const service of doc.services) {
      for (const ref of envFiles(doc, service)) {
        if (!ref.resolved || !ctx.workspace.isTracked(ref.resolved)) continue;
        const base = baseName(ref.resolved);
        const dotenv = isDotenvName(base) && !isDotenvExample(base);
        const file = ctx.workspace.file(ref.resolved);
        // Secret-looking entries, when bulkhead read the file.
        const secrets = file
          ? envFileEntries(file.text)
              .filter((e) => (isSecretName(e.name) && isLiteralSecretValue(e.value, allow)) || !!urlWithPassword(e.value))
              .map((e) => e.name)
          : undefined;
        // A committed env file of plain settings (LOG_LEVEL, ports, feature flags) is configuration;
        // a `.env` file is where secrets go, and is reported whatever it holds today.
        if (!dotenv && secrets !== undefined && secrets.length === 0) continue;
        const names = secrets && secrets.length > 0 ? [...new Set(secrets)] : [];
        const holds =
          names.length > 0
            ? `; it holds ${names.length === 1 ? "a secret" : "secrets"} (${names.slice(0, 5).map((n) => quote(n)).join(", ")}${names.length > 5 ? ", …" : ""})`
            : "";
        out.report(
          service,
          ref.node,
          (label) =>
            `${label} loads env_file "${quote(ref.path)}" (${quote(ref.resolved ?? "")}), which is committed to git, so every value in it is in the repository and its history${holds}; run \`git rm --cached ${quote(ref.resolved ?? "")}\`, add it to .gitignore, rotate the values, and commit a placeholder example instead`,
        );
      }
    }
    out.flush();
  },
});
