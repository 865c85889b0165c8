// A kustomization file (`kustomization.yaml`, `kustomization.yml`, `Kustomization`) read for what
// bulkhead needs: the resources and components it builds from, the patches it applies (files, and
// patches written inline, parsed as objects located in the kustomization file) and its image
// overrides. The cross-file part (which objects a patch modifies, which images an override
// renames) is the workspace's: src/workspace/kustomize.ts.
import type { ImageOverride, K8sObject, Kustomization, PatchTarget, PNode, PScalar, SourceFile } from "../types.js";
import { createSourceFile } from "../source.js";
import { k8sObjectsOf } from "./k8s.js";
import { asMap, asScalar, asSeq, parseYaml, scalarString } from "./yaml.js";

const KUSTOMIZATION_NAMES = new Set(["kustomization.yaml", "kustomization.yml", "Kustomization"]);

/** Whether a path names a kustomization file (the names `kustomize build` looks for in a directory). */
export function isKustomizationPath(relPath: string): boolean {
  return KUSTOMIZATION_NAMES.has(relPath.slice(relPath.lastIndexOf("/") + 1));
}

/** A resource, base or component that is fetched (a git URL, `github.com/…`, an HTTP file), not read from the repository. */
export function isRemoteResource(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || /^git@/.test(p) || /^(?:github|gitlab|bitbucket)\.(?:com|org)\//.test(p) || /[?&]ref=/.test(p);
}

/** The kustomization a parsed kustomization file holds; undefined when its root is not a map. */
export function kustomizationOf(file: SourceFile, root: PNode | undefined, defaultNamespace: string): Kustomization | undefined {
  const map = asMap(root);
  if (!map) return undefined;
  const local = (key: string) => strings(map.get(key)).filter((p) => !isRemoteResource(p));
  const k: Kustomization = {
    file,
    kind: scalarString(map.get("kind")) === "Component" ? "Component" : "Kustomization",
    root: map,
    resources: [...local("resources"), ...local("bases")],
    components: local("components"),
    patchFiles: [],
    inlinePatches: [],
    images: [],
  };
  const inline = (node: PNode | undefined, selector: PatchTarget | undefined) => {
    const scalar = asScalar(node);
    if (scalar && typeof scalar.value === "string") k.inlinePatches.push(...inlinePatchObjects(file, scalar, selector, defaultNamespace));
  };
  for (const key of ["patches", "patchesJson6902"]) {
    for (const item of asSeq(map.get(key))?.items ?? []) {
      const entry = asMap(item);
      const selector = targetOf(entry?.get("target"));
      const p = scalarString(entry?.get("path"));
      if (p) k.patchFiles.push({ path: p, ...(selector ? { selector } : {}) });
      else inline(entry?.get("patch"), selector);
    }
  }
  // A strategic-merge patch is a file name, or the patch itself written as a string.
  for (const item of asSeq(map.get("patchesStrategicMerge"))?.items ?? []) {
    const text = scalarString(item);
    if (text === undefined) continue;
    if (text.includes("\n")) inline(item, undefined);
    else k.patchFiles.push({ path: text.trim() });
  }
  for (const item of asSeq(map.get("images"))?.items ?? []) {
    const entry = asMap(item);
    const name = scalarString(entry?.get("name"));
    if (!entry || !name) continue;
    const override: ImageOverride = { node: entry, name };
    for (const field of ["newName", "newTag", "digest", "tagSuffix"] as const) {
      const v = scalarString(entry.get(field));
      if (v !== undefined && v !== "") override[field] = v;
    }
    k.images.push(override);
  }
  return k;
}

function strings(node: PNode | undefined): string[] {
  return (asSeq(node)?.items ?? []).map(scalarString).filter((s): s is string => s !== undefined && s.trim() !== "").map((s) => s.trim());
}

function targetOf(node: PNode | undefined): PatchTarget | undefined {
  const m = asMap(node);
  if (!m) return undefined;
  const t: PatchTarget = {};
  for (const field of ["kind", "name", "namespace"] as const) {
    const v = scalarString(m.get(field));
    if (v) t[field] = v;
  }
  return Object.keys(t).length > 0 ? t : undefined;
}

/**
 * The objects of a patch written inline as a literal block scalar (`patch: |-`), located in the
 * kustomization file: each line of the block is a line of the file, indented by the block's
 * indentation. Other scalar styles (quoted, folded) do not keep lines, and are not read.
 */
function inlinePatchObjects(file: SourceFile, scalar: PScalar, selector: PatchTarget | undefined, defaultNamespace: string): K8sObject[] {
  const view = blockScalarView(file, scalar);
  if (!view) return [];
  const parsed = parseYaml(view, "1.1");
  return parsed.docs.flatMap((d) =>
    k8sObjectsOf(file, d.root, d.index, defaultNamespace).map((o) => ({ ...o, patch: { kustomization: file.path, ...(selector ? { selector } : {}) } })),
  );
}

/** A literal block scalar's content as a file of its own whose positions are those of the enclosing file. */
function blockScalarView(file: SourceFile, scalar: PScalar): SourceFile | undefined {
  const value = scalar.value as string;
  const header = scalar.range.startLine;
  if (!/^\|[-+]?[1-9]?[-+]?\s*(?:#.*)?$/.test(file.line(header).slice(scalar.range.startColumn - 1))) return undefined;
  const lines = value.split("\n");
  let indent = -1;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const written = file.line(header + 1 + i);
    if (indent === -1) indent = written.length - written.trimStart().length;
    if (written.slice(indent) !== lines[i]) return undefined; // not one line per line: do not guess
  }
  if (indent === -1) return undefined;
  const inner = createSourceFile(file.path, file.absPath, file.kind, value);
  return {
    ...inner,
    regionOf(start, end) {
      const r = inner.regionOf(start, end);
      return { startLine: r.startLine + header, startColumn: r.startColumn + indent, endLine: r.endLine + header, endColumn: r.endColumn + indent };
    },
    line: (n) => file.line(n),
  };
}
