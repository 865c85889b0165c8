import { defineRule } from "../../../src/rule.js";
import { isRootUser } from "../../../src/selectors/docker.js";
import { asMap, scalarString } from "../../../src/parsers/yaml.js";
import {
  builtStage,
  definitionsOf,
  effectiveEntry,
  isFragment,
  scalarText,
  serviceReporter,
  withDefaults,
} from "../../../src/selectors/compose.js";

/** The last USER of the final stage of an inline Dockerfile (`build.dockerfile_inline`). */
function inlineUser(text: string): string | undefined {
  let user: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(FROM|USER)\s+(\S+)/i.exec(line);
    if (!m) continue;
    user = m[1].toUpperCase() === "FROM" ? undefined : m[2];
  }
  return user;
}

export default defineRule({
  meta: {
    id: "compose/user-not-root",
    level: "warning",
    summary:
      "A compose service runs as root: it sets `user: root`/`0`, or sets no `user` and is not built from a Dockerfile whose final stage switches to a non-root USER.",
    remediation: "Set `user: \"1000:1000\"` (or a user the image defines) on the service, or build it from a Dockerfile that ends with a non-root `USER`.",
    tags: ["security", "CWE-250"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      const own = service.node.get("user");
      const ownText = scalarText(own);
      if (own && ownText !== undefined && ownText.trim() !== "") {
        const effective = ownText.includes("$") ? withDefaults(ownText) : ownText;
        if (effective !== undefined && isRootUser(effective)) {
          const viaDefault = effective !== ownText ? ` (the default of \`${ownText}\`)` : "";
          out.report(
            service,
            own,
            (label) =>
              `${label} runs as root (\`user: ${effective}\`${viaDefault}): a compromise of the process is root in the container, one kernel or runtime bug away from the host, with every file writable; run it as an unprivileged user, e.g. \`user: "1000:1000"\``,
          );
        }
        continue;
      }

      const defs = definitionsOf(doc, service, ctx.workspace);
      const inherited = effectiveEntry(defs.slice(1), "user");
      const inheritedText = scalarText(inherited?.entry.value);
      if (inheritedText !== undefined && inheritedText.trim() !== "") continue; // that file reports a root user itself
      if (isFragment(service) || defs.incomplete) continue;

      const building = defs.find((d) => d.service.node.get("build"));
      let why: string;
      if (building) {
        const build = building.service.node.get("build");
        const inline = scalarString(asMap(build)?.get("dockerfile_inline"));
        if (inline !== undefined) {
          const user = inlineUser(inline);
          if (user && !isRootUser(user)) continue;
          why = user ? `, and its inline Dockerfile's last USER is "${user}"` : ", and its inline Dockerfile's final stage sets no USER";
        } else {
          const dockerfile = ctx.workspace.dockerfileOf(building.doc, building.service);
          if (dockerfile) {
            const stage = builtStage(dockerfile, building.service);
            const user = stage?.user;
            if (user !== undefined && !isRootUser(user)) continue;
            const final = dockerfile.stages[dockerfile.stages.length - 1];
            why =
              user !== undefined
                ? `, and its Dockerfile ${dockerfile.path} ends with \`USER ${user}\``
                : `, and its Dockerfile ${dockerfile.path} sets no USER in the ${stage && stage !== final ? `target stage "${stage.alias}"` : "final stage"}`;
          } else {
            why = ", and the Dockerfile it builds is not among the scanned files, so nothing shows it switches to a non-root user";
          }
        }
      } else {
        const image = scalarText(service.node.get("image")) ?? scalarText(effectiveEntry(defs, "image")?.entry.value);
        why = `, so it runs as the default user of ${image ? `image "${image}"` : "its image"}, which is root unless the image says otherwise`;
      }
      out.report(
        service,
        service.keyRange,
        (label) =>
          `${label} sets no \`user\`${why}; a compromise of the process is then root in the container: add \`user: "1000:1000"\` (or a non-root user the image defines)${building ? " or end the Dockerfile with a non-root USER" : ""}`,
      );
    }
    out.flush();
  },
});
