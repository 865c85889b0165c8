import type { ComposeDoc, PNode, SourceFile } from "../types.js";
import { asMap } from "./yaml.js";

/** A compose document: its services with the location of each service's key. */
export function composeDocOf(file: SourceFile, root: PNode | undefined): ComposeDoc | undefined {
  const map = asMap(root);
  if (!map) return undefined;
  const services = asMap(map.get("services"));
  // One map per document, shared with its services: the workspace fills it from the project's `.env`.
  const variables = new Map<string, string>();
  return {
    file,
    root: map,
    services: (services?.entries ?? []).flatMap((e) => {
      const node = asMap(e.value);
      return node ? [{ name: e.key, keyRange: e.keyRange, node, variables }] : [];
    }),
    variables,
  };
}
