import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import type { ComposeService } from "../../../src/types.js";
import type { Workspace } from "../../../src/workspace/workspace.js";
import { baseStage, effectiveUser, isRootUser } from "../../../src/selectors/docker.js";
import { parseImageRef } from "../../../src/selectors/image.js";
import { imageUserOf } from "../../../src/selectors/image-users.js";
import { asMap, scalarString } from "../../../src/parsers/yaml.js";
import {
  builtStage,
  definitionsOf,
  effectiveEntry,
  envVars,
  howInterpolated,
  type ServiceDefinition,
  isFragment,
  withDefaults,
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

/** A service's `build.args` as compose passes them (interpolated; an argument set nowhere is left out). */
function buildArgsOf(service: ComposeService): Map<string, string> {
  const args = new Map<string, string>();
  for (const v of envVars(asMap(service.node.get("build"))?.get("args"))) {
    const value = v.value === undefined ? service.variables.get(v.name) : withDefaults(v.value, service.variables);
    if (value !== undefined) args.set(v.name, value);
  }
  return args;
}

/** Why a service runs as root, and how sure that is: "root"; "drops": the image's entrypoint switches user; "unknown": its base image is chosen at build time. Undefined: it does not run as root. */
type Found = { why: string; kind: "root" | "drops" | "unknown" } | undefined;

/** Who a service built from a Dockerfile runs as. */
function builtUser(building: ServiceDefinition, workspace: Workspace): Found {
  const inline = scalarString(asMap(building.service.node.get("build"))?.get("dockerfile_inline"));
  if (inline !== undefined) {
    const user = inlineUser(inline);
    if (user && !isRootUser(user)) return undefined;
    return { why: user ? `, and its inline Dockerfile's last USER is "${quote(user)}"` : ", and its inline Dockerfile's final stage sets no USER", kind: "root" };
  }
  const dockerfile = workspace.dockerfileOf(building.doc, building.service);
  if (!dockerfile) return { why: ", and the Dockerfile it builds is not among the scanned files, so nothing shows it switches to a non-root user", kind: "root" };
  const stage = builtStage(dockerfile, building.service);
  if (!stage) return undefined;
  const args = buildArgsOf(building.service);
  const user = effectiveUser(dockerfile, stage, args);
  if (user && !user.root) return undefined;
  const which = stage !== dockerfile.finalStage ? `target stage "${quote(stage.alias ?? "")}"` : "final stage";
  const path = quote(dockerfile.file.path);
  if (user?.image) {
    const { name, user: runs, how, source } = user.image;
    return { why: `, and its Dockerfile ${path} sets no USER in the ${which}: its base image \`${quote(name)}\` starts as root and runs its service as ${runs} only because ${how} (${source})`, kind: "drops" };
  }
  if (user) return { why: `, and its Dockerfile ${path} ends with \`USER ${quote(user.user)}\`${user.stage !== stage ? ` (inherited from stage "${quote(user.stage.alias ?? "")}")` : ""}`, kind: "root" };
  const base = baseStage(dockerfile, stage, args);
  if (base.image === undefined) {
    return { why: `, and its Dockerfile ${path} sets no USER in the ${which}, which builds FROM \`${quote(base.stage.image)}\`, an image chosen at build time: it runs as that image's default user, root unless the image sets another`, kind: "unknown" };
  }
  return {
    why: `, and its Dockerfile ${path} sets no USER in the ${which}${base.image.toLowerCase() === "scratch" ? "" : `, so it runs as the default user of \`${quote(base.image)}\`, which is root unless that image sets another`}`,
    kind: "root",
  };
}

/** Who a service that runs an image runs as. */
function imageUser(service: ComposeService, defs: ServiceDefinition[]): Found {
  const own = service.node.get("image");
  const def = own ? { service, node: own } : (() => {
    const e = effectiveEntry(defs, "image");
    return e && { service: e.service, node: e.entry.value };
  })();
  const image = def && (resolvedText(def.service, def.node) ?? scalarText(def.node));
  const ref = image !== undefined ? parseImageRef(image) : undefined;
  const known = ref && imageUserOf(ref);
  if (known?.kind === "non-root") return undefined; // the image's own USER is not root (data/image-users.json)
  if (known) {
    return {
      why: `, so it starts as root: image "${quote(image!)}" runs its service as ${known.user} only because ${known.how} (${known.source}), and anything else it runs, \`docker exec\` included, is root`,
      kind: "drops",
    };
  }
  return { why: `, so it runs as the default user of ${image ? `image "${quote(image)}"` : "its image"}, which is root unless the image says otherwise`, kind: "root" };
}

export default defineRule({
  meta: {
    id: "compose/user-not-root",
    level: "warning",
    summary:
      "A compose service runs as root: it sets `user: root`/`0`, or sets no `user` and is not built from a Dockerfile whose final stage switches to a non-root USER.",
    remediation: "Set `user: \"1000:1000\"` (or a user the image defines) on the service, or build it from a Dockerfile that ends with a non-root `USER`.",
    tags: ["security", "CWE-250"],
    reads: ["dockerfile"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      const own = service.node.get("user");
      const ownText = scalarText(own);
      if (own && ownText !== undefined && ownText.trim() !== "") {
        const effective = resolvedText(service, own);
        if (effective !== undefined && isRootUser(effective)) {
          const viaDefault = effective !== ownText ? ` (${howInterpolated(ownText, service.variables)})` : "";
          out.report(
            service,
            own,
            (label) =>
              `${label} runs as root (\`user: ${quote(effective)}\`${viaDefault}): a compromise of the process is root in the container, one kernel or runtime bug away from the host, with every file writable; run it as an unprivileged user, e.g. \`user: "1000:1000"\``,
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
      const found = building ? builtUser(building, ctx.workspace) : imageUser(service, defs);
      if (!found) continue;
      const { why, kind } = found;
      out.report(
        service,
        service.keyRange,
        (label) =>
          kind === "drops"
            ? `${label} sets no \`user\`${why}; set \`user:\` to that user if the service works without the entrypoint's root steps (data directories it must own)`
            : kind === "unknown"
              ? `${label} sets no \`user\`${why}; set \`user:\` (or a non-root USER in the Dockerfile) to make it explicit`
              : `${label} sets no \`user\`${why}; a compromise of the process is then root in the container: add \`user: "1000:1000"\` (or a non-root user the image defines)${building ? " or end the Dockerfile with a non-root USER" : ""}`,
        kind === "root" ? {} : { level: "note" },
      );
    }
    out.flush();
  },
});
