import { defineRule } from "../../../src/rule.js";
import { maskSecret, quote } from "../../../src/secrets/index.js";
import { E164, assignments, inLineComment, isPhoneLikeName, isSourceCode } from "../../../src/selectors/repo.js";

export default defineRule({
  meta: {
    id: "repo/hardcoded-phone-number",
    level: "warning",
    summary: "Source code assigns an E.164 phone number literal to an account, phone, sender or recipient name.",
    remediation: 'Read the number from the environment (`os.getenv("SIGNAL_PHONE_NUMBER")`) and keep its value in an untracked `.env` or a secret store.',
    tags: ["security", "CWE-798", "CWE-359"],
  },
  text(file, ctx) {
    if (!isSourceCode(file.path) || !file.text.includes("+")) return;
    for (const a of assignments(file.text, /\+[1-9]/)) {
      if (!a.quoted || !E164.test(a.value) || !isPhoneLikeName(a.name)) continue;
      if (inLineComment(file.text, a.nameStart)) continue;
      ctx.report({
        region: file.regionOf(a.valueStart, a.valueEnd),
        message: `"${quote(a.name)}" is set to a hardcoded phone number (${maskSecret(a.value)}), which identifies the account and lands in git history; read it from an environment variable such as SIGNAL_PHONE_NUMBER instead`,
        logicalLocation: quote(a.name),
        snippet: `${a.name} ${maskSecret(a.value)}`,
      });
    }
  },
});
