import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { copyArgs, isRemoteSource, keywordOf, keywordRegion } from "../../../src/selectors/docker.js";

/** Archives ADD unpacks: tar, optionally compressed with gzip, bzip2, xz (and zstd with BuildKit). */
const TAR = /\.(tar|tar\.(gz|gzip|bz2|bzip2|xz|zst|zstd|z|lz4)|tgz|tbz2?|tb2|txz|tzst)$/i;

export default defineRule({
  meta: {
    id: "docker/add-instead-of-copy",
    level: "note",
    summary: "ADD copies a local file or directory where COPY would do.",
    remediation: "Use `COPY` for local files and directories; keep `ADD` for local tar archives it should extract and for URLs.",
    tags: ["security", "CWE-829"],
  },
  dockerfile(doc, ctx) {
    for (const ins of doc.instructions) {
      if (ins.keyword !== "ADD") continue;
      const { sources, heredoc } = copyArgs(doc, ins);
      if (heredoc && sources.length === 0) continue;
      const local = sources.filter((s) => {
        if (isRemoteSource(s.path)) return false;
        const name = s.path.replace(/(?<!\/)\/+$/, "");
        const base = name.slice(name.lastIndexOf("/") + 1);
        if (TAR.test(base)) return false;
        // `ADD ${ARCHIVE} /`: the name is only known at build time
        if (/\$/.test(base) && !/\.[A-Za-z0-9]+$/.test(base)) return false;
        return true;
      });
      if (local.length === 0) continue;
      const names = local.map((s) => `"${quote(s.path)}"`).join(", ");
      const zip = local.some((s) => /\.zip$/i.test(s.path)) ? " (ADD does not extract .zip files)" : "";
      ctx.report({
        region: keywordRegion(ins),
        message: `${keywordOf(ins)} of local ${names}: use COPY, which only copies${zip}; ADD also unpacks tar archives and fetches URLs, so a renamed file can change what it does`,
        logicalLocation: `stage ${ins.stage}`,
      });
    }
  },
});
