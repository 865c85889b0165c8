import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { forEachContainer, imageOf } from "../../../src/selectors/k8s.js";
import { unpinned } from "../../../src/selectors/image.js";

export default defineRule({
  meta: {
    id: "k8s/image-unpinned",
    level: "warning",
    summary: "A container image has no tag or uses `:latest` (strict preset: is not pinned by `@sha256:` digest).",
    remediation: "Pin the image to a version tag, better to its digest: `image: registry.example.com/bot:1.4.0@sha256:…`.",
    tags: ["security", "CWE-829"],
  },
  k8s(obj, ctx) {
    forEachContainer(obj, (c) => {
      const image = imageOf(c);
      if (!image) return;
      const { ref } = image;
      const problem = {
        "no-tag": "has no tag, so it runs whatever `latest` is when the node pulls it",
        latest: "uses `:latest`, which changes under you between pulls",
        "no-digest": `is not pinned by digest: the tag \`${quote(ref.tag ?? "")}\` can be moved to different content`,
        none: undefined,
      }[unpinned(ref, ctx.preset === "strict") ?? "none"];
      if (!problem) return;
      ctx.report({
        node: image.node,
        message: `${c.label}: image \`${quote(ref.raw)}\` ${problem}; pin a version tag${ctx.preset === "strict" ? " and" : ", better"} its digest (\`@sha256:…\`)`,
        logicalLocation: c.logical,
      });
    });
  },
});
