import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { stageUser } from "../../../src/selectors/docker.js";

export default defineRule({
  meta: {
    id: "docker/user-not-root",
    level: "error",
    summary: "The image's final stage runs as root: it has no USER, or its last USER is root or 0.",
    remediation: "Create an unprivileged user and switch to it with `USER <name>` in the final stage.",
    tags: ["security", "CWE-250"],
  },
  dockerfile(doc, ctx) {
    const stage = doc.finalStage;
    if (!stage) return;
    const user = stageUser(stage);
    if (!user) {
      ctx.report({
        node: stage.from,
        message: `the final stage (FROM ${stage.image ? quote(stage.image) : "scratch"}) sets no USER, so the container runs as root; add \`USER <non-root user>\``,
        logicalLocation: `stage ${stage.index}`,
      });
    } else if (user.root) {
      ctx.report({
        node: user.instruction,
        message: `the final stage's last USER is "${quote(user.user)}", so the container runs as root; switch to an unprivileged user`,
        logicalLocation: `stage ${stage.index}`,
      });
    }
  },
});
