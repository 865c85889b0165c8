// The Kustomize part of the workspace: which files each kustomization builds from (resources,
// bases, components, transitively), which files hold patches and where the object each patch
// modifies may be, and which `images:` overrides an object's images go through in each build.
// All of it comes from the kustomization files alone, which the engine reads before the rest.
import type { ImageOverride, K8sObject, K8sPatch, Kustomization } from "../types.js";
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
  /** When a kustomization lists the file as a patch (and none uses it as a resource): what its objects patch. */
  patchOf(file: string): K8sPatch | undefined;
  /**
   * The files that hold the objects a patch of this kustomization (its file's path) may modify,
   * in the order kustomize reads them: those it builds from (for a component, then those of the
   * kustomizations that include it). A file may come more than once.
   */
  targetFilesOf(kustomization: string): string[];
}

/** Builds past this many are not followed (a file included through many diamond-shaped paths). */
const MAX_BUILDS = 64;

/** Indexes the kustomizations: their builds, their patch files, where their patches' targets may be. */
export function buildKustomizeIndex(kustomizations: Kustomization[]): KustomizeIndex {
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
  const patchOf = new Map<string, K8sPatch>();
  const patchFiles = new Map<Kustomization, string[]>();
  for (const k of kustomizations) {
    const files: string[] = [];
    for (const pf of k.patchFiles) {
      const p = joinPosix(dirOf(k), pf.path);
      files.push(p);
      if (!asResource.has(p) && !patchOf.has(p)) patchOf.set(p, { kustomization: k.file.path, ...(pf.selector ? { selector: pf.selector } : {}) });
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

  // The files whose objects a patch can modify: those its kustomization builds from (for a
  // component, those of the kustomizations that include it), patches aside.
  const targetFilesIn = (k: Kustomization, seen = new Set<Kustomization>()): string[] => {
    if (seen.has(k)) return [];
    seen.add(k);
    const out = [...membersOf(k)];
    for (const parent of componentOf.get(k) ?? []) out.push(...targetFilesIn(parent, seen));
    return out;
  };
  const byPath = new Map(kustomizations.map((k) => [k.file.path, k]));

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
    patchOf: (file) => patchOf.get(file),
    targetFilesOf(kustomization) {
      const k = byPath.get(kustomization);
      return k ? targetFilesIn(k) : [];
    },
    imageBuildsOf(obj) {
      if (tops.length === 0) return [];
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
