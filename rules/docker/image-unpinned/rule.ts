import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { isStageAlias } from "../../../src/selectors/docker.js";
import { parseImageRef, unpinned } from "../../../src/selectors/image.js";

export default defineRule({
  meta: {
    id: "docker/image-unpinned",
    level: "warning",
    summary: "A FROM image has no tag or uses `:latest` (strict preset: has no `@sha256:` digest).",
    remediation: "Pin every base image to a specific version tag, and preferably to its digest: `FROM python:3.12-slim@sha256:<digest>`.",
    tags: ["security", "supply-chain", "CWE-1357"],
  },
  dockerfile(doc, ctx) {
    const strict = ctx.preset === "strict";
    for (const stage of doc.stages) {
      const written = stage.image;
      const image = stage.resolvedImage;
      // `FROM ${BASE}` with no default: the image is chosen at build time; nothing to judge.
      if (!written || image === undefined || image === "") continue;
      if (image.toLowerCase() === "scratch") continue;
      if (isStageAlias(doc, image, stage.index)) continue;
      const ref = parseImageRef(image);
      const problem = ref && unpinned(ref, strict);
      if (!ref || !problem) continue;
      const argIndex = stage.from.args.findIndex((a) => a === written);
      const node = { range: stage.from.argRanges[argIndex === -1 ? 0 : argIndex] ?? stage.from.range };
      const shown = written === image ? `"${quote(written)}"` : `"${quote(written)}" (resolves to "${quote(image)}")`;
      const where = stage.alias ? `stage "${quote(stage.alias)}"` : `stage ${stage.index}`;
      if (problem !== "no-digest") {
        const what = problem === "no-tag" ? "has no tag, so it means `:latest`" : "uses `:latest`";
        const pin = `\`${quote(ref.name)}:<version>@sha256:…\``;
        // An ARG default is what a plain `docker build` uses; build scripts often pass a pinned
        // value (`--build-arg BASE_VERSION=1.2.3`), which bulkhead cannot see: a note, not a warning.
        const fromArg = written !== image;
        ctx.report({
          node,
          message: fromArg
            ? `FROM ${shown} ${what} by its ARG default: a build that does not pass the ARG may get a different base image each time; give the ARG a pinned default (${pin})`
            : `FROM ${shown} ${what}: every build may get a different base image; pin a version tag (and a digest, ${pin})`,
          logicalLocation: where,
          ...(fromArg ? { level: "note" as const } : {}),
        });
      } else {
        ctx.report({
          node,
          message: `FROM ${shown} is not pinned to a digest: the tag can be re-pushed; add \`@sha256:<digest>\` (\`${quote(`${ref.name}:${ref.tag}`)}@sha256:…\`)`,
          logicalLocation: where,
        });
      }
    }
  },
});
