import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { keywordOf, runCommands } from "../../../src/selectors/docker.js";
import { verifiesDownloads } from "../../../src/selectors/downloads.js";
import { type FoundCommand, type ShellWord, programName } from "../../../src/selectors/shell.js";

interface Unsigned {
  word: ShellWord;
  written: string;
  what: string;
}

const APT = /^apt(?:-get)?$|^aptitude$/;
const RPM_MANAGERS = /^(?:yum|dnf|microdnf|tdnf)$/;

/** `-o APT::Get::AllowUnauthenticated=true`, `Acquire::AllowInsecureRepositories=1`, in a word or written to apt.conf.d. */
const APT_OPTION = /(?:APT::Get::AllowUnauthenticated|Acquire::AllowInsecureRepositories|Acquire::AllowDowngradeToInsecureRepositories)\s*(?:=\s*|\s+)"?(?:true|1|yes)"?/i;

/** Package arguments that are local files (`./pkg.apk`, `/tmp/x.rpm`), as opposed to names a repository resolves, or URLs. */
const localPackageFile = (v: string) => /\.(?:apk|rpm|deb)$/.test(v) && !/^[a-z]+:\/\//i.test(v);

/**
 * A flag that installs packages whose signature is not checked. For packages given as local
 * files, only when this RUN downloads them without checking them: a package built or copied into
 * the build, or one whose checksum or signature the RUN checks (`gpg --verify`), is trusted for
 * what it is.
 */
function unsignedInstall(found: FoundCommand, downloaded: (file: string) => boolean, verified: boolean): Unsigned[] {
  const words = found.unwrapped.words;
  const prog = programName(words[0]);
  const out: Unsigned[] = [];
  const packages = words.slice(1).filter((w) => !w.value.startsWith("-") && !/^(?:add|install|localinstall|upgrade|update|reinstall|-i|-U)$/.test(w.value));
  // The flag is there for the local files; when those are trusted, the repository packages named
  // beside them (`apk add --allow-untrusted ./driver.apk unixodbc-dev`) are not what it is for.
  const files = packages.filter((w) => localPackageFile(w.value));
  const onlyTrustedFiles = files.length > 0 && files.every((w) => verified || !downloaded(w.value));
  const flag = (pattern: RegExp) => words.find((w) => pattern.test(w.value));
  if (APT.test(prog)) {
    const w = flag(/^--allow-unauthenticated$|^--allow-insecure-repositories$/);
    if (w) out.push({ word: w, written: `${prog} ${w.value}`, what: "apt installs packages whose repository signature is missing or wrong" });
  }
  if (prog === "apk") {
    const w = flag(/^--allow-untrusted$/);
    if (w && !onlyTrustedFiles) out.push({ word: w, written: `apk ${w.value}`, what: "apk installs packages with a missing or unknown signature" });
  }
  if (RPM_MANAGERS.test(prog)) {
    const w = flag(/^--nogpgcheck$|^--setopt=(?:\S+\.)?gpgcheck=(?:0|false|no)$/);
    if (w && !onlyTrustedFiles) out.push({ word: w, written: `${prog} ${w.value}`, what: `${prog} installs packages without checking their GPG signatures` });
  }
  if (prog === "zypper") {
    const w = flag(/^--no-gpg-checks$/);
    if (w && !onlyTrustedFiles) out.push({ word: w, written: `zypper ${w.value}`, what: "zypper installs packages without checking their signatures" });
  }
  if (prog === "rpm") {
    const w = flag(/^--nosignature$|^--nodigest$/);
    if (w && !onlyTrustedFiles) out.push({ word: w, written: `rpm ${w.value}`, what: "rpm installs the package without checking its signature" });
  }
  for (const w of words.slice(1)) {
    if (APT_OPTION.test(w.value)) out.push({ word: w, written: w.value.trim(), what: "apt accepts repositories and packages that are not signed" });
  }
  // `deb [trusted=yes] https://…` in a sources line (quoted or not): apt takes the repository
  // unsigned; a `file:` repository is one the build made itself.
  const trusted = /\[[^\]]*\btrusted=yes\b[^\]]*\]\s*(\S+)/.exec(words.map((w) => w.value).join(" "));
  const at = words.find((w) => /\btrusted=yes\b/.test(w.value));
  if (trusted && at && !/^(?:file|copy|cdrom):/.test(trusted[1])) {
    out.push({ word: at, written: `[trusted=yes] ${trusted[1]}`, what: "apt takes that repository's packages without any signature" });
  }
  return out;
}

export default defineRule({
  meta: {
    id: "docker/package-verification-disabled",
    level: "warning",
    summary:
      "A RUN installs packages without checking their signatures: `apt-get --allow-unauthenticated`, `[trusted=yes]` repositories, `apk --allow-untrusted`, `dnf`/`yum --nogpgcheck`, `rpm --nosignature`.",
    remediation:
      "Import the repository's signing key (`signed-by=` for apt, the key under /etc/apk/keys, `rpm --import`) and drop the flag; for a package file you download, check it against a pinned checksum first.",
    tags: ["security", "supply-chain", "CWE-347", "CWE-494"],
  },
  dockerfile(doc, ctx) {
    for (const ins of doc.instructions) {
      if (ins.keyword !== "RUN") continue;
      const found = runCommands(doc, ins);
      const verified = verifiesDownloads(doc, ins);
      const fetchers = found.filter((f) => /^(?:curl|wget|wget2|aria2c)$/.test(programName(f.unwrapped.words[0])));
      const base = (p: string) => p.slice(p.lastIndexOf("/") + 1);
      const downloaded = (file: string) => fetchers.some((f) => f.unwrapped.words.some((w) => base(w.value) === base(file)));
      const seen = new Set<number>();
      for (const f of found) {
        for (const u of unsignedInstall(f, downloaded, verified)) {
          if (seen.has(u.word.start)) continue;
          seen.add(u.word.start);
          ctx.report({
            region: doc.file.regionOf(u.word.start, u.word.end),
            message: `${keywordOf(ins)} turns package signature checks off (\`${quote(u.written)}\`): ${u.what}, so a tampered mirror or a man in the middle decides what goes into the image; import the repository's signing key instead`,
            logicalLocation: `stage ${ins.stage}`,
          });
        }
      }
    }
  },
});
