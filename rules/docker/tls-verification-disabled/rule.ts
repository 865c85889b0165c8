import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { keyValuePairs, keywordOf, runCommands } from "../../../src/selectors/docker.js";
import { verifiesDownloads } from "../../../src/selectors/downloads.js";
import { powershellScript } from "../../../src/selectors/powershell.js";
import { tlsOffInCommand } from "../../../src/selectors/tls-commands.js";
import { tlsOffByEnv } from "../../../src/selectors/tls-env.js";

/** PowerShell's ways to accept any certificate. */
const POWERSHELL_TLS_OFF = /ServerCertificateValidationCallback\s*=\s*\{\s*\$true\s*\}|-SkipCertificateCheck\b/i;

export default defineRule({
  meta: {
    id: "docker/tls-verification-disabled",
    level: "warning",
    summary:
      "A Dockerfile turns TLS certificate verification off: `curl -k`, `wget --no-check-certificate`, `pip --trusted-host`, `npm config set strict-ssl false`, `git -c http.sslVerify=false`, or ENV `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY`.",
    remediation:
      "Keep verification on: install the CA certificate the server needs (`COPY corp-ca.crt /usr/local/share/ca-certificates/` and `update-ca-certificates`, `NODE_EXTRA_CA_CERTS`, `pip --cert`, `npm config set cafile`), or pin what you download with a checksum.",
    tags: ["security", "supply-chain", "CWE-295"],
  },
  dockerfile(doc, ctx) {
    const finalStage = doc.finalStage?.index;
    for (const ins of doc.instructions) {
      const kw = keywordOf(ins);
      if (ins.keyword === "ENV" || ins.keyword === "ARG") {
        for (const pair of keyValuePairs(doc, ins)) {
          const what = tlsOffByEnv(pair.name, pair.value);
          if (!what) continue;
          // ARG values reach only the build's RUN steps; ENV in the final stage stays in the image.
          const runtime = ins.keyword === "ENV" && ins.stage === finalStage && !ins.onbuild;
          ctx.report({
            region: pair.region,
            message: `${kw} sets ${quote(`${pair.name}=${pair.value ?? ""}`)}: ${what}, so a man in the middle can read and change the traffic${runtime ? " of every build step after it and of the running container" : " of the build steps after it"}; remove it and trust the CA the server needs instead`,
            // In the final stage the image runs with it: every connection of the service, not just the build.
            ...(runtime ? { level: "error" as const } : {}),
            logicalLocation: `stage ${ins.stage}`,
          });
        }
        continue;
      }
      if (ins.keyword !== "RUN") continue;
      // A download checked against a checksum or signature is safe whatever its transport.
      const verified = verifiesDownloads(doc, ins);
      const seen = new Set<string>();
      for (const found of runCommands(doc, ins)) {
        for (const off of tlsOffInCommand(found)) {
          if (off.download && verified) continue;
          const key = `${off.from.start}:${off.to.end}`;
          if (seen.has(key)) continue;
          seen.add(key);
          ctx.report({
            region: doc.file.regionOf(off.from.start, Math.max(off.from.end, off.to.end)),
            message: `${kw} turns TLS certificate verification off (\`${quote(off.written)}\`): ${off.what}, so a man in the middle can change what the build installs; ${off.download ? "drop it and trust the server's CA, or check the download against a pinned checksum" : "drop it and trust the server's CA instead"}`,
            logicalLocation: `stage ${ins.stage}`,
          });
        }
      }
      const ps = powershellScript(doc, ins);
      const m = ps && POWERSHELL_TLS_OFF.exec(ps.text);
      if (ps && m) {
        ctx.report({
          region: doc.file.regionOf(ps.at[m.index] ?? ps.end, (ps.at[m.index + m[0].length - 1] ?? ps.end - 1) + 1),
          message: `${kw} turns TLS certificate verification off in PowerShell (\`${quote(m[0].replace(/\s+/g, " "))}\`): any certificate is accepted, so a man in the middle can change what the build installs; remove it and trust the server's CA instead`,
          logicalLocation: `stage ${ins.stage}`,
        });
      }
    }
  },
});
