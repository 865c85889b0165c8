import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { baseStage, effectiveUser } from "../../../src/selectors/docker.js";

export default defineRule({
  meta: {
    id: "docker/user-not-root",
    level: "error",
    summary:
      "The image's final stage runs as root: no USER (in it, or in the stage it is built FROM) and a base image not known to run as non-root, or a last USER that is root or 0.",
    remediation: "Create an unprivileged user and switch to it with `USER <name>` in the final stage.",
    tags: ["security", "CWE-250"],
  },
  dockerfile(doc, ctx) {
    const stage = doc.finalStage;
    if (!stage) return;
    // `FROM scratch` with no ENTRYPOINT or CMD is a data image (an OLM bundle, an exported artifact): nothing runs in it.
    if (stage.image.toLowerCase() === "scratch" && !stage.instructions.some((i) => (i.keyword === "ENTRYPOINT" || i.keyword === "CMD") && !i.onbuild)) return;
    const user = effectiveUser(doc, stage);
    const logicalLocation = `stage ${stage.index}`;
    if (user && !user.root) return;
    if (user?.instruction) {
      const inherited = user.stage !== stage ? ` (inherited from stage "${quote(user.stage.alias ?? "")}", which the final stage is built FROM)` : "";
      ctx.report({
        node: user.instruction,
        message: `the final stage's last USER is "${quote(user.user)}"${inherited}, so the container runs as root; switch to an unprivileged user`,
        logicalLocation,
      });
      return;
    }
    if (user?.image) {
      // An image whose entrypoint starts as root and switches to its service user.
      const { image } = user;
      ctx.report({
        node: stage.from,
        level: "note",
        message: `the final stage sets no USER, so the container starts as root: the base image \`${quote(image.name)}\` runs its service as ${image.user} only because ${image.how} (${image.source}); anything else the image runs, and \`docker exec\`, is root; add \`USER ${image.user}\` if the image works without the entrypoint's root steps`,
        logicalLocation,
      });
      return;
    }
    const base = baseStage(doc, stage);
    if (base.image === undefined) {
      // `FROM $BASE_IMAGE`: the image, and so its default user, is chosen at build time.
      ctx.report({
        node: stage.from,
        level: "note",
        message: `the final stage sets no USER and is built FROM \`${quote(base.stage.image)}\`, an image chosen at build time, so the container runs as that image's default user, which is root unless the image sets another; add \`USER <non-root user>\` to make it explicit`,
        logicalLocation,
      });
      return;
    }
    const via = stage.image && doc.stages.some((s) => s.index < stage.index && s.alias === stage.image.toLowerCase()) ? `, nor do the stages it is built FROM` : "";
    ctx.report({
      node: stage.from,
      message:
        base.image.toLowerCase() === "scratch"
          ? `the final stage (FROM ${quote(stage.image)}) sets no USER${via}, so the container runs as root; add \`USER <non-root user>\``
          : `the final stage (FROM ${quote(stage.image)}) sets no USER${via}, so the container runs as the default user of \`${quote(base.image)}\`, which is root unless that image sets another; add \`USER <non-root user>\``,
      logicalLocation,
    });
  },
});
