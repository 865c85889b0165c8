import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { envVars, howInterpolated, serviceReporter, withDefaults } from "../../../src/selectors/compose.js";
import { tlsOffByEnv } from "../../../src/selectors/tls-env.js";

export default defineRule({
  meta: {
    id: "compose/tls-verification-disabled",
    level: "error",
    summary:
      "A compose service's environment turns TLS certificate verification off: `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY`, `…_TLS_SKIP_VERIFY=true` and the like.",
    remediation:
      "Remove the variable and give the service the CA it needs instead (`NODE_EXTRA_CA_CERTS`, `SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE`, a CA file mounted read-only).",
    tags: ["security", "CWE-295"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      for (const v of envVars(service.node.get("environment"))) {
        if (v.value === undefined) continue;
        // Compose interpolates the value with the project's .env first.
        const value = v.value.includes("$") ? withDefaults(v.value, service.variables) : v.value;
        const what = tlsOffByEnv(v.name, value);
        if (value === undefined || !what) continue;
        const via = value !== v.value ? ` (${howInterpolated(v.value, service.variables)})` : "";
        out.report(
          service,
          v.node,
          (label) =>
            `${label} sets ${quote(`${v.name}=${value}`)}${via}: ${what}, so anyone on the path can read and change its traffic, credentials included; remove it and give the service the CA it needs (\`NODE_EXTRA_CA_CERTS\`, \`SSL_CERT_FILE\`, a mounted CA file)`,
        );
      }
    }
    out.flush();
  },
});
