import type { K8sObject, PNode, SourceFile } from "../types.js";
import { asMap, asSeq, scalarString, stringMap } from "./yaml.js";

/**
 * The Kubernetes objects in one YAML document: the document itself when it has
 * apiVersion and kind, or the items of a `List` kind.
 */
export function k8sObjectsOf(file: SourceFile, root: PNode | undefined, docIndex: number, defaultNamespace: string): K8sObject[] {
  const map = asMap(root);
  if (!map) return [];
  const apiVersion = scalarString(map.get("apiVersion"));
  const kind = scalarString(map.get("kind"));
  if (!apiVersion || !kind) return [];
  if (kind === "List" || (kind.endsWith("List") && asSeq(map.get("items")))) {
    return (asSeq(map.get("items"))?.items ?? []).flatMap((item) => k8sObjectsOf(file, item, docIndex, defaultNamespace));
  }
  const metadata = asMap(map.get("metadata"));
  const namespace = scalarString(metadata?.get("namespace"));
  return [
    {
      apiVersion,
      kind,
      name: scalarString(metadata?.get("name")) ?? "",
      namespace: namespace ?? defaultNamespace,
      namespaceExplicit: namespace !== undefined,
      node: map,
      kindNode: map.entry("kind"),
      annotations: stringMap(metadata?.get("annotations")),
      labels: stringMap(metadata?.get("labels")),
      file,
      docIndex,
    },
  ];
}
