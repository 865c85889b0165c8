// Dockerfile selectors shared by the docker/* rules: instruction text with exact positions,
// ENV/ARG pairs, COPY/ADD sources, image references, and the commands a RUN executes
// (read by the shell reader in shell.ts).
import { pathMatcher } from "../glob.js";
import { credentialKind, isCredentialDirName } from "../secrets/index.js";
import type { DockerInstruction, DockerStage, DockerfileDoc, Region, SourceFile } from "../types.js";
import { VARIABLE } from "../parsers/dockerfile.js";
import { type Seg, offsetOf } from "./seg.js";
import { parseImageRef } from "./image.js";
import { expandArgs } from "../parsers/dockerfile.js";
import { imageUserOf, type ImageUser } from "./image-users.js";
import { type FoundCommand, type Pipeline, type ShellWord, allCommands, isShell, parseShell, programName, shellScriptArg, unwrapCommand } from "./shell.js";

/** Instructions with a keyword, ONBUILD triggers included (they run like the instruction they carry). */
export function instructions(doc: DockerfileDoc | DockerStage, keyword: string): DockerInstruction[] {
  return doc.instructions.filter((i) => i.keyword === keyword);
}

/**
 * `root`, `0`, `000`, `+0`, `-0`, `0:1000`, `root:wheel` are root; a variable reference is not known
 * to be. The runtime reads a numeric user with Go's strconv.Atoi (moby/sys user.GetExecUser), which
 * takes a sign and leading zeros, and treats any numeric user as a UID.
 */
export function isRootUser(spec: string): boolean {
  const user = spec.split(":")[0].trim();
  return user === "root" || /^[+-]?0+$/.test(user);
}

/** The last USER of a stage, whether it is root; undefined when the stage sets none. */
export function stageUser(stage: DockerStage): { user: string; root: boolean; instruction: DockerInstruction } | undefined {
  const users = stage.instructions.filter((i) => i.keyword === "USER" && !i.onbuild);
  const last = users[users.length - 1];
  if (!last) return undefined;
  const user = last.args[0] ?? "";
  return { user, root: isRootUser(user), instruction: last };
}

/** Who a stage's processes run as: its last USER, one inherited from the stage it is built FROM, or its base image's default user. */
export interface EffectiveUser {
  user: string;
  root: boolean;
  /** The USER instruction that decides it, when the Dockerfile writes one. */
  instruction?: DockerInstruction;
  /** The stage that holds that USER (an earlier stage when inherited through `FROM <stage>`), or whose base image decides. */
  stage: DockerStage;
  /** When no USER is written: the base image's default user, as data/image-users.json documents it. */
  image?: ImageUser & { name: string };
}

/**
 * The user a stage runs as: its own last USER; else, for `FROM <earlier stage>`, that stage's;
 * else the default user of its base image when the documented list knows it (a non-root user,
 * or root for an image whose entrypoint switches user). Undefined when nothing shows a user.
 */
export function effectiveUser(doc: DockerfileDoc, stage: DockerStage, buildArgs?: ReadonlyMap<string, string>): EffectiveUser | undefined {
  let s: DockerStage | undefined = stage;
  for (let hops = 0; s && hops <= doc.stages.length; hops++) {
    const own = stageUser(s);
    if (own) return { user: own.user, root: own.root, instruction: own.instruction, stage: s };
    const { stage: from, parent, image } = fromOf(doc, s, buildArgs);
    if (parent) {
      s = parent;
      continue;
    }
    const ref = image !== undefined ? parseImageRef(image) : undefined;
    const known = ref && imageUserOf(ref);
    if (!ref || !known) return undefined;
    const root = known.kind === "drops-privileges";
    return { user: root ? "root" : known.user, root, stage: from, image: { ...known, name: ref.raw } };
  }
  return undefined;
}

/** What a stage is built FROM: an earlier stage (`parent`), or an image (undefined when a build argument it needs is set nowhere). */
function fromOf(doc: DockerfileDoc, stage: DockerStage, buildArgs?: ReadonlyMap<string, string>): { stage: DockerStage; parent?: DockerStage; image?: string } {
  const image = buildArgs ? stageImageWith(doc, stage, buildArgs) : stage.resolvedImage;
  const name = (image ?? stage.image).toLowerCase();
  const parent = doc.stages.find((p) => p.index < stage.index && p.alias === name);
  return parent ? { stage, parent } : { stage, ...(image !== undefined ? { image } : {}) };
}

/** The first stage, following `FROM <earlier stage>`, that is built FROM an image, and that image (undefined when chosen at build time). */
export function baseStage(doc: DockerfileDoc, stage: DockerStage, buildArgs?: ReadonlyMap<string, string>): { stage: DockerStage; image?: string } {
  let from = fromOf(doc, stage, buildArgs);
  for (let hops = 0; from.parent && hops <= doc.stages.length; hops++) from = fromOf(doc, from.parent, buildArgs);
  return { stage: from.stage, ...(from.image !== undefined ? { image: from.image } : {}) };
}

/** A stage's image with build arguments (compose `build.args`, `--build-arg`) over the defaults of the ARGs before the first FROM. */
export function stageImageWith(doc: DockerfileDoc, stage: DockerStage, buildArgs: ReadonlyMap<string, string>): string | undefined {
  const firstFrom = doc.stages[0]?.from;
  const args = new Map<string, string | null>();
  for (const ins of doc.instructions) {
    if (ins === firstFrom) break;
    if (ins.keyword !== "ARG") continue;
    for (const a of ins.args) {
      const eq = a.indexOf("=");
      const name = eq === -1 ? a : a.slice(0, eq);
      args.set(name, buildArgs.get(name) ?? (eq === -1 ? null : a.slice(eq + 1).replace(/^(["'])(.*)\1$/, "$2")));
    }
  }
  return expandArgs(stage.image, args);
}

/** Whether an image name refers to an earlier stage of the same Dockerfile. */
export function isStageAlias(doc: DockerfileDoc, image: string, before: number): boolean {
  const name = image.toLowerCase();
  return doc.stages.some((s) => s.index < before && s.alias === name);
}

/** `RUN`, or `ONBUILD RUN` for a trigger: how messages name an instruction. */
export function keywordOf(ins: DockerInstruction): string {
  return ins.onbuild ? `ONBUILD ${ins.keyword}` : ins.keyword;
}

/** The region of the instruction's keyword itself (e.g. `ADD`). */
export function keywordRegion(ins: DockerInstruction): Region {
  const { startLine, startColumn } = ins.range;
  return { startLine, startColumn, endLine: startLine, endColumn: startColumn + ins.keyword.length };
}

/** A flag's value (`--from=build` → "build"), or undefined when the flag is absent. */
export function flagValue(ins: DockerInstruction, name: string): string | null | undefined {
  const f = ins.flags.find((x) => x.name.toLowerCase() === name);
  return f ? f.value : undefined;
}

/** The escape character from the `# escape=` parser directive (default backslash). */
export function escapeChar(doc: DockerfileDoc): string {
  let esc = escapeCache.get(doc);
  if (esc === undefined) {
    esc = "\\";
    const t = doc.file.text;
    let pos = 0;
    while (pos < t.length) {
      const nl = t.indexOf("\n", pos);
      const line = t.slice(pos, nl === -1 ? t.length : nl);
      const m = /^#\s*([a-zA-Z]+)\s*=\s*(\S*)$/.exec(line.trim());
      if (!m) break; // directives end at the first line that is not one
      if (m[1].toLowerCase() === "escape" && (m[2] === "`" || m[2] === "\\")) esc = m[2];
      if (nl === -1) break;
      pos = nl + 1;
    }
    escapeCache.set(doc, esc);
  }
  return esc;
}

const escapeCache = new WeakMap<DockerfileDoc, string>();
const textCache = new WeakMap<DockerInstruction, Seg>();
const pairsCache = new WeakMap<DockerInstruction, KeyValue[]>();
const runCache = new WeakMap<DockerInstruction, FoundCommand[]>();

/** Last line of an instruction's own text (for heredoc instructions: the line holding the markers). */
function headerEndLine(doc: DockerfileDoc, ins: DockerInstruction, esc: string): number {
  if (ins.heredocs.length === 0) return ins.range.endLine;
  let line = ins.range.startLine;
  while (line < ins.range.endLine && doc.file.line(line).trimEnd().endsWith(esc)) {
    line++;
    while (line < ins.range.endLine && /^\s*(#.*)?$/.test(doc.file.line(line))) line++;
  }
  return line;
}

/**
 * The instruction's arguments as written (after the keyword and its flags), with line
 * continuations and comment lines inside them removed, every character keeping its offset.
 * For heredoc instructions, only the header (`RUN python3 <<EOF`), not the bodies.
 */
export function instructionText(doc: DockerfileDoc, ins: DockerInstruction): Seg {
  let seg = textCache.get(ins);
  if (!seg) {
    seg = computeInstructionText(doc, ins);
    textCache.set(ins, seg);
  }
  return seg;
}

function computeInstructionText(doc: DockerfileDoc, ins: DockerInstruction): Seg {
  const file = doc.file;
  const esc = escapeChar(doc);
  let start = offsetOf(file, ins.range.startLine, ins.range.startColumn) + ins.keyword.length;
  const lastFlag = ins.flags[ins.flags.length - 1];
  if (lastFlag) start = Math.max(start, offsetOf(file, lastFlag.range.endLine, lastFlag.range.endColumn));
  const endLine = headerEndLine(doc, ins, esc);
  const end =
    endLine === ins.range.endLine
      ? offsetOf(file, ins.range.endLine, ins.range.endColumn)
      : offsetOf(file, endLine, file.line(endLine).length + 1);
  const t = file.text;
  let text = "";
  const at: number[] = [];
  let i = start;
  while (i < end) {
    const c = t[i];
    if (c === esc) {
      // escape + optional trailing whitespace + newline = continuation
      let j = i + 1;
      while (j < end && (t[j] === " " || t[j] === "\t" || t[j] === "\r")) j++;
      if (j < t.length && t[j] === "\n") {
        i = j + 1;
        // comment and empty lines inside a continued instruction are dropped
        for (;;) {
          const nl = t.indexOf("\n", i);
          const lineEnd = nl === -1 ? t.length : nl;
          if (i < end && /^\s*(#.*)?$/.test(t.slice(i, lineEnd)) && nl !== -1 && nl < end) i = nl + 1;
          else break;
        }
        continue;
      }
    }
    if (c === "\r" && t[i + 1] === "\n") {
      i++;
      continue;
    }
    text += c;
    at.push(i);
    i++;
  }
  // trim surrounding whitespace
  let a = 0;
  let b = text.length;
  while (a < b && /\s/.test(text[a])) a++;
  while (b > a && /\s/.test(text[b - 1])) b--;
  return { text: text.slice(a, b), at: at.slice(a, b), end: b > a ? at[b - 1] + 1 : end };
}

/** The bodies of an instruction's heredocs as positioned segments (in order). */
export function heredocSegs(doc: DockerfileDoc, ins: DockerInstruction): Seg[] {
  if (ins.heredocs.length === 0) return [];
  const file = doc.file;
  const esc = escapeChar(doc);
  const headerEnd = headerEndLine(doc, ins, esc);
  let from = offsetOf(file, headerEnd + 1, 1);
  const limit = offsetOf(file, ins.range.endLine, ins.range.endColumn);
  const segs: Seg[] = [];
  for (const body of ins.heredocs) {
    let pos = file.text.indexOf(body, from);
    if (pos === -1 || pos > limit) pos = from;
    const at = Array.from({ length: body.length }, (_, k) => pos + k);
    segs.push({ text: body, at, end: pos + body.length });
    from = pos + body.length;
  }
  return segs;
}

/** Whether the instruction is written in JSON (exec) form. */
export function isJsonForm(doc: DockerfileDoc, ins: DockerInstruction): boolean {
  const seg = instructionText(doc, ins);
  if (!seg.text.startsWith("[")) return false;
  try {
    const v: unknown = JSON.parse(seg.text);
    return Array.isArray(v) && v.every((x) => typeof x === "string");
  } catch {
    return false;
  }
}

/** A JSON-form argument as a segment (offsets approximate when the string holds escapes). */
export function jsonArgSeg(doc: DockerfileDoc, ins: DockerInstruction, k: number): Seg {
  const r = ins.argRanges[k];
  const value = ins.args[k] ?? "";
  const start = offsetOf(doc.file, r.startLine, r.startColumn) + 1;
  const end = offsetOf(doc.file, r.endLine, r.endColumn) - 1;
  const at = Array.from({ length: value.length }, (_, i) => Math.min(start + i, Math.max(start, end - 1)));
  return { text: value, at, end: Math.max(start, end) };
}

// ---------------------------------------------------------------------------------------------
// Dockerfile words (ENV/ARG/COPY/ADD/EXPOSE arguments): quotes removed, escapes honoured.

export interface DWord {
  /** The word with quotes removed. */
  value: Seg;
  /** Offsets of the word as written. */
  start: number;
  end: number;
  quoted: boolean;
}

/** Splits Dockerfile arguments on unquoted whitespace, removing quotes like Docker's word processing. */
export function dockerWords(seg: Seg, esc = "\\"): DWord[] {
  const words: DWord[] = [];
  const s = seg.text;
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    const startIdx = i;
    let text = "";
    const at: number[] = [];
    let quoted = false;
    while (i < s.length && !/\s/.test(s[i])) {
      const c = s[i];
      if (c === "'" || c === '"') {
        quoted = true;
        const q = c;
        i++;
        while (i < s.length && s[i] !== q) {
          if (q === '"' && s[i] === esc && i + 1 < s.length && (s[i + 1] === '"' || s[i + 1] === esc || s[i + 1] === "$")) i++;
          text += s[i];
          at.push(seg.at[i]);
          i++;
        }
        i++; // closing quote
        continue;
      }
      if (c === esc && i + 1 < s.length) {
        i++;
        text += s[i];
        at.push(seg.at[i]);
        i++;
        continue;
      }
      text += c;
      at.push(seg.at[i]);
      i++;
    }
    const endIdx = Math.min(i, s.length);
    const start = seg.at[startIdx];
    const end = seg.at[endIdx - 1] + 1;
    words.push({ value: { text, at, end }, start, end, quoted });
  }
  return words;
}

export interface KeyValue {
  name: string;
  /** undefined for `ARG NAME` without a default. */
  value: string | undefined;
  /** Region of the whole `NAME=value` (or legacy `NAME value`) pair. */
  region: Region;
  nameRegion: Region;
  /** `ENV NAME value` (the legacy form, one pair per instruction). */
  legacy: boolean;
}

/** The name/value pairs of an ENV or ARG instruction, each with its exact region. */
export function keyValuePairs(doc: DockerfileDoc, ins: DockerInstruction): KeyValue[] {
  let pairs = pairsCache.get(ins);
  if (!pairs) {
    pairs = computePairs(doc, ins);
    pairsCache.set(ins, pairs);
  }
  return pairs;
}

function computePairs(doc: DockerfileDoc, ins: DockerInstruction): KeyValue[] {
  const file = doc.file;
  const words = dockerWords(instructionText(doc, ins), escapeChar(doc));
  if (words.length === 0) return [];
  const pairs: KeyValue[] = [];
  const first = words[0].value.text;
  if (ins.keyword === "ENV" && !first.includes("=")) {
    // Legacy `ENV NAME value with spaces`: the rest of the line is the value.
    const last = words[words.length - 1];
    const value = words.length > 1 ? words.slice(1).map((w) => w.value.text).join(" ") : "";
    pairs.push({
      name: first,
      value,
      region: file.regionOf(words[0].start, last.end),
      nameRegion: file.regionOf(words[0].start, words[0].end),
      legacy: true,
    });
    return pairs;
  }
  for (const w of words) {
    const t = w.value.text;
    const eq = t.indexOf("=");
    const name = eq === -1 ? t : t.slice(0, eq);
    const nameEnd = eq === -1 ? w.end : (w.value.at[eq] ?? w.end);
    pairs.push({
      name,
      value: eq === -1 ? undefined : t.slice(eq + 1),
      region: file.regionOf(w.start, w.end),
      nameRegion: file.regionOf(w.start, nameEnd),
      legacy: false,
    });
  }
  return pairs;
}

/**
 * Variables known at an instruction: global ARG defaults (when re-declared in the stage),
 * ARG defaults and ENV values declared earlier in the same stage. Values are kept as written.
 */
export function variablesAt(doc: DockerfileDoc, ins: DockerInstruction): Map<string, string> {
  const vars = new Map<string, string>();
  const globals = new Map<string, string>();
  for (const i of doc.instructions) {
    if (i.keyword === "FROM") break;
    if (i.keyword === "ARG") for (const p of keyValuePairs(doc, i)) if (p.value !== undefined) globals.set(p.name, p.value);
  }
  const stage = doc.stages[ins.stage];
  if (!stage) return vars;
  for (const i of stage.instructions) {
    if (i === ins) break;
    if (i.onbuild) continue;
    if (i.keyword === "ARG") {
      for (const p of keyValuePairs(doc, i)) {
        const v = p.value ?? globals.get(p.name);
        if (v !== undefined) vars.set(p.name, v);
      }
    } else if (i.keyword === "ENV") {
      for (const p of keyValuePairs(doc, i)) if (p.value !== undefined) vars.set(p.name, p.value);
    }
  }
  return vars;
}

/** Expands `$VAR` / `${VAR}` / `${VAR:-x}` with known variables; undefined when one is unknown. */
export function expandWith(text: string, vars: Map<string, string>): string | undefined {
  let unresolved = false;
  const out = text.replace(VARIABLE, (_m, braced, op, word, bare) => {
    const value = vars.get((braced ?? bare) as string);
    if (op === "-") return value ? value : (word as string);
    if (op === "+") return value ? (word as string) : "";
    if (value === undefined) {
      unresolved = true;
      return "";
    }
    return value;
  });
  return unresolved ? undefined : out;
}

// ---------------------------------------------------------------------------------------------
// COPY / ADD

export interface CopySource {
  /** The source as written, quotes removed. */
  path: string;
  region: Region;
}

export interface CopyArgs {
  sources: CopySource[];
  dest: string | undefined;
  /** `--from=<stage|image>`, when copying from another stage or image rather than the build context. */
  from: string | undefined;
  /** Heredoc sources (`COPY <<EOF /dest`) are inline content, not files. */
  heredoc: boolean;
}

/** Sources and destination of a COPY or ADD (shell or JSON form), heredoc markers left out. */
export function copyArgs(doc: DockerfileDoc, ins: DockerInstruction): CopyArgs {
  const from = flagValue(ins, "from") ?? undefined;
  let items: { path: string; region: Region }[];
  if (isJsonForm(doc, ins)) {
    items = ins.args.map((a, k) => ({ path: a, region: ins.argRanges[k] }));
  } else {
    items = dockerWords(instructionText(doc, ins), escapeChar(doc)).map((w) => ({ path: w.value.text, region: doc.file.regionOf(w.start, w.end) }));
  }
  const heredoc = items.some((x) => /^<<-?/.test(x.path));
  items = items.filter((x) => !/^<<-?/.test(x.path));
  if (items.length === 0) return { sources: [], dest: undefined, from, heredoc };
  const dest = items[items.length - 1].path;
  return { sources: items.slice(0, -1), dest, from, heredoc };
}

/** URL sources (`https://…`, `git@…`): ADD fetches them. */
export function isRemoteSource(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || /^git@/.test(p);
}

/** Whether a path uses Docker's glob characters. */
export function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** A source path relative to the build context: `./a/` → `a`, `.` and `/` → "". */
export function normalizeSource(p: string): string {
  let s = p.replace(/\\/g, "/");
  s = s.replace(/^(\.\/|\/)+/, "");
  s = s.replace(/(?<!\/)\/+$/, "");
  if (s === ".") s = "";
  return s.replace(/(^|\/)\.(\/|$)/g, "$1");
}

/** Directories that are credential stores whatever their content (`.ssh`, `.aws`, a messaging data dir). */
const CREDENTIAL_DIRS = new Set([".ssh", ".gnupg", ".aws", ".kube", ".docker", ".azure", ".gcloud"]);

/**
 * What credential a COPY/ADD source names by itself, e.g. "dotenv file" for `.env`, "SSH
 * private key" for `/root/.ssh/id_rsa`, "credential directory" for `.ssh/`; for a glob, what
 * credential files it would match (`*.pem`, `.env*`, `id_*`). Undefined for anything else:
 * `*.json`, `.env.example`, `src/`, and `credentials/` or `secrets/` (common names for code too;
 * what such a directory really holds is docker/context-leaks-secrets' business).
 */
export function credentialSource(source: string): string | undefined {
  const n = normalizeSource(source);
  if (n === "") return undefined;
  const base = n.slice(n.lastIndexOf("/") + 1);
  if (!hasGlob(n)) {
    const kind = credentialKind(n);
    if (kind) return kind;
    if (CREDENTIAL_DIRS.has(base) || (isCredentialDirName(n) && base !== "credentials" && base !== "secrets")) return "credential directory";
    return undefined;
  }
  // A glob names credentials when it matches credential names and no ordinary file names:
  // `*.pem`, `.env*`, `id_*`, `*.tfstate` do; `*`, `*.json`, `config/*` do not.
  if (hasGlob(base)) {
    const isMatch = pathMatcher(base);
    const hit = CREDENTIAL_SAMPLES.find((name) => isMatch(name));
    if (!hit || ORDINARY_SAMPLES.some((name) => isMatch(name))) return undefined;
    return credentialKind(hit);
  }
  return credentialKind(base);
}

/** Names standing for the credential list, to test globs against. */
const CREDENTIAL_SAMPLES = [
  ".env", ".env.local", ".env.production", "id_rsa", "id_ecdsa", "id_ed25519", "server.pem", "server.key",
  "client.p12", "client.pfx", "keystore.jks", "credentials.json", "kubeconfig", ".npmrc", ".pypirc", ".netrc",
  ".git-credentials", "terraform.tfstate",
];

/** Names of ordinary files: a glob that matches one of them copies more than credentials. */
const ORDINARY_SAMPLES = [
  "app", "app.py", "main.go", "index.js", "package.json", "config.json", "settings.yaml", "app.conf", "README.md",
  "Dockerfile", "requirements.txt", "data.csv", "index.html", "logo.png", "Makefile", "go.mod", ".gitignore",
];

/** Files (relative to the context directory) that a COPY glob or path matches, Docker-style. */
export function matchSource(source: string, relFiles: string[]): string[] {
  const n = normalizeSource(source);
  if (!hasGlob(n)) return relFiles.filter((f) => f === n);
  const isMatch = pathMatcher(n);
  return relFiles.filter((f) => isMatch(f));
}

// ---------------------------------------------------------------------------------------------
// Image references

/** The scripts a RUN executes, parsed: shell form, exec form, and shell heredoc bodies. */
export function runPipelines(doc: DockerfileDoc, ins: DockerInstruction): Pipeline[] {
  if (ins.keyword !== "RUN") return [];
  if (ins.heredocs.length === 0 && isJsonForm(doc, ins)) {
    const words: ShellWord[] = ins.args.map((_, k) => {
      const seg = jsonArgSeg(doc, ins, k);
      const r = ins.argRanges[k];
      return {
        value: seg.text,
        at: seg.at,
        start: offsetOf(doc.file, r.startLine, r.startColumn),
        end: offsetOf(doc.file, r.endLine, r.endColumn),
        subs: [],
        procSub: false,
      };
    });
    return words.length > 0 ? [{ commands: [{ words, redirects: [] }] }] : [];
  }
  const header = parseShell(instructionText(doc, ins));
  const pipelines = [...header];
  if (ins.heredocs.length > 0) {
    // The bodies are shell scripts when the header runs none (`RUN <<EOF`) or runs a shell
    // reading its stdin (`RUN bash <<EOF`); `RUN python3 <<EOF` and `RUN cat <<EOF > f` are not.
    const cmds = header.flatMap((p) => p.commands).filter((c) => c.words.length > 0);
    const prog = cmds.length === 0 ? "" : programName(unwrapCommand(cmds[0]).words[0]);
    const shellBody = cmds.length === 0 || (cmds.length === 1 && isShell(prog) && !shellScriptArg(unwrapCommand(cmds[0]).words));
    if (shellBody) {
      for (const body of heredocSegs(doc, ins)) {
        const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(body.text);
        if (shebang) {
          const interp = shebang[1].slice(shebang[1].lastIndexOf("/") + 1);
          const real = interp === "env" ? (shebang[2] ?? "") : interp;
          if (!isShell(real)) continue;
        }
        pipelines.push(...parseShell(body));
      }
    }
  }
  return pipelines;
}

/** Every command a RUN executes (see allCommands). */
export function runCommands(doc: DockerfileDoc, ins: DockerInstruction): FoundCommand[] {
  let found = runCache.get(ins);
  if (!found) {
    found = allCommands(runPipelines(doc, ins));
    runCache.set(ins, found);
  }
  return found;
}
