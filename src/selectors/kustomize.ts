// What a container image becomes in the Kustomize builds that include its manifest: kustomize's
// `images:` transformer (api/filters/imagetag), applied override by override.
import type { ImageOverride, K8sObject, Kustomization } from "../types.js";
import type { Workspace } from "../workspace/workspace.js";
import { parseImageRef, type ImageRef } from "./image.js";

/** An image as one kustomization build leaves it. */
export interface BuiltImage {
  /** The kustomization built. */
  build: Kustomization;
  ref: ImageRef;
  /** The override that set its tag or digest last; undefined when the tag is the one written in the manifest. */
  tagFrom?: ImageOverride;
}

/**
 * The image in every build that includes the object's manifest (empty when no scanned
 * kustomization does). An override applies to an image whose name (registry and repository,
 * without tag and digest) is its `name`: `newName` renames it; `newTag` and `digest` replace the
 * tag and digest; `tagSuffix` appends to the tag.
 */
export function builtImages(ref: ImageRef, obj: K8sObject, workspace: Workspace): BuiltImage[] {
  return workspace.kustomize.imageBuildsOf(obj).map(({ kustomization, overrides }) => {
    let current = ref;
    let tagFrom: ImageOverride | undefined;
    for (const o of overrides) {
      if (o.name !== current.name) continue;
      const next = applyOverride(current, o);
      if (o.newTag !== undefined || o.digest !== undefined || o.tagSuffix !== undefined) tagFrom = o;
      current = next;
    }
    return { build: kustomization, ref: current, ...(tagFrom ? { tagFrom } : {}) };
  });
}

function applyOverride(ref: ImageRef, o: ImageOverride): ImageRef {
  const name = o.newName ?? ref.name;
  let tag = ref.tag;
  let digest = ref.digest;
  if (o.newTag !== undefined) {
    tag = o.newTag;
    digest = o.digest;
  } else if (o.digest !== undefined) {
    tag = undefined;
    digest = o.digest;
  } else if (o.tagSuffix !== undefined) {
    tag = (tag ?? "") + o.tagSuffix;
    digest = undefined;
  }
  const raw = `${name}${tag !== undefined ? `:${tag}` : ""}${digest !== undefined ? `@${digest}` : ""}`;
  // An override kustomize accepts but a registry would not (a placeholder name): keep its parts as written.
  return parseImageRef(raw) ?? { ...ref, raw, name, tag, digest };
}
