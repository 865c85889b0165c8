import { defineRule } from "../../../src/rule.js";
import type { PEntry } from "../../../src/types.js";
import { asMap, asScalar } from "../../../src/parsers/yaml.js";
import { objectLogical } from "../../../src/selectors/k8s.js";
import { isPlaceholder, isReference, maskSecret } from "../../../src/secrets/index.js";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The text a `data` value encodes, or undefined when it is not base64 (then it is judged as written). */
function decodeBase64(value: string): string | undefined {
  const v = value.replace(/\s+/g, "");
  if (v.length === 0 || v.length % 4 !== 0 || !BASE64.test(v)) return undefined;
  const bytes = Buffer.from(v, "base64");
  const text = bytes.toString("utf8");
  return text.includes("\uFFFD") ? undefined : text; // binary: keep judging the written form
}

/** A stand-in rather than a value: empty, a placeholder (`<…>`, `{{ … }}`, `changeme`, `xxxx`), or a reference (`${VAR}`). */
function isStandIn(v: string): boolean {
  const t = v.trim();
  return t === "" || isPlaceholder(t) || isReference(t) || /\{\{[\s\S]*\}\}/.test(t);
}

/** Public certificates (tls.crt, ca.crt) are not secrets: only PEM CERTIFICATE blocks, no key. */
function isCertificateOnly(v: string): boolean {
  return /-----BEGIN (?:TRUSTED )?CERTIFICATE-----/.test(v) && !/PRIVATE KEY/.test(v);
}

export default defineRule({
  meta: {
    id: "k8s/committed-secret",
    level: "error",
    summary: "A Kubernetes `Secret` whose `data`/`stringData` holds real values is committed to the repository (one finding per Secret, naming its keys).",
    remediation:
      "Remove the values from the repository and rotate them; commit a SealedSecret (Sealed Secrets) or an ExternalSecret (External Secrets Operator, Vault) instead, or create the Secret at deploy time.",
    tags: ["security", "CWE-312", "CWE-798"],
  },
  k8s(obj, ctx) {
    if (obj.kind !== "Secret" || obj.apiVersion !== "v1") return;
    /** The values that are credentials, in file order: the first one carries the finding. */
    const held: { entry: PEntry; field: string; written: string }[] = [];
    for (const field of ["data", "stringData"] as const) {
      for (const entry of asMap(obj.node.get(field))?.entries ?? []) {
        const scalar = asScalar(entry.value);
        if (!scalar || scalar.value === null) continue;
        const written = String(scalar.value);
        if (isStandIn(written) || ctx.isAllowedSecret(written)) continue;
        const plain = field === "data" ? decodeBase64(written) : written;
        if (plain !== undefined && (isStandIn(plain) || ctx.isAllowedSecret(plain) || isCertificateOnly(plain))) continue;
        held.push({ entry, field, written });
      }
    }
    const first = held[0];
    if (!first) return;
    const { entry, field, written } = first;
    const keys = [...new Set(held.map((h) => `"${h.entry.key}"`))];
    const shown = keys.length > 5 ? `${keys.slice(0, 5).join(", ")} and ${keys.length - 5} more` : keys.join(", ");
    const base64 = held.some((h) => h.field === "data") ? " (base64 is an encoding, not encryption)" : "";
    // One finding per Secret: the fix (take the values out, rotate them) is one change to one object.
    ctx.report({
      node: entry.range.startLine === entry.range.endLine ? entry : { range: entry.keyRange },
      message: `Secret ${obj.name} commits ${keys.length === 1 ? "a value" : `${keys.length} values`} for ${shown} (first in ${field}: ${maskSecret(written)}): anyone with the repository can read ${keys.length === 1 ? "it" : "them"}${base64}; remove ${keys.length === 1 ? "it" : "them"}, rotate ${keys.length === 1 ? "it" : "them"}, and commit a SealedSecret or an ExternalSecret (External Secrets Operator, Vault) instead`,
      logicalLocation: objectLogical(obj),
      snippet: `${objectLogical(obj)} ${keys.join(" ")}`,
    });
  },
});
