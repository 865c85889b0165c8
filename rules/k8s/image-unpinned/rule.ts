import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { asScalar } from "../../../src/parsers/yaml.js";
import { forEachContainer, imageOf } from "../../../src/selectors/k8s.js";
import { unpinned, type ImageRef } from "../../../src/selectors/image.js";
import { builtImages } from "../../../src/selectors/kustomize.js";

/** Why a reference is not pinned, as a message fragment; undefined when it is. */
function problemOf(ref: ImageRef, strict: boolean): string | undefined {
  return {
    "no-tag": "has no tag, so it runs whatever `latest` is when the node pulls it",
    latest: "uses `:latest`, which changes under you between pulls",
    "no-digest": `is not pinned by digest: the tag \`${quote(ref.tag ?? "")}\` can be moved to different content`,
    none: undefined,
  }[unpinned(ref, strict) ?? "none"];
}

export default defineRule({
  meta: {
    id: "k8s/image-unpinned",
    level: "warning",
    summary:
      "A container image has no tag or uses `:latest` (strict preset: is not pinned by `@sha256:` digest); an image a kustomization's `images:` overrides is judged by the override.",
    remediation: "Pin the image to a version tag, better to its digest: `image: registry.example.com/bot:1.4.0@sha256:…`.",
    tags: ["security", "CWE-829"],
  },
  k8s(obj, ctx) {
    const strict = ctx.preset === "strict";
    const fix = `pin a version tag${strict ? " and" : ", better"} its digest (\`@sha256:…\`)`;
    forEachContainer(obj, (c) => {
      const image = imageOf(c);
      if (!image) return;
      const { ref } = image;
      const problem = problemOf(ref, strict);
      if (!problem) return;
      // In kustomization builds, an override that sets the tag decides it (and is judged where it is written).
      const builds = builtImages(ref, obj, ctx.workspace);
      const keep = builds.filter((b) => !b.tagFrom);
      if (builds.length > 0 && keep.length === 0) return;
      const overridden = builds.length > keep.length ? ` in the build of ${[...new Set(keep.map((b) => quote(b.build.file.path)))].join(", ")} (other builds set its tag)` : "";
      ctx.report({
        node: image.node,
        message: `${c.label}: image \`${quote(ref.raw)}\` ${problem}${overridden}; ${fix}`,
        logicalLocation: c.logical,
      });
    });
  },
  workspace(ws, ctx) {
    // The tag or digest a kustomization's `images:` sets for every image of that name it builds.
    const strict = ctx.preset === "strict";
    const fix = `pin a version tag${strict ? " and" : ", better"} its digest (\`digest: sha256:…\`)`;
    for (const k of ws.kustomize.kustomizations) {
      for (const o of k.images) {
        // Only `newTag` can unpin: a digest pins, and without either the tag stays the one the manifest writes.
        const at = o.node.entry("newTag");
        if (o.newTag === undefined || !at) continue;
        const problem = problemOf({ raw: "", registry: undefined, repository: o.name, name: o.name, tag: o.newTag, digest: o.digest }, strict);
        if (!problem) continue;
        ctx.report({
          path: k.file.path,
          node: at.value,
          message: `the images override for \`${quote(o.name)}\` sets \`newTag: ${quote(asScalar(at.value)?.source ?? o.newTag)}\`: the image ${problem}; ${fix}`,
          logicalLocation: `${k.kind} ${quote(k.file.path)} images[${quote(o.name)}]`,
        });
      }
    }
  },
});
