import { defineRule } from "../../../src/rule.js";
import type { PEntry, Region } from "../../../src/types.js";
import { asMap, asScalar } from "../../../src/parsers/yaml.js";
import { objectLogical } from "../../../src/selectors/k8s.js";
import {
  findPrivateKeys,
  isHighEntropy,
  isLiteralSecretValue,
  isPlaceholder,
  isReference,
  isSecretName,
  isSettingName,
  keyList,
  maskSecret,
  quote,
  secretsInText,
  urlWithPassword,
  whyNotSecret,
} from "../../../src/secrets/index.js";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** What a `data` value encodes: its text, "binary" (a keystore, a DER key), or undefined when it is not base64 (then it is judged as written). */
function decodeBase64(value: string): string | "binary" | undefined {
  const v = value.replace(/\s+/g, "");
  if (v.length === 0 || v.length % 4 !== 0 || !BASE64.test(v)) return undefined;
  const text = Buffer.from(v, "base64").toString("utf8");
  if (text.includes("\uFFFD") || /[\x00-\x08\x0e-\x1f]/.test(text)) return "binary";
  return text;
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
 * A value as a message shows it. Masking a `data` value's base64 text would show its first four
 * characters, three characters of the secret, which for a short value is most of it: the decoded
 * value is masked instead (maskSecret shows at most half of a short one), and binary data shows
 * no characters at all.
 */
function masked(field: string, written: string, plain: string): string {
  if (field !== "data" || plain === written) return maskSecret(written);
  if (plain === "binary") return `…(${written.replace(/\s+/g, "").length} base64 chars)`;
  return `${maskSecret(plain)} once decoded`;
}

/** Keys that name key material: `tls.key`, `ssh-privatekey`, `key`, `server.pem`, `keystore.p12`. */
const KEY_MATERIAL = /^key$|(?:^|[._-])(?:ssh-privatekey|privatekey|private[._-]key)$|\.(?:key|pem|p12|pfx|jks|keystore)$/i;

/** A file's content rather than one value: several lines, or a JSON document. */
function isDocument(text: string): boolean {
  return text.trim().includes("\n") || /^\s*[[{][\s\S]*[\]}]\s*$/.test(text);
}

/**
 * Whether a Secret key's value is a credential (SPEC §5 k8s/committed-secret): a secret-named key
 * (`password`, `token`) with a value the shared classifier calls a secret; key material with a
 * private-key body (or binary, or random text: a Ceph key); a file (`config.ini`, `account.json`,
 * a kubeconfig) holding a secret; or a random-looking value under any other key that is not a
 * setting (`url`, `type`, `username`, `project`, `clientID` are configuration).
 */
function isCredential(key: string, plain: string, allow: (v: string) => boolean): boolean {
  if (allow(plain)) return false;
  if (isDocument(plain)) return secretsInText(plain, allow, { unnamed: true }).length > 0;
  if (KEY_MATERIAL.test(key)) {
    return findPrivateKeys(plain).length > 0 || (!plain.includes("-----BEGIN") && isHighEntropy(plain));
  }
  if (isSecretName(key)) return isLiteralSecretValue(plain, allow, key);
  if (urlWithPassword(plain)) return true;
  return !isSettingName(key) && isHighEntropy(plain) && whyNotSecret(plain, key) === undefined;
}

/** Every line of a range (a multi-line value's block). */
function lines(r: Region): number[] {
  return Array.from({ length: r.endLine - r.startLine + 1 }, (_, i) => r.startLine + i);
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
    const allow = (v: string) => ctx.isAllowedSecret(v);
    /** The values that are credentials, in file order: the first one carries the finding. */
    const held: { entry: PEntry; field: string; written: string; plain: string }[] = [];
    for (const field of ["data", "stringData"] as const) {
      for (const entry of asMap(obj.node.get(field))?.entries ?? []) {
        const scalar = asScalar(entry.value);
        if (!scalar || scalar.value === null) continue;
        const written = String(scalar.value);
        if (isStandIn(written) || ctx.isAllowedSecret(written)) continue;
        const plain = field === "data" ? (decodeBase64(written) ?? written) : written;
        if (plain !== "binary" && (isStandIn(plain) || !isCredential(entry.key, plain, allow))) continue;
        held.push({ entry, field, written, plain });
      }
    }
    const first = held[0];
    if (!first) return;
    const { entry, field, written, plain } = first;
    const keys = [...new Set(held.map((h) => `"${h.entry.key}"`))];
    const shown = keyList(keys);
    const base64 = held.some((h) => h.field === "data") ? " (base64 is an encoding, not encryption)" : "";
    // One finding per Secret: the fix (take the values out, rotate them) is one change to one object.
    ctx.report({
      node: entry.range.startLine === entry.range.endLine ? entry : { range: entry.keyRange },
      message: `Secret ${quote(obj.name)} commits ${keys.length === 1 ? "a value" : `${keys.length} values`} for ${shown} (first in ${field}: ${masked(field, written, plain)}): anyone with the repository can read ${keys.length === 1 ? "it" : "them"}${base64}; remove ${keys.length === 1 ? "it" : "them"}, rotate ${keys.length === 1 ? "it" : "them"}, and commit a SealedSecret or an ExternalSecret (External Secrets Operator, Vault) instead`,
      logicalLocation: objectLogical(obj),
      snippet: `${objectLogical(obj)} ${keys.join(" ")}`,
      coversLines: held.flatMap((h) => lines(h.entry.range)),
    });
  },
});
