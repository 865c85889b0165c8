import type { K8sObject, Region } from "../types.js";
import { asMap, path } from "../parsers/yaml.js";
import type { SuppressionRecord } from "./suppressions.js";

export interface AnnotationSuppression {
  ruleId: string;
  /** The annotation's key, as written. */
  key: string;
  reason: string;
  region: Region;
  used: boolean;
}

const PREFIX = "ignore-check.bulkhead.dev/";

/**
 * `ignore-check.bulkhead.dev/<rule-name>: "<reason>"` on the object or on its pod template
 * (rule-name is the id without `k8s/`; for a custom policy, whose id has another namespace, the id
 * with a dot for its slash, as an annotation's name has no slash: `acme.approved-registry`).
 */
export function annotationSuppressions(obj: K8sObject): AnnotationSuppression[] {
  const spec = obj.node.get("spec");
  const sources = [
    path(obj.node, "metadata", "annotations"),
    path(spec, "template", "metadata", "annotations"),
    path(spec, "jobTemplate", "spec", "template", "metadata", "annotations"),
  ];
  const out: AnnotationSuppression[] = [];
  for (const src of sources) {
    for (const e of asMap(src)?.entries ?? []) {
      if (!e.key.startsWith(PREFIX)) continue;
      const reason = e.value.type === "scalar" && e.value.value !== null ? String(e.value.value) : "";
      const name = e.key.slice(PREFIX.length);
      const ruleId = name.includes(".") ? name.replace(".", "/") : `k8s/${name}`;
      out.push({ ruleId, key: e.key, reason, region: e.keyRange, used: false });
    }
  }
  return out;
}

export function annotationRecord(file: string, a: AnnotationSuppression, honoured: boolean): SuppressionRecord {
  return { file, line: a.region.startLine, column: a.region.startColumn, kind: "annotation", scope: "object", rules: [a.ruleId], reason: a.reason, honoured };
}
