// Shell: enough of sh to find the commands a RUN executes, with positions.
import { sliceSeg, type Seg } from "./seg.js";

export interface ShellWord {
  /** The word after quote removal (variables kept as written). */
  value: string;
  /** File offset of every character of value. */
  at: number[];
  /** Offsets of the word as written. */
  start: number;
  end: number;
  /** Scripts of `$(…)`, backquotes and `<(…)` inside the word. */
  subs: Seg[];
  /** The word is a process substitution `<(…)`. */
  procSub: boolean;
}

export interface ShellCommand {
  words: ShellWord[];
  /** Redirections: operator (`>`, `>>`, `<`, `2>`, `<<`…) and target word. */
  redirects: { op: string; target: ShellWord | undefined }[];
}

export interface Pipeline {
  commands: ShellCommand[];
}

type Tok = { kind: "word"; word: ShellWord } | { kind: "op"; op: string; start: number };

/** Finds the index of the `)` closing a `(` opened just before `i` (quotes and nesting respected). */
function closingParen(s: string, i: number): number {
  let depth = 1;
  while (i < s.length) {
    const c = s[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      i = j === -1 ? s.length : j + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === "\\" ? 2 : 1;
      i++;
      continue;
    }
    if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  return s.length;
}


const OPS = ["&&", "||", "|&", ";;", "|", "&", ";", "(", ")"];

function lexShell(seg: Seg): Tok[] {
  const s = seg.text;
  const toks: Tok[] = [];
  let i = 0;
  const offset = (k: number) => (k < seg.at.length ? seg.at[k] : seg.end);
  while (i < s.length) {
    const c = s[i];
    // Every blank the word loop below stops at (\s: also \v, \f, NBSP, U+2028 …); skipping fewer
    // made it emit empty words forever on `RUN echo a\u00a0b` (out of memory).
    if (c === " " || c === "\t" || c === "\r" || (c !== "\n" && /\s/.test(c))) {
      i++;
      continue;
    }
    if (c === "\\" && s[i + 1] === "\n") {
      i += 2;
      continue;
    }
    if (c === "\n") {
      toks.push({ kind: "op", op: ";", start: offset(i) });
      i++;
      continue;
    }
    if (c === "#") {
      while (i < s.length && s[i] !== "\n") i++;
      continue;
    }
    // redirections: [n]>, >>, <, <<, <<<, &>, >&, n>&m
    const redir = /^(\d*)(<<<|<<-|<<|>>|&>>|&>|>&|<&|>\||<>|>|<)/.exec(s.slice(i));
    if (redir && !(redir[2] === "<" && s[i + redir[0].length] === "(") && !(redir[2] === ">" && s[i + 1] === "(")) {
      toks.push({ kind: "op", op: `redir:${redir[2]}`, start: offset(i) });
      i += redir[0].length;
      // `>&2`: the target is the fd
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (op) {
      toks.push({ kind: "op", op, start: offset(i) });
      i += op.length;
      continue;
    }
    // a word
    const startIdx = i;
    let value = "";
    const at: number[] = [];
    const subs: Seg[] = [];
    let procSub = false;
    const push = (k: number) => {
      value += s[k];
      at.push(offset(k));
    };
    // `$(…)` or `…` at i (unquoted or inside double quotes): a nested script, kept in the word
    // as written; returns the index after it, or undefined when there is none at i.
    const substitution = (i: number): number | undefined => {
      let open: number;
      let close: number;
      if (s[i] === "$" && s[i + 1] === "(" && s[i + 2] !== "(") {
        open = i + 2;
        close = closingParen(s, open);
      } else if (s[i] === "`") {
        open = i + 1;
        const j = s.indexOf("`", open);
        close = j === -1 ? s.length : j;
      } else {
        return undefined;
      }
      subs.push(sliceSeg(seg, open, close));
      for (let k = i; k <= Math.min(close, s.length - 1); k++) push(k);
      return close + 1;
    };
    while (i < s.length) {
      const ch = s[i];
      if (/[\s;&|()<>]/.test(ch)) {
        if ((ch === "<" || ch === ">") && s[i + 1] === "(" && i === startIdx) {
          const close = closingParen(s, i + 2);
          subs.push(sliceSeg(seg, i + 2, close));
          procSub = true;
          for (let k = i; k <= Math.min(close, s.length - 1); k++) push(k);
          i = close + 1;
          continue;
        }
        break;
      }
      if (ch === "\\") {
        if (s[i + 1] === "\n") {
          i += 2;
          continue;
        }
        if (i + 1 < s.length) push(i + 1);
        i += 2;
        continue;
      }
      if (ch === "'") {
        const j = s.indexOf("'", i + 1);
        const close = j === -1 ? s.length : j;
        for (let k = i + 1; k < close; k++) push(k);
        i = close + 1;
        continue;
      }
      const afterSub = substitution(i);
      if (afterSub !== undefined) {
        i = afterSub;
        continue;
      }
      if (ch === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          const d = s[i];
          if (d === "\\" && i + 1 < s.length && /["\\$`\n]/.test(s[i + 1])) {
            if (s[i + 1] !== "\n") push(i + 1);
            i += 2;
            continue;
          }
          const afterSub = substitution(i);
          if (afterSub !== undefined) {
            i = afterSub;
            continue;
          }
          push(i);
          i++;
        }
        i++; // closing quote
        continue;
      }
      if (ch === "$" && s[i + 1] === "{") {
        const j = s.indexOf("}", i);
        const close = j === -1 ? s.length - 1 : j;
        for (let k = i; k <= close; k++) push(k);
        i = close + 1;
        continue;
      }
      push(i);
      i++;
    }
    const endIdx = Math.min(i, s.length);
    toks.push({
      kind: "word",
      word: { value, at, start: offset(startIdx), end: endIdx > startIdx ? offset(endIdx - 1) + 1 : offset(startIdx), subs, procSub },
    });
  }
  return toks;
}

/** Parses a shell script into pipelines of simple commands (compound syntax is flattened). */
export function parseShell(seg: Seg): Pipeline[] {
  const toks = lexShell(seg);
  const pipelines: Pipeline[] = [];
  let current: Pipeline = { commands: [] };
  let cmd: ShellCommand = { words: [], redirects: [] };
  const endCommand = () => {
    if (cmd.words.length > 0 || cmd.redirects.length > 0) current.commands.push(cmd);
    cmd = { words: [], redirects: [] };
  };
  const endPipeline = () => {
    endCommand();
    if (current.commands.length > 0) pipelines.push(current);
    current = { commands: [] };
  };
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.kind === "word") {
      cmd.words.push(t.word);
      continue;
    }
    if (t.op.startsWith("redir:")) {
      const next = toks[k + 1];
      const target = next?.kind === "word" ? next.word : undefined;
      if (target) k++;
      cmd.redirects.push({ op: t.op.slice(6), target });
      continue;
    }
    if (t.op === "|" || t.op === "|&") {
      endCommand();
      continue;
    }
    endPipeline();
  }
  endPipeline();
  return pipelines;
}

/** `/usr/bin/env` → `env`. */
export function programName(word: ShellWord | undefined): string {
  if (!word) return "";
  const v = word.value;
  return v.slice(v.lastIndexOf("/") + 1);
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const SHELL_KEYWORDS = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time", "fi", "done"]);

/** Options of wrapper commands that take a separate argument. */
const WRAPPER_ARG_OPTIONS: Record<string, Set<string>> = {
  sudo: new Set(["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "-R"]),
  doas: new Set(["-u", "-C"]),
  env: new Set(["-u", "-C", "-S", "--unset", "--chdir"]),
  nice: new Set(["-n", "--adjustment"]),
  timeout: new Set(["-s", "-k", "--signal", "--kill-after"]),
  exec: new Set(["-a"]),
  stdbuf: new Set(["-i", "-o", "-e"]),
  ionice: new Set(["-c", "-n", "-p"]),
  chroot: new Set(["--userspec", "--groups"]),
  nohup: new Set(),
  command: new Set(),
  builtin: new Set(),
  time: new Set(["-f", "-o"]),
  xargs: new Set(["-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s", "--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-lines", "--replace"]),
};

/** Wrappers that take a positional argument before the command they run. */
const WRAPPER_POSITIONALS: Record<string, number> = { timeout: 1, chroot: 1 };

export interface UnwrappedCommand {
  /** Words from the program that actually runs (after assignments and wrappers such as sudo, env). */
  words: ShellWord[];
  /** Wrapper words, e.g. the `sudo` in `sudo apt-get install`. */
  wrappers: ShellWord[];
}

/** Strips leading assignments, shell keywords and wrappers (`sudo`, `env`, `nohup`, `xargs`…). */
export function unwrapCommand(cmd: ShellCommand): UnwrappedCommand {
  const words = cmd.words;
  const wrappers: ShellWord[] = [];
  let k = 0;
  for (;;) {
    while (k < words.length && (ASSIGNMENT.test(words[k].value) || SHELL_KEYWORDS.has(words[k].value))) k++;
    const prog = programName(words[k]);
    if (prog === "busybox" && k + 1 < words.length) {
      wrappers.push(words[k]);
      k++;
      continue;
    }
    const argOpts = WRAPPER_ARG_OPTIONS[prog];
    if (!argOpts) break;
    wrappers.push(words[k]);
    k++;
    while (k < words.length) {
      const v = words[k].value;
      if (v === "--") {
        k++;
        break;
      }
      if (prog === "env" && ASSIGNMENT.test(v)) {
        k++;
        continue;
      }
      if (!v.startsWith("-") || v === "-") break;
      k += argOpts.has(v) ? 2 : 1;
    }
    for (let p = WRAPPER_POSITIONALS[prog] ?? 0; p > 0 && k < words.length; p--) k++;
    if (k >= words.length) break;
  }
  return { words: words.slice(k), wrappers };
}

const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ash", "ksh", "mksh", "fish", "busybox"]);

/** sh, bash, zsh, dash, ash, ksh, mksh, fish. */
export function isShell(prog: string): boolean {
  return SHELLS.has(prog) && prog !== "busybox";
}

/** For `sh -c SCRIPT` (options such as `-ec`, `-o pipefail` allowed): the script word. */
export function shellScriptArg(words: ShellWord[]): ShellWord | undefined {
  if (!isShell(programName(words[0]))) return undefined;
  for (let k = 1; k < words.length; k++) {
    const v = words[k].value;
    if (v === "-o" || v === "+o" || v === "-O" || v === "+O") {
      k++;
      continue;
    }
    if (/^-[a-zA-Z]+$/.test(v) && v.includes("c")) return words[k + 1];
    if (/^[-+][a-zA-Z]+$/.test(v) || /^--[a-z-]+$/.test(v)) continue;
    return undefined;
  }
  return undefined;
}

export function wordSeg(w: ShellWord): Seg {
  return { text: w.value, at: w.at, end: w.end };
}

/** A command found in a script, with the pipeline it belongs to and its index there. */
export interface FoundCommand {
  command: ShellCommand;
  unwrapped: UnwrappedCommand;
  pipeline: Pipeline;
  index: number;
}

/**
 * Every command a script runs: top-level commands, commands in `$(…)`/`<(…)`/backquotes,
 * scripts given to `sh -c`, and commands run by `find -exec` and `xargs`.
 */
export function allCommands(pipelines: Pipeline[], depth = 0): FoundCommand[] {
  const out: FoundCommand[] = [];
  if (depth > 8) return out;
  for (const pipeline of pipelines) {
    pipeline.commands.forEach((command, index) => {
      const unwrapped = unwrapCommand(command);
      out.push({ command, unwrapped, pipeline, index });
      for (const w of command.words) for (const sub of w.subs) out.push(...allCommands(parseShell(sub), depth + 1));
      for (const r of command.redirects) for (const sub of r.target?.subs ?? []) out.push(...allCommands(parseShell(sub), depth + 1));
      const script = shellScriptArg(unwrapped.words);
      if (script) out.push(...allCommands(parseShell(wordSeg(script)), depth + 1));
      // find … -exec CMD … \; / + and -execdir, -ok, -okdir
      if (programName(unwrapped.words[0]) === "find") {
        const ws = unwrapped.words;
        for (let k = 1; k < ws.length; k++) {
          if (!/^-(exec|execdir|ok|okdir)$/.test(ws[k].value)) continue;
          let e = k + 1;
          while (e < ws.length && ws[e].value !== ";" && ws[e].value !== "+") e++;
          const inner: ShellCommand = { words: ws.slice(k + 1, e), redirects: [] };
          if (inner.words.length > 0) out.push(...allCommands([{ commands: [inner] }], depth + 1).map((f) => ({ ...f, pipeline, index })));
          k = e;
        }
      }
    });
  }
  return out;
}
