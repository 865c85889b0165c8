import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import type { VolumeRef } from "../../../src/selectors/k8s.js";
import { containersOf, mountsOf, podSpecOf } from "../../../src/selectors/k8s.js";
import { asMap, asSeq } from "../../../src/parsers/yaml.js";

/** A `secret` volume, or a `projected` volume with a secret source. */
function holdsSecret(v: VolumeRef): boolean {
  if (v.type === "secret") return true;
  if (v.type !== "projected") return false;
  return (asSeq(v.source?.get("sources"))?.items ?? []).some((s) => asMap(s)?.entry("secret") !== undefined);
}

export default defineRule({
  meta: {
    id: "k8s/secret-mount-writable",
    level: "note",
    summary:
      "A container mounts a secret volume without `readOnly: true`. Kubernetes mounts secret volumes read-only anyway (since 1.10): this is about stating the intent in the manifest.",
    remediation: "Add `readOnly: true` to the volumeMount of every secret volume, so the manifest says what the kubelet does.",
    tags: ["security", "CWE-732"],
  },
  k8s(obj, ctx) {
    const pod = podSpecOf(obj);
    if (!pod) return;
    for (const c of containersOf(pod)) {
      for (const m of mountsOf(c)) {
        if (m.readOnly || !m.volume || !holdsSecret(m.volume)) continue;
        if (c.partial && !m.readOnlyEntry) continue; // a patch that does not write readOnly: the mount it modifies may set it
        const where = m.mountPath ? ` at ${quote(m.mountPath)}` : "";
        const kind = m.volume.type === "secret" ? "secret volume" : "projected volume (with a secret source)";
        const explicit = m.readOnlyEntry && !(m.readOnlyEntry.value.type === "scalar" && m.readOnlyEntry.value.value === null);
        ctx.report({
          node: explicit ? m.readOnlyEntry!.value : (m.nameEntry ?? m.node),
          message: `${c.label} mounts ${kind} "${quote(m.name)}"${where} ${explicit ? "with readOnly not true" : "without readOnly: true"}; the kubelet mounts it read-only anyway (Kubernetes 1.10 and later), so nothing can write to it, but set \`readOnly: true\` so that the manifest says so`,
          logicalLocation: `${c.logical} volumeMounts[${quote(m.name)}]`,
        });
      }
    }
  },
});
