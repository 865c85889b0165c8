import { defineRule } from "../../../src/rule.js";
import { lineRegion } from "../../../src/source.js";
import { baseName, credentialFile, isRealDotenv } from "../../../src/selectors/repo.js";

export default defineRule({
  meta: {
    id: "repo/committed-credentials",
    level: "error",
    summary:
      "A credential file is committed: messaging identity/account/session files, private keys, keystores, kubeconfig, `.npmrc`/`.pypirc` with tokens, GCP service-account keys, Terraform state.",
    remediation:
      "Remove the file from the repository (`git rm --cached <file>`), add it to .gitignore, and rotate or re-issue the credential: it stays in the git history.",
    tags: ["security", "CWE-312", "CWE-538"],
  },
  file(file, ctx) {
    // `.env` files are repo/committed-dotenv's.
    if (isRealDotenv(file.path) || !ctx.workspace.isTracked(file.path)) return;
    const cred = credentialFile(file);
    if (!cred) return;
    const where = ctx.workspace.inGitRepo ? "is committed to git" : "is not ignored by .gitignore, so it will be committed";
    ctx.report({
      // The evidence when the content decides (the private-key block, the token), else the file.
      region: cred.evidence ? file.regionOf(...cred.evidence) : lineRegion(file, 1),
      message: `${baseName(file.path)} (${cred.kind}) ${where}; anyone with the repository holds the credential: remove it with \`git rm --cached ${file.path}\`, add it to .gitignore and rotate the credential`,
      logicalLocation: file.path,
      snippet: `${file.path} ${cred.kind}`,
    });
  },
});
