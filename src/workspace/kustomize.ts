// The Kustomize part of the workspace: which files each kustomization builds from (resources,
// bases, components, transitively), which objects are patches and which object each patch
// modifies, and which `images:` overrides an object's images go through in each build.
import type { ImageOverride, K8sObject, Kustomization } from "../types.js";
import { joinPosix, posixDir } from "./paths.js";

/** Paths of one object's images through the builds that include it: per build, the overrides in the order kustomize applies them. */
export interface ImageBuild {
  /** The kustomization built (one that no other scanned kustomization includes). */
  kustomization: Kustomization;
  overrides: ImageOverride[];
}

export interface KustomizeIndex {
  kustomizations: Kustomization[];
  /** The kustomization builds that include the object's file, each with the image overrides applied in it; empty when none does. */
  imageBuildsOf(obj: K8sObject): ImageBuild[];
  /** Every file a kustomization's build reads: its own, its resources and patches, those of the kustomizations it includes. */
  filesOf(k: Kustomization): ReadonlySet<string>;
}

/** Builds past this many are not followed (a file included through many diamond-shaped paths). */
const MAX_BUILDS = 64;

/**
 * Indexes the kustomizations and marks the objects of their patch files (`obj.patch`), with the
 * object each patch (inline ones too) modifies when it is among the scanned objects.
 */
export function buildKustomizeIndex(kustomizations: Kustomization[], objects: K8sObject[]): KustomizeIndex {
  const byDir = new Map<string, Kustomization>();
  for (const k of kustomizations) if (!byDir.has(posixDir(k.file.path))) byDir.set(posixDir(k.file.path), k);
  const dirOf = (k: Kustomization) => posixDir(k.file.path);

  // Each kustomization's direct files (resource files) and the kustomizations it includes.
  const resourceFiles = new Map<Kustomization, string[]>();
  const children = new Map<Kustomization, { child: Kustomization; component: boolean }[]>();
  const included = new Set<Kustomization>();
  const componentOf = new Map<Kustomization, Kustomization[]>();
  for (const k of kustomizations) {
    const files: string[] = [];
    const kids: { child: Kustomization; component: boolean }[] = [];
    for (const [list, component] of [[k.resources, false], [k.components, true]] as const) {
      for (const r of list) {
        const p = joinPosix(dirOf(k), r);
        const child = byDir.get(p);
        if (child && child !== k) {
          kids.push({ child, component });
          included.add(child);
          if (component) componentOf.set(child, [...(componentOf.get(child) ?? []), k]);
        } else if (!component) files.push(p);
      }
    }
    resourceFiles.set(k, files);
    children.set(k, kids);
  }

  // Patch files: every object in them is a patch, unless some kustomization also uses the file as a resource.
  const asResource = new Set([...resourceFiles.values()].flat());
  const objectsByFile = new Map<string, K8sObject[]>();
  for (const o of objects) {
    const list = objectsByFile.get(o.file.path);
    if (list) list.push(o);
    else objectsByFile.set(o.file.path, [o]);
  }
  const patchFiles = new Map<Kustomization, string[]>();
  for (const k of kustomizations) {
    const files: string[] = [];
    for (const pf of k.patchFiles) {
      const p = joinPosix(dirOf(k), pf.path);
      files.push(p);
      if (asResource.has(p)) continue;
      for (const o of objectsByFile.get(p) ?? []) {
        o.patch ??= { kustomization: k.file.path, ...(pf.selector ? { selector: pf.selector } : {}) };
      }
    }
    patchFiles.set(k, files);
  }

  // Every file a kustomization's build reads (its own file holds its inline patches).
  const members = new Map<Kustomization, Set<string>>();
  const membersOf = (k: Kustomization, stack = new Set<Kustomization>()): Set<string> => {
    const known = members.get(k);
    if (known) return known;
    const out = new Set<string>([k.file.path, ...resourceFiles.get(k)!, ...patchFiles.get(k)!]);
    if (!stack.has(k)) {
      stack.add(k);
      for (const { child } of children.get(k)!) for (const f of membersOf(child, stack)) out.add(f);
      stack.delete(k);
    }
    members.set(k, out);
    return out;
  };

  // The objects a patch can modify: those its kustomization builds from (for a component, those
  // of the kustomizations that include it), patches aside.
  const targetsIn = (k: Kustomization, seen = new Set<Kustomization>()): K8sObject[] => {
    if (seen.has(k)) return [];
    seen.add(k);
    const files = new Set(membersOf(k));
    const out = [...files].flatMap((f) => (objectsByFile.get(f) ?? []).filter((o) => !o.patch));
    for (const parent of componentOf.get(k) ?? []) out.push(...targetsIn(parent, seen));
    return out;
  };
  const byPath = new Map(kustomizations.map((k) => [k.file.path, k]));
  for (const o of objects) {
    if (!o.patch) continue;
    const k = byPath.get(o.patch.kustomization);
    if (!k) continue;
    const kind = o.patch.selector?.kind ?? o.kind;
    const name = o.patch.selector?.name ?? (o.patch.selector ? undefined : o.name);
    // A patch with a `target:` is named after what it selects (its own metadata.name is not used).
    if (o.patch.selector?.name && kind === o.kind) o.name = o.patch.selector.name;
    const candidates = targetsIn(k).filter((t) => t.kind === kind && (name === undefined || t.name === name));
    if (candidates.length === 1 || (name !== undefined && candidates.length > 0)) o.patch.target = candidates[0];
  }

  // Image overrides, per build: the child builds' first, then the components', then the kustomization's own.
  const tops = kustomizations.filter((k) => k.kind === "Kustomization" && !included.has(k));
  const overridePaths = (k: Kustomization, file: string, stack: Set<Kustomization>): ImageOverride[][] => {
    if (stack.has(k) || !membersOf(k).has(file)) return [];
    stack.add(k);
    const inner: ImageOverride[][] = [];
    if (k.file.path === file || resourceFiles.get(k)!.includes(file) || patchFiles.get(k)!.includes(file)) inner.push([]);
    for (const { child } of children.get(k)!) {
      for (const p of overridePaths(child, file, stack)) if (inner.length < MAX_BUILDS) inner.push(p);
    }
    stack.delete(k);
    // A component's images apply to everything the kustomization that includes it builds.
    const after = [
      ...children.get(k)!.flatMap(({ child, component }) => (component ? child.images : [])),
      ...(k.kind === "Component" ? [] : k.images),
    ];
    return inner.map((p) => [...p, ...after]);
  };
  const buildsCache = new Map<string, ImageBuild[]>();

  return {
    kustomizations,
    filesOf: (k) => membersOf(k),
    imageBuildsOf(obj) {
      const file = obj.file.path;
      let builds = buildsCache.get(file);
      if (!builds) {
        builds = [];
        for (const top of tops) {
          for (const overrides of overridePaths(top, file, new Set())) if (builds.length < MAX_BUILDS) builds.push({ kustomization: top, overrides });
        }
        buildsCache.set(file, builds);
      }
      return builds;
    },
  };
}
