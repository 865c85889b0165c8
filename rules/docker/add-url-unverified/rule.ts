import { defineRule } from "../../../src/rule.js";
import { copyArgs, expandWith, flagValue, instructionText, keywordOf, variablesAt } from "../../../src/selectors/docker.js";
import { displayUrl } from "../../../src/secrets/index.js";
import { isLocalHost, urlHost, verifiesDownloads } from "../../../src/selectors/downloads.js";
import type { DockerInstruction, DockerfileDoc } from "../../../src/types.js";

/** A Git source (`git@host:…`, `https://host/repo.git#ref`): ADD clones it, and a commit pins it; tags are docker/image-unpinned's kind of problem, not this rule's. */
const isGitSource = (url: string) => /^git@|^ssh:\/\/|\.git(?:#.*)?$|\.git\/?#/.test(url);

/** Whether a later RUN of the same stage checks the downloaded file (`sha256sum -c`, `gpg --verify`) by name. */
function verifiedLater(doc: DockerfileDoc, ins: DockerInstruction, names: string[]): boolean {
  const stage = doc.stages[ins.stage];
  if (!stage) return false;
  const after = stage.instructions.slice(stage.instructions.indexOf(ins) + 1);
  return after.some((r) => r.keyword === "RUN" && verifiesDownloads(doc, r) && names.some((n) => n !== "" && instructionText(doc, r).text.includes(n)));
}

export default defineRule({
  meta: {
    id: "docker/add-url-unverified",
    level: "warning",
    summary: "ADD downloads a URL without `--checksum`, and no later RUN checks the file.",
    remediation:
      "Pin the download: `ADD --checksum=sha256:<digest> https://… /dest` (BuildKit, Dockerfile syntax 1.6+), or download it in a RUN and check it with `sha256sum -c` or a signature.",
    tags: ["security", "supply-chain", "CWE-494"],
  },
  dockerfile(doc, ctx) {
    for (const ins of doc.instructions) {
      if (ins.keyword !== "ADD" || flagValue(ins, "checksum")) continue;
      const { sources, dest } = copyArgs(doc, ins);
      const vars = variablesAt(doc, ins);
      for (const s of sources) {
        // `https://…/${VERSION}/tool` with VERSION set nowhere is still a download from that host.
        const url = s.path.includes("$") ? (expandWith(s.path, vars) ?? (/^https?:\/\/[^/$]+\//i.test(s.path) ? s.path : undefined)) : s.path;
        if (!url || !/^https?:\/\//i.test(url) || isGitSource(url)) continue;
        const host = urlHost(url);
        if (host !== undefined && isLocalHost(host)) continue;
        const file = url.replace(/[?#].*$/, "").replace(/\/+$/, "");
        const names = [file.slice(file.lastIndexOf("/") + 1), dest && !dest.endsWith("/") ? dest.slice(dest.lastIndexOf("/") + 1) : ""];
        if (verifiedLater(doc, ins, names)) continue;
        const plain = /^http:/i.test(url);
        ctx.report({
          region: s.region,
          message: `${keywordOf(ins)} downloads ${displayUrl(url)} without \`--checksum\`${plain ? ", over plain HTTP," : ""} and nothing checks what arrives: whatever the server${plain ? " or anyone on the path" : ""} returns goes into the image; add \`--checksum=sha256:<digest>\` or check the file in a RUN (\`sha256sum -c\`)`,
          logicalLocation: `stage ${ins.stage}`,
        });
      }
    }
  },
});
