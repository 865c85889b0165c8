import { yamlLib } from "./yaml-lib.js";

/**
 * Texts that Kubernetes' decoders read but the yaml library rejects, rewritten so that it reads
 * them the same way. Each rewrite only inserts text; `original` maps an offset in the rewritten
 * text back to the file, so every position reported stays a position in the file.
 */
export interface Repaired {
  text: string;
  /** What was rewritten, for nobody but a reader of the code and the tests. */
  what: "json-stream" | "quoted-scalar-indent" | "carriage-returns";
  original(offset: number): number;
}

/** Insertions into a text: at an offset of the original, a string. */
type Insertion = [at: number, text: string];

function applyInsertions(text: string, insertions: Insertion[], what: Repaired["what"]): Repaired {
  const sorted = [...insertions].sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  // starts[i]: where insertion i begins in the new text; before[i]: characters inserted before it.
  const starts: number[] = [];
  const before: number[] = [];
  let last = 0;
  let added = 0;
  for (const [at, s] of sorted) {
    parts.push(text.slice(last, at));
    starts.push(at + added);
    before.push(added);
    parts.push(s);
    added += s.length;
    last = at;
  }
  parts.push(text.slice(last));
  return {
    text: parts.join(""),
    what,
    original(offset: number): number {
      // The last insertion that starts at or before the offset.
      let lo = 0;
      let hi = starts.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid] <= offset) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (found === -1) return offset;
      const inserted = sorted[found][1].length;
      // Inside an inserted string: its insertion point.
      if (offset < starts[found] + inserted) return sorted[found][0];
      return offset - before[found] - inserted;
    },
  };
}

/**
 * Line breaks written as a lone carriage return (classic Mac OS): YAML, libyaml and so kubectl
 * read them as line breaks, the yaml library does not. Each becomes a line feed (same length:
 * offsets are unchanged; the file's lines, counted by line feeds, are not).
 */
export function lineFeeds(text: string): Repaired | undefined {
  if (!/\r(?!\n)/.test(text)) return undefined;
  return { text: text.replace(/\r(?!\n)/g, "\n"), what: "carriage-returns", original: (offset) => offset };
}

/**
 * Concatenated JSON objects (`{…}\n{…}`), which kubectl reads as a stream of objects (its decoder
 * takes a text that starts with `{` as JSON, one value after another). The yaml library reads one
 * document per `---`: a separator goes between the objects. Undefined unless the whole text is
 * two or more JSON objects separated by white space.
 */
export function splitJsonStream(text: string): Repaired | undefined {
  const insertions: Insertion[] = [];
  let i = skipWhitespace(text, 0);
  if (text[i] !== "{") return undefined;
  while (i < text.length) {
    if (text[i] !== "{") return undefined;
    const end = endOfJsonObject(text, i);
    if (end === -1) return undefined;
    i = skipWhitespace(text, end);
    if (i < text.length) insertions.push([i, "\n---\n"]);
  }
  return insertions.length > 0 ? applyInsertions(text, insertions, "json-stream") : undefined;
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t" || text[i] === "\uFEFF")) i++;
  return i;
}

/** The offset just past the JSON object that starts at `start` (brackets balanced, strings skipped), or -1. */
function endOfJsonObject(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      if (i >= text.length) return -1;
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Bounds the re-parses of one file (each pass parses the whole text once). */
const MAX_PASSES = 8;

/**
 * Quoted scalars whose continuation lines are indented less than YAML requires, as code
 * generators write CEL rules and descriptions in CRDs:
 *
 *     - message: …
 *       rule: 'self.all(p1, …
 *     == p2.kind …)'
 *
 * libyaml (and so Kubernetes, through go-yaml) reads a quoted scalar up to its closing quote
 * whatever the indentation of its lines; the yaml library ends it at the first line indented at or
 * left of its parent. Such lines are indented up to the column of the opening quote, which YAML
 * accepts and which changes nothing in the value (a quoted scalar's line breaks fold, and the
 * leading white space of its continuation lines is dropped).
 *
 * Each pass repairs every scalar the library left unclosed, except those that start inside one
 * just repaired (the library lexed that text as something else), and parses again. The result is
 * kept only if, in the final parse, every repaired scalar is a closed quoted scalar: then every
 * space inserted is inside a quoted scalar, where it changes nothing. Undefined when there is
 * nothing to repair or the repair does not hold.
 */
export function reindentQuotedScalars(text: string): Repaired | undefined {
  let repaired: Repaired | undefined;
  let all: Insertion[] = [];
  const repairedStarts = new Set<number>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const current = repaired?.text ?? text;
    const toOriginal = (offset: number) => (repaired ? repaired.original(offset) : offset);
    const scalars = quotedScalars(current);
    const unclosed = scalars.filter((s) => !s.closed);
    if (unclosed.length === 0) {
      const closed = new Set(scalars.map((s) => toOriginal(s.offset)));
      return repaired && [...repairedStarts].every((s) => closed.has(s)) ? repaired : undefined;
    }
    const insertions: Insertion[] = [];
    let coveredUntil = -1;
    for (const s of unclosed) {
      if (s.offset < coveredUntil) continue;
      const end = closingQuote(current, s.offset);
      if (end === -1) return undefined;
      const lines = underIndentedLines(current, s.offset, end);
      if (!lines) return undefined;
      if (lines.length === 0) continue;
      coveredUntil = end;
      insertions.push(...lines);
      repairedStarts.add(toOriginal(s.offset));
    }
    if (insertions.length === 0) return undefined;
    all = [...all, ...insertions.map(([at, str]): Insertion => [toOriginal(at), str])];
    repaired = applyInsertions(text, all, "quoted-scalar-indent");
  }
  return undefined;
}

/** The quoted scalars of a text as the yaml library lexes them, and whether each ends with its closing quote. */
function quotedScalars(text: string): { offset: number; closed: boolean }[] {
  const found: { offset: number; closed: boolean }[] = [];
  const visit = (token: unknown): void => {
    if (!token || typeof token !== "object") return;
    if (Array.isArray(token)) {
      for (const t of token) visit(t);
      return;
    }
    const t = token as { type?: string; offset?: number; source?: string };
    if ((t.type === "single-quoted-scalar" || t.type === "double-quoted-scalar") && typeof t.source === "string") {
      found.push({ offset: t.offset!, closed: closingQuote(t.source, 0) === t.source.length - 1 });
      return;
    }
    for (const value of Object.values(t)) if (value && typeof value === "object") visit(value);
  };
  for (const token of new (yamlLib().Parser)().parse(text)) visit(token);
  return found.sort((a, b) => a.offset - b.offset);
}

/** The offset of the quote that closes the quoted scalar opening at `start`, or -1 (as the lexers find it). */
function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === "\\") i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/**
 * The insertions that indent the lines of the quoted scalar from `start` to `end` (its closing
 * quote) to the column of its opening quote; undefined when a document marker interrupts it.
 */
function underIndentedLines(text: string, start: number, end: number): Insertion[] | undefined {
  const column = start - (text.lastIndexOf("\n", start - 1) + 1);
  const insertions: Insertion[] = [];
  for (let nl = text.indexOf("\n", start); nl !== -1 && nl < end; nl = text.indexOf("\n", nl + 1)) {
    const line = nl + 1;
    // A document marker ends the scalar for libyaml too ("found unexpected document indicator").
    if (/^(?:---|\.\.\.)(?:[ \t\r\n]|$)/.test(text.slice(line, line + 4))) return undefined;
    let spaces = 0;
    while (text[line + spaces] === " ") spaces++;
    const next = text[line + spaces];
    if (next === "\n" || next === "\r" || spaces >= column) continue;
    insertions.push([line, " ".repeat(column - spaces)]);
  }
  return insertions;
}
