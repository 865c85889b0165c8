// Scanned text that a message quotes (a command's words, a name, a value, a path) goes through
// quote() on its way into a report: every part that looks like a secret is masked the way the
// secret rules mask what they find (maskSecret: at most 4 characters and the length), and long
// text is cut. The engine runs redactSecrets once more over every finding's message, logical
// location, path and suppression reason before the result leaves lint(), so text a rule shows
// without quote() is masked all the same.
//
// What counts as secret-looking here is deliberately wider than what the secret rules report:
// masking a word too many costs a message some readability, printing a password costs the
// password. Every scan below is linear in the length of the text.
import { boundedMemo } from "../memo.js";
import { PEM_BEGIN } from "./extra-patterns.js";
import { maskSecret } from "./mask.js";
import { isSecretName, nameWords } from "./names.js";
import { urlPasswords } from "./urls.js";
import { isLiteralSecretValue } from "./values.js";
import { TOKEN_START } from "./tokens.js";

/** Longest text quote() shows whole, in characters: longer than any real name, image or path. */
export const QUOTE_MAX = 256;

/** quote() masks a window this much wider than what it shows, so a secret across the cut is masked whole. */
const WINDOW_SLACK = 1024;

/**
 * `text` as a message may show it: secret-looking parts masked (see redactSecrets), and text
 * longer than `max` characters cut to its first `max`, followed by `…(N chars)`. Adds no
 * quotation marks.
 */
export function quote(text: string, max = QUOTE_MAX): string {
  if (max === QUOTE_MAX && text.length <= QUOTE_MAX) return memoized(text);
  const whole = text.length <= max + WINDOW_SLACK;
  const shown = redactSecrets(whole ? text : text.slice(0, max + WINDOW_SLACK));
  if (whole && shown.length <= max) return shown;
  const cut = shown.slice(0, /[\uD800-\uDBFF]/.test(shown[max - 1] ?? "") ? max - 1 : max); // never half a surrogate pair
  return `${cut}…(${text.length} chars)`;
}

/** Names (keys, variables: never values) for a message, each quoted: at most five, then how many more. */
export function keyList(names: string[]): string {
  const shown = names.slice(0, 5).map((n) => quote(n)).join(", ");
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/**
 * Short quotes by text: the same names and images are quoted for every finding about them
 * (labels are built per container and per rule).
 */
const memoized = boundedMemo((text) => redactSecrets(text));

/**
 * `text` with every secret-looking part masked: known token formats, private-key bodies,
 * passwords in URLs, credentials given to a command (`-p<password>`, `--password=…`,
 * `--token …`, `-u user:password`, `Authorization: Bearer …`) and literal values assigned to
 * secret-looking names (`PASSWORD=…`, `api_key: …`, `"token": "…"`).
 */
export function redactSecrets(text: string): string {
  if (text.length < 4) return text;
  const spans: Span[] = [];
  tokenSpans(text, spans);
  privateKeySpans(text, spans);
  for (const u of urlPasswords(text)) spans.push([u.start, u.end]);
  optionSpans(text, spans);
  httpAuthSpans(text, spans);
  assignmentSpans(text, spans);
  return spans.length === 0 ? text : masked(text, spans);
}

/** [start, end) offsets of a part to mask. */
type Span = [number, number];

/** Replaces each span (merged where they overlap) by its mask; text already masked (`…`) stays. */
function masked(text: string, spans: Span[]): string {
  spans.sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  for (let i = 0; i < spans.length; i++) {
    let [start, end] = spans[i]!;
    while (i + 1 < spans.length && spans[i + 1]![0] < end) end = Math.max(end, spans[++i]![1]);
    start = Math.max(start, at);
    if (end <= start) continue;
    const part = text.slice(start, end);
    out += text.slice(at, start) + (part.includes("…") ? part : maskSecret(part));
    at = end;
  }
  return out + text.slice(at);
}

// ---- known token formats ----

/** Shortest run of token characters that is masked as a token (every known format is longer). */
const MIN_TOKEN = 20;
const isTokenChar = (c: string) => /[A-Za-z0-9_.-]/.test(c);
/** To the right a token may also hold base64 and URL-path characters (a webhook's path, padding). */
const isTokenTail = (c: string) => /[A-Za-z0-9_.+/=-]/.test(c);
/**
 * A run of at least MIN_TOKEN characters a token can be made of: every token lies in one. The
 * token formats are looked for only there, which spares prose (most of a message) their
 * thirty-odd prefixes. Anchored at the run's start, so a run is read once.
 */
const LONG_RUN = new RegExp(String.raw`(?<![A-Za-z0-9_.+/=-])[A-Za-z0-9_.+/=-]{${MIN_TOKEN},}`, "g");

// The scanners below share one instance of each global pattern and reset its lastIndex on entry:
// a copy per call (`new RegExp(TOKEN_START)`, ~1,000 characters of source, looked up in V8's
// regexp cache each time) was half of redactSecrets' time (68,509 messages, paths and logical
// locations of the benchmark's and three repositories' findings: 199 → 95 ms). Safe because they
// are synchronous and never re-entered: what they call (names, values, URLs, placeholders) does
// not call back into this module.
const TOKEN_START_G = new RegExp(TOKEN_START.source, "g");

function tokenSpans(text: string, spans: Span[]): void {
  const runs = LONG_RUN;
  runs.lastIndex = 0;
  const re = TOKEN_START_G;
  for (let run = runs.exec(text); run; run = runs.exec(text)) {
    const from = run.index;
    const part = run[0];
    re.lastIndex = 0;
    for (let m = re.exec(part); m; m = re.exec(part)) {
      let start = m.index;
      let end = m.index + m[0].length;
      while (start > 0 && isTokenChar(part[start - 1]!)) start--;
      while (end < part.length && isTokenTail(part[end]!)) end++;
      if (end - start >= MIN_TOKEN) spans.push([from + start, from + end]);
      re.lastIndex = end; // each character is read once
    }
  }
}

/** A private key's body: from its BEGIN line to the END line, or to the end of the text. */
function privateKeySpans(text: string, spans: Span[]): void {
  if (!text.includes("PRIVATE KEY")) return;
  const re = new RegExp(PEM_BEGIN);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf("-----END", start);
    spans.push([start, end < 0 ? text.length : end]);
    if (end < 0) return;
    re.lastIndex = end;
  }
}

// ---- credentials on a command line ----

/**
 * An option: `-p…`, `-u`, `--password`, `--token` … at the start of a shell word, or of a path
 * segment or name part (`/-p<password>`, `.env.-p<password>`): not inside a word (`my-pretty-app`).
 */
const OPTION = /(?<![\w-])--?[A-Za-z][\w-]*/g;
/** HTTP credentials in a header: `Authorization: Bearer <token>`, `Basic <base64>`. */
const HTTP_AUTH = /\b(?:Bearer|Basic)[ \t]+/g;
/** A port mapping or number after `-p` (`docker run -p8080:80`, `ssh -p2222`), not a password. */
const PORTS = /^[\d.:[\]]+(?:\/[a-z]+)?$/;
/** Long options whose next word is the secret (`--password hunter2`); `--password-stdin` is not one. */
const SECRET_OPTION_WORDS = new Set(["PASSWORD", "PASSWD", "PASS", "PASSPHRASE", "TOKEN", "SECRET", "KEY", "APIKEY", "CREDENTIAL", "CREDENTIALS"]);
/** Commands whose `-p <word>` is a password (`docker login -p`, `sshpass -p`). */
const PASSWORD_P = /\b(?:login|sshpass)\b/;

function optionSpans(text: string, spans: Span[]): void {
  if (!text.includes("-")) return;
  const re = OPTION;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const option = m[0];
    const after = m.index + option.length;
    if (option.startsWith("--")) {
      const name = option.slice(2);
      const words = nameWords(name);
      const last = words[words.length - 1] ?? "";
      if (text[after] === "=") {
        if (name.toLowerCase() === "user") secretAfterColon(text, after + 1, spans);
        else if (isSecretName(name)) literalWord(text, after + 1, spans);
      } else if (isSecretName(name) && SECRET_OPTION_WORDS.has(last)) literalWord(text, skipBlanks(text, after), spans);
      else if (name.toLowerCase() === "user") secretAfterColon(text, skipBlanks(text, after), spans);
    } else if (option.startsWith("-p") && option.length > 2) {
      // `mysql -p<password>`: the value is attached, up to the end of the word.
      const end = wordEnd(text, m.index + 2);
      const value = text.slice(m.index + 2, end);
      if (value.length >= 4 && !PORTS.test(value) && isLiteralSecretValue(value)) spans.push([m.index + 2, end]);
      re.lastIndex = end;
    } else if (option === "-p" && PASSWORD_P.test(lineBefore(text, m.index))) {
      literalWord(text, skipBlanks(text, after), spans);
    } else if (option.startsWith("-u")) {
      secretAfterColon(text, option.length > 2 ? m.index + 2 : skipBlanks(text, after), spans);
    }
  }
}

function httpAuthSpans(text: string, spans: Span[]): void {
  const re = HTTP_AUTH;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = wordEnd(text, start);
    // A credential, not a word of prose ("Basic authentication"): 8 characters or more, not only letters.
    if (end - start >= 8 && /[^A-Za-z]/.test(text.slice(start, end))) spans.push([start, end]);
    re.lastIndex = end;
  }
}

/** The text before `at` on its line, at most 80 characters of it. */
function lineBefore(text: string, at: number): string {
  const from = Math.max(0, at - 80);
  const before = text.slice(from, at);
  return before.slice(before.lastIndexOf("\n") + 1);
}

function skipBlanks(text: string, at: number): number {
  while (at < text.length && (text[at] === " " || text[at] === "\t")) at++;
  return at;
}

/** End of the shell word (or quoted string) starting at `at`. */
function wordEnd(text: string, at: number): number {
  const q = text[at];
  if (q === '"' || q === "'" || q === "`") {
    const close = text.indexOf(q, at + 1);
    return close < 0 ? text.length : close + 1;
  }
  let end = at;
  while (end < text.length && !/[\s"'`;|&)]/.test(text[end]!)) end++;
  return end;
}

/** Masks the word at `at` (inside its quotes, if quoted) when it is a literal, not `-x`, `$VAR` or a path. */
function literalWord(text: string, at: number, spans: Span[]): void {
  const end = wordEnd(text, at);
  const quoted = /["'`]/.test(text[at] ?? "") && end - at >= 2 && text[end - 1] === text[at];
  const [start, stop] = quoted ? [at + 1, end - 1] : [at, end];
  const value = text.slice(start, stop);
  if (!value.startsWith("-") && isLiteralSecretValue(value)) spans.push([start, stop]);
}

/** `user:password` at `at` (`curl -u`): masks what follows the first colon. */
function secretAfterColon(text: string, at: number, spans: Span[]): void {
  const end = wordEnd(text, at);
  const colon = text.indexOf(":", at);
  if (colon < 0 || colon >= end - 1) return;
  const value = text.slice(colon + 1, end).replace(/["'`]$/, "");
  if (isLiteralSecretValue(value)) spans.push([colon + 1, colon + 1 + value.length]);
}

// ---- values assigned to secret-looking names ----

/**
 * Operators of `NAME=value`, `name: value`, `"name": "value"`. A colon counts only before a
 * blank or a quote, as in YAML and JSON: not in `${NAME:-default}`, `host:port` or a Markdown
 * code span `` `secrets:` ``. The name is read back from the operator (at most MAX_NAME
 * characters), so text without operators costs nothing but this scan.
 */
const OPERATOR = /=|:(?=[ \t"'])/g;
const MAX_NAME = 128;
const isNameChar = (c: string) => /[\w.-]/.test(c);

function assignmentSpans(text: string, spans: Span[]): void {
  const re = OPERATOR;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = nameBefore(text, m.index);
    if (name === undefined || !isSecretName(name)) continue;
    const colon = m[0] === ":";
    const at = skipBlanks(text, m.index + 1);
    const q = text[at];
    let start = at;
    let end: number;
    if (q === '"' || q === "'") {
      // A quoted value, up to its closing quote; an unclosed quote is not a value.
      start = at + 1;
      end = text.indexOf(q, start);
      if (end < 0) continue;
    } else end = bareValueEnd(text, at);
    const value = text.slice(start, end);
    re.lastIndex = Math.max(re.lastIndex, end);
    // After a colon, a plain word is prose ("…holds the credential: remove it"), not a value.
    if (colon && q !== '"' && q !== "'" && /^[A-Za-z][a-z]*$/.test(value)) continue;
    if (end > start && isLiteralSecretValue(value)) spans.push([start, end]);
  }
}

/** The name an operator at `op` assigns to: `NAME`, `name ` or `"name"` right before it, a whole word. */
function nameBefore(text: string, op: number): string | undefined {
  let i = op;
  while (i > 0 && (text[i - 1] === " " || text[i - 1] === "\t")) i--;
  const quote = text[i - 1] === '"' || text[i - 1] === "'" ? text[--i] : undefined;
  const end = i;
  while (i > 0 && end - i < MAX_NAME && isNameChar(text[i - 1]!)) i--;
  while (i < end && !/[A-Za-z_]/.test(text[i]!)) i++; // a name starts with a letter (`.env.PASSWORD`: at `env`)
  if (i === end) return undefined;
  const start = i;
  if (quote !== undefined && text[--i] !== quote) return undefined;
  if (i > 0 && /[\w$-]/.test(text[i - 1]!)) return undefined; // part of a longer word, or `$NAME=`
  return text.slice(start, end);
}

/**
 * End of an unquoted value: the next blank, quote, `,`, `;` or `&`, less the closing brackets
 * that close nothing of the value's own (`(password=x)` ends before `)`, `${DB_PASSWORD}` keeps its `}`).
 */
function bareValueEnd(text: string, at: number): number {
  const open: Record<string, number> = { ")": 0, "]": 0, "}": 0 };
  const close: Record<string, number> = { ")": 0, "]": 0, "}": 0 };
  const OPENER: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  let end = at;
  for (; end < text.length && !/[\s"'`,;&]/.test(text[end]!); end++) {
    const c = text[end]!;
    if (OPENER[c]) open[OPENER[c]]!++;
    else if (c in close) close[c]!++;
  }
  for (let c = text[end - 1]; end > at && c !== undefined && c in close && close[c]! > open[c]!; c = text[end - 1]) {
    close[c]!--;
    end--;
  }
  return end;
}
