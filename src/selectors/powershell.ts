// PowerShell in Windows Dockerfiles: which RUNs run PowerShell, and where a script runs what it
// downloads (`iwr … | iex`, `iex ((New-Object Net.WebClient).DownloadString(…))`). PowerShell's
// grammar is not sh's, so this reads statements and pipelines by parenthesis depth instead of
// going through the sh reader in shell.ts.
import type { DockerInstruction, DockerfileDoc } from "../types.js";
import { instructionText, isJsonForm, jsonArgSeg } from "./docker.js";
import type { Seg } from "./seg.js";

const POWERSHELL = /^(?:.*[\\/])?(?:powershell|pwsh)(?:\.exe)?$/i;

/** The SHELL in effect at an instruction of its stage (the last one before it), as its program name. */
function stageShell(doc: DockerfileDoc, ins: DockerInstruction): string | undefined {
  let shell: string | undefined;
  for (const i of doc.stages[ins.stage]?.instructions ?? []) {
    if (i === ins) break;
    if (i.keyword === "SHELL" && !i.onbuild && i.args[0]) shell = i.args[0];
  }
  return shell;
}

/**
 * The part of a RUN that PowerShell runs, as positioned text: the whole shell form under
 * `SHELL ["powershell", …]`, or what follows a `powershell`/`pwsh` command in the text
 * (`RUN powershell -Command "…"`, `cmd /S /C pwsh -c …`). Undefined when no PowerShell runs.
 */
export function powershellScript(doc: DockerfileDoc, ins: DockerInstruction): Seg | undefined {
  if (ins.keyword !== "RUN" || ins.heredocs.length > 0) return undefined;
  // Four rules ask about every RUN; the answer (null: none) is kept per instruction, like instructionText's.
  let script = scripts.get(ins);
  if (script === undefined) scripts.set(ins, (script = computePowershellScript(doc, ins) ?? null));
  return script ?? undefined;
}

const scripts = new WeakMap<DockerInstruction, Seg | null>();

function computePowershellScript(doc: DockerfileDoc, ins: DockerInstruction): Seg | undefined {
  const seg = instructionText(doc, ins);
  if (isJsonForm(doc, ins)) {
    const k = ins.args.findIndex((a) => POWERSHELL.test(a));
    if (k === -1) return undefined;
    // The arguments after the program, joined with spaces as PowerShell joins `-Command` arguments.
    const parts = ins.args.slice(k + 1).map((_, j) => jsonArgSeg(doc, ins, k + 1 + j));
    return {
      text: parts.map((p) => p.text).join(" "),
      at: parts.flatMap((p, j) => (j === 0 ? p.at : [p.at[0] ?? p.end, ...p.at])),
      end: parts[parts.length - 1]?.end ?? seg.end,
    };
  }
  const shell = stageShell(doc, ins);
  if (shell && POWERSHELL.test(shell)) return seg;
  const m = /(?:^|[\s"'&|;(])((?:[A-Za-z]:)?[\w\\/.-]*?(?:powershell|pwsh)(?:\.exe)?)(?=[\s"']|$)/i.exec(seg.text);
  if (m) {
    const from = m.index + m[0].length;
    return { text: seg.text.slice(from), at: seg.at.slice(from), end: seg.end };
  }
  // No SHELL in the stage: the base image may set PowerShell (Windows images built FROM one that
  // does); PowerShell-only syntax (`[scriptblock]::Create`, `.DownloadString(`, `| iex`) says so.
  return shell === undefined && POWERSHELL_ONLY.test(seg.text) ? seg : undefined;
}

const POWERSHELL_ONLY = /\[scriptblock\]::Create|\.DownloadString\s*\(|\|\s*(?:iex|Invoke-Expression)\b|\bInvoke-(?:WebRequest|RestMethod)\b/i;

/** A download whose content a script runs: indexes into the script's text. */
export interface PowerShellRun {
  start: number;
  end: number;
  /** The download as written, e.g. `iwr`, `DownloadString`. */
  download: string;
  /** `iex`, `Invoke-Expression`, `[scriptblock]::Create`. */
  runner: string;
  /** `iwr … | iex` or `iex (… DownloadString …)`. */
  piped: boolean;
}

/** Commands and methods that return a download's content (DownloadFile and `-OutFile` write it to disk instead). */
const DOWNLOAD = /\b(?:Invoke-WebRequest|Invoke-RestMethod|iwr|irm|curl|wget|DownloadString|DownloadData)\b/i;
const RUNNER = /(?:\b(?:Invoke-Expression|iex)\b|\[scriptblock\]::Create)/i;

/** Splits text at top-level (parenthesis depth 0) separators: the pieces' [start, end) offsets. */
function splitTop(text: string, from: number, to: number, isSeparator: (i: number) => number): [number, number][] {
  const parts: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === "(" || c === "{") depth++;
    else if (c === ")" || c === "}") depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      const len = isSeparator(i);
      if (len > 0) {
        parts.push([start, i]);
        start = i + len;
        i += len - 1;
      }
    }
  }
  parts.push([start, to]);
  return parts;
}

/** Where a PowerShell script runs downloaded content, statement by statement. */
export function powershellDownloadRuns(text: string): PowerShellRun[] {
  const out: PowerShellRun[] = [];
  const statements = splitTop(text, 0, text.length, (i) => (text[i] === ";" || text[i] === "\n" ? 1 : 0));
  for (const [s, e] of statements) {
    const elements = splitTop(text, s, e, (i) => (text[i] === "|" && text[i + 1] !== "|" && text[i - 1] !== "|" ? 1 : 0));
    let downloaded: { start: number; word: string } | undefined;
    for (const [a, b] of elements) {
      const element = text.slice(a, b);
      const runner = RUNNER.exec(element);
      // `… | iex`: the element is the runner itself, fed by an earlier download in the pipeline.
      if (runner && downloaded && /^\s*$/.test(element.slice(0, runner.index))) {
        out.push({ start: downloaded.start, end: a + runner.index + runner[0].length, download: downloaded.word, runner: runner[0], piped: true });
        break;
      }
      // `iex (… DownloadString(…))`: the runner's argument is the download.
      if (runner) {
        const d = DOWNLOAD.exec(element.slice(runner.index + runner[0].length));
        if (d) {
          const dEnd = a + runner.index + runner[0].length + d.index + d[0].length;
          out.push({ start: a + runner.index, end: dEnd, download: d[0], runner: runner[0], piped: false });
          break;
        }
      }
      const d = DOWNLOAD.exec(element);
      if (d && !downloaded && !/-OutFile\b/i.test(element)) downloaded = { start: a + d.index, word: d[0] };
    }
  }
  return out;
}
