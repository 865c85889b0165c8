import { defineRule } from "../../../src/rule.js";
import type { PEntry } from "../../../src/types.js";
import { asMap, asScalar } from "../../../src/parsers/yaml.js";
import { objectLogical } from "../../../src/selectors/k8s.js";
import { isPlaceholder, isReference, maskSecret, quote } from "../../../src/secrets/index.js";

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
  return t === "" || isPlaceholder(t) || isReference(t) || hasTemplate(t);
}

/** `{{ … }}` anywhere, found with indexOf: `/\{\{[\s\S]*\}\}/` rescans from every `{{` (quadratic on `{{{{…`). */
function hasTemplate(t: string): boolean {
  const open = t.indexOf("{{");
  return open >= 0 && t.indexOf("}}", open + 2) >= 0;
}

/**
 * A `data` value as a message shows it. Masking the base64 text would show its first four
 * characters, three characters of the secret, which for a short value is most of it: the
 * decoded value is masked instead (maskSecret shows at most half of a short one), and data
 * that is not text shows no characters at all.
 */
function maskedData(written: string, plain: string | undefined): string {
  if (plain === undefined) return `…(${written.replace(/\s+/g, "").length} base64 chars)`;
  return `${maskSecret(plain)} once decoded`;
}

/** Public certificates (tls.crt, ca.crt) are not secrets: only PEM CERTIFICATE blocks, no key. */
function isCertificateOnly(v: string): boolean {
  return /-----BEGIN (?:TRUSTED )?CERTIFICATE-----/.test(v) && !/PRIVATE KEY/.test(v);
}

export default defineRule({
  meta: {
    id: "k8s/committed-secret",
    level: "error",
    summary: "A Kubernetes `Secret` with non-empty `data`/`stringData` values is committed to the repository.",
    remediation:
      "Remove the values from the repository and rotate them; commit a SealedSecret (Sealed Secrets) or an ExternalSecret (External Secrets Operator, Vault) instead, or create the Secret at deploy time.",
    tags: ["security", "CWE-312", "CWE-798"],
  },
  k8s(obj, ctx) {
    if (obj.kind !== "Secret" || obj.apiVersion !== "v1") return;
    for (const field of ["data", "stringData"] as const) {
      for (const entry of asMap(obj.node.get(field))?.entries ?? []) {
        const scalar = asScalar(entry.value);
        if (!scalar || scalar.value === null) continue;
        const written = String(scalar.value);
        if (isStandIn(written) || ctx.isAllowedSecret(written)) continue;
        const plain = field === "data" ? decodeBase64(written) : written;
        if (plain !== undefined && (isStandIn(plain) || ctx.isAllowedSecret(plain) || isCertificateOnly(plain))) continue;
        report(entry, field, field === "data" ? maskedData(written, plain) : maskSecret(written));
      }
    }

    function report(entry: PEntry, field: string, shown: string) {
      ctx.report({
        node: entry.range.startLine === entry.range.endLine ? entry : { range: entry.keyRange },
        message: `Secret ${quote(obj.name)} commits a value for "${quote(entry.key)}" in ${field} (${shown}): anyone with the repository can read it${field === "data" ? " (base64 is an encoding, not encryption)" : ""}; remove it, rotate it, and commit a SealedSecret or an ExternalSecret (External Secrets Operator, Vault) instead`,
        logicalLocation: `${objectLogical(obj)} ${field}[${quote(entry.key)}]`,
        snippet: `${objectLogical(obj)} ${field}[${entry.key}]`,
      });
    }
  },
});
