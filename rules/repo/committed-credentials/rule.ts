import { defineRule } from "../../../src/rule.js";
import type { RuleContext } from "../../../src/rule.js";
import type { Region } from "../../../src/types.js";
import { quote } from "../../../src/secrets/index.js";
import { lineRegion } from "../../../src/source.js";
import { baseName, committedState, credentialFile, credentialFileByName, isRealDotenv, removalAdvice } from "../../../src/selectors/repo.js";

export default defineRule({
  meta: {
    id: "repo/committed-credentials",
    level: "error",
    summary:
      "A credential file is committed: messaging identity/account/session files, private keys, keystores, kubeconfig, `.npmrc`/`.pypirc` with tokens, GCP service-account keys, Terraform state.",
    remediation:
      "Add the file to .gitignore; if it is already committed, remove it from the index (`git rm --cached <file>`) and rotate or re-issue the credential: it stays in the git history.",
    tags: ["security", "CWE-312", "CWE-538"],
  },
  file(file, ctx) {
    // `.env` files are repo/committed-dotenv's.
    if (isRealDotenv(file.path) || !ctx.workspace.isTracked(file.path)) return;
    const cred = credentialFile(file);
    if (!cred) return;
    // The evidence when the content decides (the private-key block, the token), else the file.
    report(file.path, cred.kind, cred.evidence ? file.regionOf(...cred.evidence) : lineRegion(file, 1), ctx);
  },
  // A file that was not read (a binary keystore, a large state file) counts when its name alone decides.
  workspace(ws, ctx) {
    for (const f of ws.unread) {
      const kind = f.tracked && !isRealDotenv(f.path) ? credentialFileByName(f.path) : undefined;
      if (kind) report(f.path, kind, undefined, ctx);
    }
  },
});

function report(path: string, kind: string, region: Region | undefined, ctx: RuleContext): void {
  ctx.report({
    path,
    region,
    message: `${quote(baseName(path))} (${kind}) ${committedState(ctx.workspace)}; anyone with the repository holds the credential: ${removalAdvice(ctx.workspace, quote(path), "the credential")}`,
    logicalLocation: quote(path),
    snippet: `${path} ${kind}`,
  });
}
