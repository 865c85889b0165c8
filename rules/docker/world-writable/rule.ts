import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { keywordOf, runCommands } from "../../../src/selectors/docker.js";
import { type ShellWord, programName } from "../../../src/selectors/shell.js";

interface ModeEffect {
  /** Others (and so every user) can write. */
  otherWrite: boolean;
  /** The sticky bit is set (`1777`, `+t`): others may create but not delete or rename others' files. */
  sticky: boolean;
}

/** What a chmod mode does to "other"; undefined when unknown (a variable, `--reference`, a copy like `o=u`). */
function modeEffect(mode: string): ModeEffect | undefined {
  if (/^[0-7]{1,4}$/.test(mode)) {
    const digits = mode.padStart(4, "0");
    return { otherWrite: (Number(digits[3]) & 2) !== 0, sticky: (Number(digits[0]) & 1) !== 0 };
  }
  if (!/^[ugoa]*([-+=][rwxXst]*)+(,[ugoa]*([-+=][rwxXst]*)+)*$/.test(mode)) return undefined;
  let otherWrite = false;
  let sticky = false;
  for (const clause of mode.split(",")) {
    const who = /^[ugoa]*/.exec(clause)![0];
    // Without who, chmod applies the umask (022 in builds), which keeps others from writing.
    const others = who.includes("o") || who.includes("a");
    for (const m of clause.slice(who.length).matchAll(/([-+=])([rwxXst]*)/g)) {
      const [, op, perms] = m;
      if (others) {
        if (op === "+" && perms.includes("w")) otherWrite = true;
        else if (op === "-" && perms.includes("w")) otherWrite = false;
        else if (op === "=") otherWrite = perms.includes("w");
      }
      if (perms.includes("t")) sticky = op !== "-";
    }
  }
  return { otherWrite, sticky };
}

interface ModeUse {
  tool: string;
  modeWord: ShellWord;
  /** Region start/end of the mode text (for `--mode=777` only the value). */
  mode: string;
  recursive: boolean;
  targets: string[];
}

function chmodUse(words: ShellWord[]): ModeUse | undefined {
  let recursive = false;
  let k = 1;
  for (; k < words.length; k++) {
    const v = words[k].value;
    if (v === "--") {
      k++;
      break;
    }
    if (v === "-R" || v === "--recursive" || (/^-[a-zA-Z]+$/.test(v) && /^-[cfvR]+$/.test(v) && v.includes("R"))) {
      recursive = true;
      continue;
    }
    if (v.startsWith("--reference")) return undefined;
    if (/^--/.test(v) || /^-[cfvR]+$/.test(v)) continue;
    break; // the mode (symbolic modes like `-w` only remove permissions, so they are not missed)
  }
  const modeWord = words[k];
  if (!modeWord) return undefined;
  const rest = words.slice(k + 1).map((w) => w.value);
  if (rest.some((v) => v === "-R" || v === "--recursive")) recursive = true;
  return { tool: "chmod", modeWord, mode: modeWord.value, recursive, targets: rest.filter((v) => !v.startsWith("-")) };
}

/** `mkdir -m 777 dir`, `install -m 0666 src dst`, `--mode=777`. */
function modeOptionUse(tool: string, words: ShellWord[]): ModeUse | undefined {
  for (let k = 1; k < words.length; k++) {
    const v = words[k].value;
    let mode: string | undefined;
    let modeWord = words[k];
    if (v === "-m" || v === "--mode") {
      modeWord = words[k + 1];
      mode = modeWord?.value;
    } else if (v.startsWith("--mode=")) mode = v.slice(7);
    // `-m755`, `-pm755`: letters up to an `m`, then the mode (tested in two linear steps: one
    // regex `^-[a-zA-Z]*m.+$` backtracks quadratically over `-mmm…`).
    else if (/^-[a-zA-Z]*?m./.test(v) && !/[\n\r\u2028\u2029]/.test(v) && !v.startsWith("--")) mode = v.slice(v.indexOf("m") + 1);
    if (mode === undefined || !modeWord) continue;
    const targets = words.slice(k + (modeWord === words[k] ? 1 : 2)).map((w) => w.value).filter((x) => !x.startsWith("-"));
    return { tool, modeWord, mode, recursive: false, targets };
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: "docker/world-writable",
    level: "warning",
    summary: "A RUN chmod (or COPY --chmod) gives every user write access (777, 666, o+w, a+w).",
    remediation:
      "Give the directory to the user that needs it (`chown app:app /data` or `COPY --chown`) and use 700/600 (755/644 for read-only content).",
    tags: ["security", "CWE-732"],
  },
  dockerfile(doc, ctx) {
    for (const ins of doc.instructions) {
      // COPY --chmod=777 / ADD --chmod=a+w: the same permissions, set while copying.
      if (ins.keyword === "COPY" || ins.keyword === "ADD") {
        const flag = ins.flags.find((f) => f.name.toLowerCase() === "chmod");
        const effect = flag?.value ? modeEffect(flag.value) : undefined;
        if (flag && effect?.otherWrite && !effect.sticky) {
          ctx.report({
            region: flag.range,
            message: `${keywordOf(ins)} --chmod=${quote(flag.value ?? "")} makes the copied files writable by every user in the container; use --chmod=755/644 (or 700/600) and --chown to the user that needs to write`,
            logicalLocation: `stage ${ins.stage}`,
          });
        }
        continue;
      }
      if (ins.keyword !== "RUN") continue;
      const seen = new Set<number>();
      for (const found of runCommands(doc, ins)) {
        const words = found.unwrapped.words;
        const prog = programName(words[0]);
        const use = prog === "chmod" ? chmodUse(words) : prog === "mkdir" || prog === "install" ? modeOptionUse(prog, words) : undefined;
        if (!use || seen.has(use.modeWord.start)) continue;
        const effect = modeEffect(use.mode);
        if (!effect?.otherWrite) continue;
        // A sticky directory (1777, like /tmp) lets others create files but not delete or replace
        // theirs; applied recursively it makes every file world-writable, which does fire.
        if (effect.sticky && !use.recursive) continue;
        seen.add(use.modeWord.start);
        const targets = use.targets.length === 0 ? "" : ` ${quote(use.targets.slice(0, 3).join(" "))}${use.targets.length > 3 ? " …" : ""}`;
        const how = use.recursive ? "recursively makes" : "makes";
        ctx.report({
          region: doc.file.regionOf(use.modeWord.start, use.modeWord.end),
          message: `${keywordOf(ins)} \`${use.tool} ${use.tool === "chmod" ? (use.recursive ? "-R " : "") : "-m "}${quote(use.mode)}${targets}\` ${how} ${use.targets.length === 1 ? "it" : "them"} writable by every user in the container; chown the path to the user that needs it and use 700/600 (755/644 for read-only content)`,
          logicalLocation: `stage ${ins.stage}`,
        });
      }
    }
  },
});
