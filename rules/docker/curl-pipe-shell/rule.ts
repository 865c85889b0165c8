import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { keywordOf, runCommands } from "../../../src/selectors/docker.js";
import { type FoundCommand, type ShellWord, allCommands, isShell, parseShell, programName, unwrapCommand } from "../../../src/selectors/shell.js";
import { powershellDownloadRuns, powershellScript } from "../../../src/selectors/powershell.js";

/** Interpreters that run a script read from stdin (or from `<(…)`), and the options that give them the script another way. */
const INTERPRETERS: Record<string, { inline: RegExp; argOptions: Set<string> }> = {
  shell: { inline: /^-(?=[a-zA-Z]*c)[a-zA-Z]*$/, argOptions: new Set(["-o", "+o", "-O", "+O", "--rcfile", "--init-file"]) },
  python: { inline: /^-(c|m)/, argOptions: new Set(["-W", "-X", "-Q"]) },
  perl: { inline: /^-[a-zA-Z]*[eE]/, argOptions: new Set(["-I", "-M", "-m"]) },
  ruby: { inline: /^-[a-zA-Z]*e/, argOptions: new Set(["-I", "-r", "-C"]) },
  node: { inline: /^(-e|-p|--eval|--print|-pe)$/, argOptions: new Set(["-r", "--require", "--import"]) },
  php: { inline: /^-r$/, argOptions: new Set(["-d", "-c"]) },
};

function interpreterKind(prog: string): string | undefined {
  if (isShell(prog)) return "shell";
  if (/^python[0-9.]*$/.test(prog) || prog === "pypy" || prog === "pypy3") return "python";
  if (/^perl[0-9.]*$/.test(prog)) return "perl";
  if (/^ruby[0-9.]*$/.test(prog)) return "ruby";
  if (prog === "node" || prog === "nodejs" || prog === "deno" || prog === "bun") return "node";
  if (/^php[0-9.]*$/.test(prog)) return "php";
  return undefined;
}

/**
 * How an interpreter command gets its script: "stdin", "inline" (`-c '…'` / `-e '…'`, with the
 * script word), or "file" (an operand such as `install.sh` or `<(curl …)`).
 */
function scriptSource(words: ShellWord[]): { from: "stdin" | "inline" | "file"; word?: ShellWord } | undefined {
  const kind = interpreterKind(programName(words[0]));
  if (!kind) return undefined;
  const spec = INTERPRETERS[kind];
  for (let k = 1; k < words.length; k++) {
    const v = words[k].value;
    if (v === "--") return words[k + 1] ? { from: "file", word: words[k + 1] } : { from: "stdin" };
    if (v === "-") return { from: "stdin" };
    if (spec.inline.test(v)) {
      // `-cscript` vs `-c script`
      const attached = kind !== "shell" && /^-[cme]./.test(v) && !/^-[a-zA-Z]*[cCmeE]$/.test(v);
      return { from: "inline", word: attached ? words[k] : words[k + 1] };
    }
    if (kind === "shell" && /^-(?=[a-zA-Z]*s)[a-zA-Z]*$/.test(v)) return { from: "stdin" };
    if (spec.argOptions.has(v)) {
      k++;
      continue;
    }
    if (/^[-+]/.test(v) && !words[k].procSub) continue;
    return { from: "file", word: words[k] };
  }
  return { from: "stdin" };
}

/** curl or wget whose download goes to stdout (not `-o file`, `-O`, `> file`). */
function downloadsToStdout(found: FoundCommand): boolean {
  const words = found.unwrapped.words;
  const prog = programName(words[0]);
  if (found.command.redirects.some((r) => /^(>|>>|>\||&>|&>>)$/.test(r.op) && r.target && r.target.value !== "/dev/stdout")) return false;
  const toStdout = (target: string | undefined) => target === undefined || target === "-" || target === "/dev/stdout";
  if (prog === "curl") {
    for (let k = 1; k < words.length; k++) {
      const v = words[k].value;
      if (v === "--remote-name" || v === "--remote-name-all" || v === "--remote-header-name") return false;
      if (v === "--output" || v === "-o") {
        if (!toStdout(words[k + 1]?.value)) return false;
        k++;
        continue;
      }
      if (v.startsWith("--output=")) {
        if (!toStdout(v.slice(9))) return false;
        continue;
      }
      if (/^-[a-zA-Z]+$/.test(v)) {
        const o = v.indexOf("o");
        if (v.includes("O") && (o === -1 || v.indexOf("O") < o)) return false;
        if (o !== -1) {
          const rest = v.slice(o + 1);
          if (!toStdout(rest === "" ? words[k + 1]?.value : rest)) return false;
          if (rest === "") k++;
        }
      }
    }
    return true;
  }
  if (prog === "wget") {
    for (let k = 1; k < words.length; k++) {
      const v = words[k].value;
      if (v === "--output-document" || v === "-O") {
        if (!toStdout(words[k + 1]?.value)) return false;
        k++;
        continue;
      }
      if (v.startsWith("--output-document=")) {
        if (!toStdout(v.slice(18))) return false;
        continue;
      }
      if (/^-[a-zA-Z]+/.test(v) && !v.startsWith("--")) {
        const o = v.indexOf("O");
        if (o !== -1) {
          const rest = v.slice(o + 1);
          if (!toStdout(rest === "" ? words[k + 1]?.value : rest)) return false;
          if (rest === "") k++;
        }
      }
    }
    return true;
  }
  return false;
}

function downloaderIn(script: ShellWord | undefined): string | undefined {
  if (!script) return undefined;
  for (const sub of script.subs) {
    const d = allCommands(parseShell(sub)).find(downloadsToStdout);
    if (d) return programName(d.unwrapped.words[0]);
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: "docker/curl-pipe-shell",
    level: "warning",
    summary: "A RUN pipes a download (curl, wget, PowerShell's iwr) straight into a shell or interpreter (sh, python, iex).",
    remediation:
      "Download to a file, verify its checksum or signature (`sha256sum -c`), then run it; or install from a package manager or a pinned, verified release.",
    tags: ["security", "supply-chain", "CWE-494"],
  },
  dockerfile(doc, ctx) {
    for (const ins of doc.instructions) {
      if (ins.keyword !== "RUN") continue;
      const seen = new Set<string>();
      const report = (start: number, end: number, message: string) => {
        const key = `${start}:${end}`;
        if (seen.has(key)) return;
        seen.add(key);
        ctx.report({ region: doc.file.regionOf(start, end), message, logicalLocation: `stage ${ins.stage}` });
      };
      const kw = keywordOf(ins);
      // PowerShell: `iwr … | iex`, `iex ((New-Object Net.WebClient).DownloadString(…))`
      const ps = powershellScript(doc, ins);
      for (const run of ps ? powershellDownloadRuns(ps.text) : []) {
        if (!ps) break;
        const how = run.piped ? `\`${run.download} … | ${run.runner}\`` : `\`${run.runner} (… ${run.download} …)\``;
        report(
          ps.at[run.start] ?? ps.end,
          (ps.at[run.end - 1] ?? ps.end - 1) + 1,
          `${kw} runs a download with PowerShell's \`${run.runner}\` (${how}): whatever the server returns runs in the build unverified; download it with \`-OutFile\`, check it with \`Get-FileHash\` or \`Get-AuthenticodeSignature\`, then run it`,
        );
      }
      for (const found of runCommands(doc, ins)) {
        const words = found.unwrapped.words;
        const prog = quote(programName(words[0]));
        if (!words[0]) continue;
        // curl … | sh
        if (downloadsToStdout(found)) {
          const later = found.pipeline.commands.slice(found.index + 1);
          for (const cmd of later) {
            const target = unwrapCommand(cmd).words;
            const src = scriptSource(target);
            if (src?.from !== "stdin") continue;
            const interp = quote(programName(target[0]));
            report(
              words[0].start,
              target[0].end,
              `${kw} pipes a download into \`${interp}\` (\`${prog} … | ${interp}\`): whatever the server returns runs in the build unverified; download to a file, check its checksum or signature, then run it`,
            );
            break;
          }
          continue;
        }
        // sh -c "$(curl …)", bash <(curl …), python -c "$(curl …)"
        const src = scriptSource(words);
        if (src && src.from !== "stdin") {
          const d = downloaderIn(src.word);
          if (d && src.word) {
            const how = src.word.procSub ? `\`${prog} <(${d} …)\`` : `\`${prog} … "$(${d} …)"\``;
            report(
              words[0].start,
              src.word.end,
              `${kw} runs a download with \`${prog}\` (${how}): whatever the server returns runs in the build unverified; download to a file, check its checksum or signature, then run it`,
            );
          }
          continue;
        }
        // eval "$(curl …)", source <(curl …), . <(wget -O- …)
        if (prog === "eval" || prog === "source" || prog === ".") {
          for (const w of words.slice(1)) {
            const d = downloaderIn(w);
            if (!d) continue;
            report(
              words[0].start,
              w.end,
              `${kw} runs a download with \`${prog}\` (\`${prog} … ${d} …\`): whatever the server returns runs in the build unverified; download to a file, check its checksum or signature, then run it`,
            );
            break;
          }
        }
      }
    }
  },
});
