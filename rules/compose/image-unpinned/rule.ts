import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { howInterpolated, interpolate, scalarText, serviceReporter } from "../../../src/selectors/compose.js";
import { parseImageRef, unpinned } from "../../../src/selectors/image.js";

export default defineRule({
  meta: {
    id: "compose/image-unpinned",
    level: "warning",
    summary: "A compose service's `image` has no tag or uses `:latest` (strict: no `@sha256:` digest), and the service is not built locally.",
    remediation: "Pin the image to a version tag (`nginx:1.27.2`) or, better, a digest (`nginx:1.27.2@sha256:…`), and update it deliberately.",
    tags: ["security", "CWE-1357"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    const strict = ctx.preset === "strict";
    for (const service of doc.services) {
      // With `build`, `image` names the image compose builds; `pull_policy: build` means the same.
      if (service.node.get("build") || scalarText(service.node.get("pull_policy"))?.toLowerCase() === "build") continue;
      const node = service.node.get("image");
      const written = scalarText(node);
      if (!node || written === undefined || written.trim() === "") continue;
      const ip = interpolate(written.trim(), service.variables);
      if (ip.unresolved) continue; // `${IMAGE}` / `app:${TAG}` set nowhere: chosen at deploy time
      const ref = parseImageRef(ip.value);
      const why = ref && unpinned(ref, strict);
      if (!ref || !why) continue;
      const fromDefault = ip.hasReference ? ` (${howInterpolated(written.trim(), service.variables)})` : "";
      const problem = {
        "no-tag": `has no tag, so it means \`${quote(ref.name)}:latest\``,
        latest: "uses the `latest` tag",
        "no-digest": "is pinned by tag only, and a tag can be moved to other content",
      }[why];
      if (!problem) continue;
      const image = quote(ip.value);
      out.report(
        service,
        node,
        (label) =>
          `${label} uses image "${image}"${fromDefault}, which ${problem}: every pull can bring a different image, unreviewed; pin ${strict ? "a digest (`@sha256:…`)" : "a version tag or a digest (`@sha256:…`)"}`,
      );
    }
    out.flush();
  },
});
