import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { dockerWords, escapeChar, expandWith, instructionText, keywordOf, variablesAt } from "../../../src/selectors/docker.js";

/** Whether an EXPOSE entry (`22`, `22/tcp`, `20-25`, `22/udp`) includes TCP port 22. */
function exposesSsh(spec: string): boolean {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(spec.trim());
  if (!m) return false;
  if (m[3] && m[3].toLowerCase() !== "tcp") return false;
  const lo = Number(m[1]);
  const hi = m[2] ? Number(m[2]) : lo;
  return lo <= 22 && 22 <= hi;
}

export default defineRule({
  meta: {
    id: "docker/expose-ssh",
    level: "warning",
    summary: "EXPOSE 22: the image advertises an SSH port.",
    remediation:
      "Do not run an SSH server in the container; use `docker exec` / `kubectl exec` for debugging and remove `EXPOSE 22`.",
    tags: ["security", "CWE-284"],
  },
  dockerfile(doc, ctx) {
    const esc = escapeChar(doc);
    for (const ins of doc.instructions) {
      if (ins.keyword !== "EXPOSE") continue;
      let vars: Map<string, string> | undefined;
      for (const w of dockerWords(instructionText(doc, ins), esc)) {
        const written = w.value.text;
        let spec: string | undefined = written;
        if (written.includes("$")) {
          vars ??= variablesAt(doc, ins);
          spec = expandWith(written, vars);
        }
        if (spec === undefined || !exposesSsh(spec)) continue;
        const shown = spec === written ? `"${quote(written)}"` : `"${quote(written)}" (= "${quote(spec)}")`;
        ctx.report({
          region: doc.file.regionOf(w.start, w.end),
          message: `${keywordOf(ins)} ${shown} publishes the SSH port: an SSH server in a container is another way in with its own keys and passwords to manage; remove it and use \`docker exec\` or \`kubectl exec\` to get a shell`,
          logicalLocation: `stage ${ins.stage}`,
        });
      }
    }
  },
});
