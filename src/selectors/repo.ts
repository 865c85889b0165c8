// Selectors shared by the repo/* rules: path helpers, the file modes the workspace recorded,
// the `.env` files that compose files and Dockerfiles read, and a scanner for `NAME = value`
// assignments in text files. What counts as a secret, a credential or a `.env` name is decided
// by src/secrets, never here.
import type { DockerfileDoc, SourceFile } from "../types.js";
import type { Workspace } from "../workspace/workspace.js";
import { joinPosix, posixDir } from "../workspace/paths.js";
import { asMap, asSeq, scalarString } from "../parsers/yaml.js";
import { credentialKind, findPrivateKeys, isDotenvExample, isDotenvName, isLiteralSecretValue, nameWords, secretsInText } from "../secrets/index.js";

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

// ---- committed files: what the messages say, in a git work tree and outside one ----

/** How a file that "counts as committed" is described: tracked by git, or (outside a git work tree) not ignored. */
export function committedState(ws: Workspace): string {
  return ws.inGitRepo ? "is committed to git" : "is not ignored by .gitignore, so it will be committed";
}

/**
 * How a file leaves the repository: in a git work tree, out of the index and ignored, and what it
 * held rotated (it stays in the history); outside one nothing has been committed, so ignoring it
 * before the first commit is the whole fix (advice never names `git rm --cached` there).
 */
export function removalAdvice(ws: Workspace, path: string, rotate: string): string {
  return ws.inGitRepo ? `run \`git rm --cached ${path}\`, add it to .gitignore and rotate ${rotate}` : `add it to .gitignore before the first commit`;
}

// ---- file modes (recorded by discovery; rules never stat the disk) ----

const modeIndex = new WeakMap<Workspace, Map<string, number>>();

/** The permission bits of a file on disk (relative path), if discovery saw it. */
export function fileMode(ws: Workspace, relPath: string): number | undefined {
  let modes = modeIndex.get(ws);
  if (!modes) {
    modes = new Map(ws.onDisk.map((e) => [e.path, e.mode]));
    modeIndex.set(ws, modes);
  }
  return modes.get(relPath);
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

// (A default never runs past a nested `${`, which keeps this linear: see BRACED_REFERENCE.)
const INTERPOLATION = /\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:?+-](?:[^$}]|\$(?!\{))*)?\}|\$[A-Za-z_][A-Za-z0-9_]*/;

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
    for (const c of doc.dotenvCopies) add(c.path, doc.path, c.how);
  }
  refIndex.set(ws, refs);
  return refs;
}

/**
 * The `.env` files a Dockerfile's COPY/ADD sources name in its build contexts (directories
 * relative to the base): what the workspace index keeps of a Dockerfile for dotenvReferences.
 */
export function dotenvCopies(doc: DockerfileDoc, contextDirs: string[]): { path: string; how: string }[] {
  const out: { path: string; how: string }[] = [];
  for (const ins of doc.instructions) {
    if (ins.keyword !== "COPY" && ins.keyword !== "ADD") continue;
    if (ins.flags.some((f) => f.name === "from")) continue; // from another stage or image
    for (const src of ins.args.slice(0, -1)) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(src)) continue;
      for (const c of contextDirs) {
        const path = joinPosix(c, src);
        if (isRealDotenv(path) && !out.some((r) => r.path === path && r.how === ins.keyword)) out.push({ path, how: ins.keyword });
      }
    }
  }
  return out;
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
const VALUE = "(?:([\"'`])((?:\\\\.|(?!\\4)[^\\\\\\r\\n]){1,1024})\\4|((?![#{])(?:\\$\\{[^}\\r\\n]{0,256}\\}|[^\\s\"'`,;)\\]}]){1,1024}))";
const ASSIGNMENT = new RegExp(NAME + TYPE + OPERATOR + VALUE, "g");

/**
 * Assignments of a literal value to a name, line by line: `NAME = "value"`, `NAME := "value"`,
 * `name: value` (YAML), `NAME=value` (shell, .env), `"name": "value"` (JSON, dicts),
 * `'name' => 'value'` (PHP, Ruby). Values are the quoted string's content or a bare word.
 * With `lineFilter`, only lines it matches are scanned (a cheap prefilter: the full pattern
 * costs about 60 ms per MB of text).
 */
export function assignments(text: string, lineFilter?: RegExp): Assignment[] {
  // Built whole, so that one instance of each pattern serves every call (a generator would keep
  // it across yields), instead of a copy of the assignment pattern and of the filter per file.
  const out: Assignment[] = [];
  const re = ASSIGNMENT;
  if (!lineFilter) {
    matchesIn(text, re, 0, out);
    return out;
  }
  // Find the filter's next match, scan its whole line, continue after that line.
  const flags = `g${lineFilter.flags.replace(/[gmy]/g, "")}`;
  const key = `${flags}/${lineFilter.source}`;
  let hint = hints.get(key);
  if (!hint) {
    if (hints.size >= 64) hints.clear();
    hints.set(key, (hint = new RegExp(lineFilter.source, flags)));
  }
  hint.lastIndex = 0;
  for (let h = hint.exec(text); h; h = hint.exec(text)) {
    const start = text.lastIndexOf("\n", h.index) + 1;
    let end = text.indexOf("\n", h.index + h[0].length);
    if (end === -1) end = text.length;
    matchesIn(text.slice(start, end), re, start, out);
    hint.lastIndex = end + 1;
  }
  return out;
}

/** The global copy of each line filter `assignments` was given, by flags and source (a regex literal in a function body is a new object per call). */
const hints = new Map<string, RegExp>();

function matchesIn(text: string, re: RegExp, offset: number, out: Assignment[]): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = m[2] ?? m[3];
    const quoted = m[5] !== undefined;
    const value = quoted ? m[5] : m[6];
    const end = offset + m.index + m[0].length;
    const valueEnd = quoted ? end - 1 : end;
    out.push({ name, value, quoted, nameStart: offset + m.index, valueStart: valueEnd - value.length, valueEnd });
  }
}

/**
 * Lines that can hold a secret-looking name: a superset of the words `isSecretName` knows
 * (PASSWORD, PASSWD, PASS…, SECRET, TOKEN, CREDENTIAL, APIKEY, AUTH, …KEY, …PWD), used only
 * to skip lines cheaply before the assignment pattern runs.
 */
export const SECRET_NAME_HINT = /pass|secret|token|credential|key|auth|pwd/i;

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

/**
 * A format-string placeholder that program source fills in at run time: `{password}`,
 * `{0}`, `#{pass}` (Ruby), `%s`, `%(password)s` (Python), `{{ .Pass }}`. Shell and compose
 * references (`${VAR}`, `$VAR`) are the toolkit's `isReference`.
 */
export function isFormatPlaceholder(value: string): boolean {
  return /^(?:#?\{[^{}]*\}|\{\{[^{}]*\}\}|%(?:\([A-Za-z_]\w*\))?[sdr]|:[A-Za-z_]\w*)$/.test(value.trim());
}

/** Shell and batch scripts, where `NAME=value` assigns a literal even without quotes. */
export function isShellScript(p: string): boolean {
  return /\.(?:sh|bash|zsh|ksh|fish|ps1|psm1|bat|cmd)$/i.test(p);
}

/** Whether the text before an offset on its line is a comment (`#`, `//`, `/*`, `*`, `--`, `;`, `REM`). */
export function inLineComment(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^\s*(?:#|\/\/|\/\*|\*|--|;|rem\s)/i.test(before) || /(?:^|\s)(?:#|\/\/)\s/.test(before);
}

const PHONE_WORDS = new Set(
  "PHONE PHONES NUMBER NUMBERS NUM NR MSISDN MOBILE CELL CELLPHONE TEL TELEPHONE ACCOUNT ACCT SENDER SENDERS RECIPIENT RECIPIENTS RECEIVER CALLER CALLEE FROM TO WHATSAPP SMS USER USERNAME LOGIN OWNER ADMIN CONTACT".split(" "),
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

// ---- credential files, by name and, where the name alone says little, by content ----

export interface CredentialFile {
  /** What it is: "SSH private key", "npm credentials (.npmrc)", … */
  kind: string;
  /** Offsets of the evidence (the private-key block, the token line), when the content decides. */
  evidence?: [number, number];
}

/** A PEM private-key block with a body of plausible length (a certificate, a public key, an empty or truncated block is not one). */
export function privateKeyBlock(text: string): [number, number] | undefined {
  const [key] = findPrivateKeys(text);
  return key ? [key.start, key.end] : undefined;
}

// `.npmrc` auth settings and `.pypirc`/`.netrc`-style passwords holding a literal: the setting's
// name, then the rest of its line (read by the functions below: a pattern that also excludes
// quotes and trailing blanks, `("?)([^\r\n"]*)\2[ \t]*$`, backtracks quadratically over blanks).
const NPMRC_AUTH = /^[ \t]*(?:\/\/[^\s=]*:)?(?:_authToken|_auth|_password|password)[ \t]*=([^\r\n]*)/gm;
const PYPIRC_AUTH = /^[ \t]*(?:password|token)[ \t]*[:=]([^\r\n]*)/gm;

/** An .npmrc value: blanks around it and its double quotes removed; none when a quote is unbalanced. */
function npmrcValue(rest: string): string | undefined {
  const v = rest.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"') && v.indexOf('"', 1) === v.length - 1) return v.slice(1, -1);
  return v.includes('"') ? undefined : v;
}

/** Offsets of the first literal value of a setting `re` finds (its group 1: the rest of the line), as `valueOf` reads it. */
function literalSetting(text: string, re: RegExp, valueOf: (rest: string) => string | undefined): [number, number] | undefined {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const value = valueOf(m[1]);
    if (value === undefined || !isLiteralSecretValue(value)) continue;
    const restStart = m.index + m[0].length - m[1].length;
    const start = restStart + m[1].indexOf(value);
    return [start, start + value.length];
  }
  return undefined;
}

/** Names whose content decides whether the file holds a credential (see credentialFile). */
function contentDecides(name: string): boolean {
  return name.endsWith(".pem") || name === ".npmrc" || name === ".pypirc" || name === "credentials.json";
}

/**
 * A credential file told by its name alone (for a file that was not read: a binary keystore, a
 * large Terraform state): the kind, or undefined when the name says nothing or the content would
 * decide (`.pem`, `.npmrc`, `.pypirc`, `credentials.json`).
 */
export function credentialFileByName(relPath: string): string | undefined {
  const kind = credentialKind(relPath);
  return kind && !contentDecides(baseName(relPath).toLowerCase()) ? kind : undefined;
}

/**
 * Whether a scanned file is a credential file (SPEC "Credential names") that must never be
 * committed: the shared name list (`credentialKind`), narrowed by content where the name alone
 * says little — a `.pem` only with a private-key block, `.npmrc`/`.pypirc` only with a literal
 * token or password, `credentials.json` only as a service-account key with `private_key`.
 * `.env` files are included (kind "dotenv file"); the rules about committing them are the
 * dotenv rules.
 */
export function credentialFile(file: SourceFile): CredentialFile | undefined {
  const kind = credentialKind(file.path);
  if (!kind) return undefined;
  const name = baseName(file.path).toLowerCase();
  const text = file.text;
  if (name.endsWith(".pem")) {
    const block = privateKeyBlock(text);
    return block ? { kind: "PEM private key", evidence: block } : undefined;
  }
  if (name === ".npmrc") {
    const at = literalSetting(text, NPMRC_AUTH, npmrcValue);
    return at ? { kind, evidence: at } : undefined;
  }
  if (name === ".pypirc") {
    const at = literalSetting(text, PYPIRC_AUTH, (rest) => rest.trim());
    return at ? { kind, evidence: at } : undefined;
  }
  if (name === "credentials.json") {
    if (!/"type"\s*:\s*"service_account"/.test(text)) return undefined;
    const m = /"private_key"\s*:\s*"(-----BEGIN[^"]{64,})"/.exec(text);
    if (!m) return undefined;
    const start = m.index + m[0].indexOf(m[1]);
    return { kind: "GCP service-account key", evidence: [start, start + m[1].length] };
  }
  const block = privateKeyBlock(text);
  if (block) return { kind, evidence: block };
  // Nothing to leak: an empty file (a test fixture's 0-byte `tls.key`), public material or an
  // empty or truncated PEM block (`-----BEGIN PRIVATE KEY-----` and no body).
  if (text.trim() === "" || text.includes("-----BEGIN")) return undefined;
  // A kubeconfig is a credential through its users: a token, a password, a client key.
  if (kind === "kubeconfig" && secretsInText(text, () => false).length === 0) return undefined;
  return { kind };
}
