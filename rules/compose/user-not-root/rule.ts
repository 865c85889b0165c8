import { defineRule } from "../../../src/rule.js";
import { effectiveUser, isRootUser } from "../../../src/selectors/docker.js";
import { parseImageRef } from "../../../src/selectors/image.js";
import { imageUserOf } from "../../../src/selectors/image-users.js";
import { asMap, scalarString } from "../../../src/parsers/yaml.js";
import {
  builtStage,
  definitionsOf,
  effectiveEntry,
  isFragment,
  resolvedText,
  scalarText,
  serviceReporter,
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
        const effective = resolvedText(service, own);
        if (effective !== undefined && isRootUser(effective)) {
          const viaDefault = effective !== ownText ? ` (\`${ownText}\` as compose reads it)` : "";
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
      let note: string | undefined;
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
            const user = stage ? effectiveUser(dockerfile, stage) : undefined;
            if (user && !user.root) continue;
            const which = stage && stage !== dockerfile.finalStage ? `target stage "${stage.alias}"` : "final stage";
            if (user?.image) {
              note = user.image.how;
              why = `, and its Dockerfile ${dockerfile.file.path} sets no USER in the ${which}: its base image \`${user.image.name}\` starts as root and runs its service as ${user.image.user} only because ${user.image.how} (${user.image.source})`;
            } else {
              why = user
                ? `, and its Dockerfile ${dockerfile.file.path} ends with \`USER ${user.user}\`${user.stage !== stage ? ` (inherited from stage "${user.stage.alias}")` : ""}`
                : `, and its Dockerfile ${dockerfile.file.path} sets no USER in the ${which}`;
            }
          } else {
            why = ", and the Dockerfile it builds is not among the scanned files, so nothing shows it switches to a non-root user";
          }
        }
      } else {
        const imageDef = service.node.get("image") ? { service, node: service.node.get("image") } : effectiveEntry(defs, "image");
        const node = imageDef && ("node" in imageDef ? imageDef.node : imageDef.entry.value);
        const image = imageDef && (resolvedText(imageDef.service, node) ?? scalarText(node));
        const ref = image !== undefined ? parseImageRef(image) : undefined;
        const known = ref && imageUserOf(ref);
        if (known?.kind === "non-root") continue; // the image's own USER is not root (data/image-users.json)
        if (known) {
          note = known.how;
          why = `, so it starts as root: image "${image}" runs its service as ${known.user} only because ${known.how} (${known.source}), and anything else it runs, \`docker exec\` included, is root`;
        } else {
          why = `, so it runs as the default user of ${image ? `image "${image}"` : "its image"}, which is root unless the image says otherwise`;
        }
      }
      out.report(
        service,
        service.keyRange,
        (label) =>
          note
            ? `${label} sets no \`user\`${why}; set \`user:\` to that user if the service works without the entrypoint's root steps (data directories it must own)`
            : `${label} sets no \`user\`${why}; a compromise of the process is then root in the container: add \`user: "1000:1000"\` (or a non-root user the image defines)${building ? " or end the Dockerfile with a non-root USER" : ""}`,
        note ? { level: "note" } : {},
      );
    }
    out.flush();
  },
});
