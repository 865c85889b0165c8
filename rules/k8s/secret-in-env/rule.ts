import { defineRule } from "../../../src/rule.js";
import { asScalar } from "../../../src/parsers/yaml.js";
import { envOf, forEachContainer } from "../../../src/selectors/k8s.js";
import { isLiteralSecretValue, isSecretName, maskSecret, quote, urlWithPassword } from "../../../src/secrets/index.js";

export default defineRule({
  meta: {
    id: "k8s/secret-in-env",
    level: "error",
    summary: "A container `env` entry with a secret-looking name (or a URL with a password) has a literal `value` in the manifest.",
    remediation: "Put the value in a Secret (created outside the repository) and reference it with `valueFrom.secretKeyRef`.",
    tags: ["security", "CWE-798"],
  },
  k8s(obj, ctx) {
    forEachContainer(obj, (c) => {
      for (const e of envOf(c)) {
        const scalar = asScalar(e.valueEntry?.value);
        if (!scalar || typeof scalar.value !== "string") continue;
        const value = scalar.value;
        const allow = (v: string) => ctx.isAllowedSecret(v);
        const named = e.name !== "" && isSecretName(e.name) && isLiteralSecretValue(value, allow, e.name);
        const url = !named ? urlWithPassword(value) : undefined;
        if (!named && !(url && !allow(value.slice(url.start, url.end)))) continue;
        const what = named
          ? `a literal secret (${maskSecret(value)})`
          : `a URL with a literal password (${maskSecret(value.slice(url!.start, url!.end))})`;
        ctx.report({
          node: scalar,
          message: `env "${quote(e.name)}" of ${c.label} holds ${what} in the manifest; store it in a Secret and reference it with \`valueFrom.secretKeyRef\``,
          logicalLocation: `${c.logical} env[${quote(e.name)}]`,
          snippet: `${c.logical} env[${e.name}]`,
        });
      }
    });
  },
});
