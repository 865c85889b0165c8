import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { asScalar } from "../../../src/parsers/yaml.js";
import { envOf, forEachContainer } from "../../../src/selectors/k8s.js";
import { tlsOffByEnv } from "../../../src/selectors/tls-env.js";

export default defineRule({
  meta: {
    id: "k8s/tls-verification-disabled",
    level: "error",
    summary:
      "A container's `env` turns TLS certificate verification off: `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY`, `…_TLS_SKIP_VERIFY=true` and the like.",
    remediation:
      "Remove the variable and mount the CA the container needs (a ConfigMap or Secret with the CA bundle, `NODE_EXTRA_CA_CERTS`, `SSL_CERT_FILE`).",
    tags: ["security", "CWE-295"],
  },
  k8s(obj, ctx) {
    forEachContainer(obj, (c) => {
      for (const e of envOf(c)) {
        const scalar = asScalar(e.valueEntry?.value);
        if (!scalar || scalar.value === null) continue;
        // A YAML 1.1 number or boolean (`value: 0`, `value: false`) as written.
        const value = typeof scalar.value === "string" ? scalar.value : scalar.source || String(scalar.value);
        const what = tlsOffByEnv(e.name, value);
        if (!what) continue;
        ctx.report({
          node: scalar,
          message: `env "${quote(e.name)}" of ${c.label} is ${quote(value)}: ${what}, so anyone on the path can read and change its traffic, credentials included; remove it and mount the CA the container needs (\`NODE_EXTRA_CA_CERTS\`, \`SSL_CERT_FILE\`)`,
          logicalLocation: `${c.logical} env[${e.name}]`,
        });
      }
    });
  },
});
