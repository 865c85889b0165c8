// Selectors shared by the repo/* rules: path helpers, the file modes the workspace recorded,
// the `.env` files that compose files and Dockerfiles read, and a scanner for `NAME = value`
// assignments in text files. What counts as a secret, a credential or a `.env` name is decided
// by src/secrets, never here.
import type { DiskEntry } from "../discover/discover.js";
import type { SourceFile } from "../types.js";
import { joinPosix, posixDir, type Workspace } from "../workspace/workspace.js";
import { asMap, asSeq, scalarString } from "../parsers/yaml.js";
// TEMP: until src/secrets lands.
function isDotenvName(name: string): boolean {
  return name === ".env" || name.startsWith(".env.");
}
function isDotenvExample(name: string): boolean {
  return /^\.env\.(?:example|sample|template|dist)$/i.test(name);
}
export function maskSecret(v: string): string {
  return `${v.slice(0, 4)}…(${v.length})`;
}

export { joinPosix, posixDir };

/** The last path segment. */
export function baseName(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

/** `.env`, `.env.local`, … but not the committed-by-design examples (`.env.example` …). */
export function isRealDotenv(p: string): boolean {
  const name = baseName(p);
  return isDotenvName(name) && !isDotenvExample(name);
}

// ---- file modes (recorded by discovery; rules never stat the disk) ----

const modeIndex = new WeakMap<Workspace, { files: Map<string, number>; dirs: DiskEntry[] }>();

function modes(ws: Workspace): { files: Map<string, number>; dirs: DiskEntry[] } {
  let m = modeIndex.get(ws);
  if (!m) {
    m = { files: new Map(ws.onDisk.map((e) => [e.path, e.mode])), dirs: [...ws.dirs].sort((a, b) => (a.path < b.path ? -1 : 1)) };
    modeIndex.set(ws, m);
  }
  return m;
}

/** The permission bits of a file on disk (relative path), if discovery saw it. */
export function fileMode(ws: Workspace, relPath: string): number | undefined {
  return modes(ws).files.get(relPath);
}

/** Directories on disk with their modes, sorted by path. */
export function dirsOnDisk(ws: Workspace): DiskEntry[] {
  return modes(ws).dirs;
}

/** `0644`-style rendering of permission bits. */
export function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}

/** Whether `dir` (relative, "." for the base) contains `p`. */
export function isUnder(p: string, dir: string): boolean {
  return dir === "." || p.startsWith(`${dir}/`);
}

// ---- `.env` files that compose files and Dockerfiles read ----

export interface DotenvReference {
  /** The `.env` path the reference resolves to, relative to the base. */
  path: string;
  /** The file that reads it. */
  by: string;
  /** How: `env_file`, `variable interpolation`, `COPY`/`ADD`. */
  how: string;
}

const INTERPOLATION = /\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:?+-][^}]*)?\}|\$[A-Za-z_][A-Za-z0-9_]*/;

const refIndex = new WeakMap<Workspace, DotenvReference[]>();

/**
 * The `.env` files the scanned compose files and Dockerfiles read: a compose file's `env_file`
 * entries, the `.env` beside a compose file that interpolates `${VAR}` (compose reads it
 * implicitly), and `.env` files named by a Dockerfile's COPY/ADD sources.
 */
export function dotenvReferences(ws: Workspace): DotenvReference[] {
  const cached = refIndex.get(ws);
  if (cached) return cached;
  const refs: DotenvReference[] = [];
  const add = (path: string, by: string, how: string) => {
    if (isRealDotenv(path) && !refs.some((r) => r.path === path && r.by === by && r.how === how)) refs.push({ path, by, how });
  };
  for (const compose of ws.composeDocs) {
    const dir = posixDir(compose.file.path);
    for (const service of compose.services) {
      const envFile = service.node.get("env_file");
      const items = asSeq(envFile)?.items ?? (envFile ? [envFile] : []);
      for (const item of items) {
        const p = scalarString(item) ?? scalarString(asMap(item)?.get("path"));
        if (p && !INTERPOLATION.test(p)) add(joinPosix(dir, p), compose.file.path, "env_file");
      }
    }
    if (INTERPOLATION.test(compose.file.text.replace(/\$\$/g, ""))) add(joinPosix(dir, ".env"), compose.file.path, "variable interpolation");
  }
  for (const doc of ws.dockerfiles) {
    const contexts = ws.buildContextsOf(doc).map((c) => c.dir);
    for (const ins of doc.instructions) {
      if (ins.keyword !== "COPY" && ins.keyword !== "ADD") continue;
      if (ins.flags.some((f) => f.name === "from")) continue; // from another stage or image
      for (const src of ins.args.slice(0, -1)) {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(src)) continue;
        for (const c of contexts) add(joinPosix(c, src), doc.file.path, ins.keyword);
      }
    }
  }
  refIndex.set(ws, refs);
  return refs;
}

// ---- `NAME = value` assignments in text ----

export interface Assignment {
  name: string;
  value: string;
  /** Whether the value was a quoted string. */
  quoted: boolean;
  /** Offset of the name (or its opening quote). */
  nameStart: number;
  /** Offsets of the value in the text (without its quotes). */
  valueStart: number;
  valueEnd: number;
}

// name (bare, or quoted as in JSON / dict literals), an optional type annotation when `=` follows
// (`apiKey: string = "…"`, `API_KEY: &str = "…"`), an operator, then a quoted or bare value.
const NAME = /(?<![\w$.])(?:(["'`])([A-Za-z_][\w.-]{0,127})\1|([A-Za-z_][\w.-]{0,127}))/.source;
const TYPE = /(?:[ \t]*:[ \t]*[&*]?[A-Za-z_][\w.<>[\]]*(?:[ \t]*\|[ \t]*[A-Za-z_][\w.<>[\]]*)*(?=[ \t]*=(?!=)))?/.source;
const OPERATOR = /[ \t]*(?::=|=>|\?\?=|\|\|=|=(?![=>~])|:(?![:/\\]))[ \t]*/.source;
// (a string: as a regex literal of its own, the backreference to group 4 would not type-check)
const VALUE = "(?:([\"'`])((?:\\\\.|(?!\\4)[^\\\\\\r\\n]){1,1024})\\4|([^\\s\"'`,;#)\\]}][^\\s\"'`,;)\\]}]{0,1023}))";
const ASSIGNMENT = new RegExp(NAME + TYPE + OPERATOR + VALUE, "g");

/**
 * Assignments of a literal value to a name, line by line: `NAME = "value"`, `NAME := "value"`,
 * `name: value` (YAML), `NAME=value` (shell, .env), `"name": "value"` (JSON, dicts),
 * `'name' => 'value'` (PHP, Ruby). Values are the quoted string's content or a bare word.
 */
export function* assignments(text: string): Generator<Assignment> {
  const re = new RegExp(ASSIGNMENT);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = m[2] ?? m[3];
    const quoted = m[5] !== undefined;
    const value = quoted ? m[5] : m[6];
    const end = m.index + m[0].length;
    const valueEnd = quoted ? end - 1 : end;
    yield { name, value, quoted, nameStart: m.index, valueStart: valueEnd - value.length, valueEnd };
  }
}

// ---- source code ----

const SOURCE_EXTENSIONS = new Set(
  "py pyw js mjs cjs jsx ts mts cts tsx go rb java kt kts scala groovy php cs fs vb rs swift m mm c h cc cpp cxx hpp dart lua pl pm r jl ex exs erl clj cljs hs ml elm sh bash zsh ksh fish ps1 psm1 bat cmd vue svelte".split(
    " ",
  ),
);

/** Source code, by extension (documentation, `.env`, YAML and JSON are not source code). */
export function isSourceCode(p: string): boolean {
  const name = baseName(p).toLowerCase();
  const dot = name.lastIndexOf(".");
  return dot > 0 && SOURCE_EXTENSIONS.has(name.slice(dot + 1));
}

/** Whether the text before an offset on its line is a comment (`#`, `//`, `/*`, `*`, `--`, `;`, `REM`). */
export function inLineComment(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^\s*(?:#|\/\/|\/\*|\*|--|;|rem\s)/i.test(before) || /(?:^|\s)(?:#|\/\/)\s/.test(before);
}

/** Words of an identifier: `_`, `-`, `.`, spaces and camelCase split, lower-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const PHONE_WORDS = new Set(
  "phone phones number numbers num nr msisdn mobile cell cellphone tel telephone account acct sender senders recipient recipients receiver caller callee from to whatsapp sms user username login owner admin contact".split(" "),
);

/** A name that holds an account, phone, sender or recipient number (`phone_number`, `SIGNAL_ACCOUNT`, `from_`, `recipientNumber`). */
export function isPhoneLikeName(name: string): boolean {
  return nameWords(name).some((w) => PHONE_WORDS.has(w));
}

/** An E.164 phone number: `+`, then 8 to 15 digits, the first not 0. */
export const E164 = /^\+[1-9]\d{7,14}$/;

/** Lockfiles, minified bundles, source maps: generated text where high-entropy strings are hashes. */
export function isGeneratedText(file: SourceFile): boolean {
  const name = baseName(file.path).toLowerCase();
  if (
    /(?:^|[.-])lock(?:\.json|\.ya?ml)?$/.test(name) ||
    /\.lock$/.test(name) ||
    name === "go.sum" ||
    name === "package-lock.json" ||
    name === "npm-shrinkwrap.json" ||
    name === "pnpm-lock.yaml" ||
    name === "yarn.lock" ||
    /\.min\.(?:js|css|mjs)$/.test(name) ||
    /\.(?:map|svg|snap)$/.test(name)
  )
    return true;
  // A bundle: very long lines throughout.
  const text = file.text;
  if (text.length > 20000) {
    const lines = text.split("\n", 200);
    const long = lines.filter((l) => l.length > 1000).length;
    if (long > 0 && long * 4 >= lines.length) return true;
  }
  return false;
}
