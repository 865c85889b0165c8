import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { keywordOf, runCommands } from "../../../src/selectors/docker.js";
import { programName } from "../../../src/selectors/shell.js";

export default defineRule({
  meta: {
    id: "docker/sudo",
    level: "warning",
    summary: "A RUN uses sudo.",
    remediation:
      "Run privileged steps as root before `USER` switches to the unprivileged user (or between `USER root` and `USER app`), and do not install sudo in the image.",
    tags: ["security", "CWE-250"],
  },
  dockerfile(doc, ctx) {
    for (const ins of doc.instructions) {
      if (ins.keyword !== "RUN") continue;
      const seen = new Set<number>();
      for (const found of runCommands(doc, ins)) {
        for (const w of found.unwrapped.wrappers) {
          if (programName(w) !== "sudo" || seen.has(w.start)) continue;
          seen.add(w.start);
          const cmd = quote(found.unwrapped.words.map((x) => x.value).slice(0, 3).join(" "));
          ctx.report({
            region: doc.file.regionOf(w.start, w.end),
            message: `${keywordOf(ins)} uses sudo${cmd ? ` (\`sudo ${cmd}${found.unwrapped.words.length > 3 ? " …" : ""}\`)` : ""}: it needs a sudo binary and rules in the image, a way back to root for anyone in the container; run this step as root before \`USER\` switches to the unprivileged user`,
            logicalLocation: `stage ${ins.stage}`,
          });
        }
        // a bare `sudo` (e.g. `sudo -v`) leaves no command to unwrap
        const first = found.unwrapped.words[0];
        if (first && programName(first) === "sudo" && !seen.has(first.start)) {
          seen.add(first.start);
          ctx.report({
            region: doc.file.regionOf(first.start, first.end),
            message: `${keywordOf(ins)} uses sudo: run this step as root before \`USER\` switches to the unprivileged user`,
            logicalLocation: `stage ${ins.stage}`,
          });
        }
      }
    }
  },
});
