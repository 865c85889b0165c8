import type { Document, Node as YNode } from "yaml";
import { yamlLib } from "./yaml-lib.js";
import type { PEntry, PMap, PNode, PScalar, PSeq, Region, SourceFile } from "../types.js";
import { lineFeeds, reindentQuotedScalars, splitJsonStream } from "./yaml-repair.js";

export interface ParseProblem {
  message: string;
  region: Region;
  /**
   * What kind of problem, without the text: the yaml library's error code (BAD_INDENT,
   * DUPLICATE_KEY …) or this module's (TOO_DEEP, BAD_ALIAS, ALIAS_BOMB). The message may quote
   * the file (a tag, an alias, an escape sequence); a caller that must not can use the code.
   */
  code: string;
  /** DUPLICATE_KEY: the key that repeats (a caller that must not quote the file names it only if it knows it). */
  key?: string;
}

export interface ParsedYaml {
  docs: { index: number; root: PNode | undefined }[];
  problems: ParseProblem[];
  /** Documents too large to check (see MAX_DOCUMENT_ITEMS): parsed as empty, one note each. */
  skipped: ParseProblem[];
}

/**
 * A document with more keys, items and lines than this is not parsed (its text is still
 * scanned for secrets): the yaml library holds about 150 bytes per token of a document while it
 * composes it (a one-line JSON file of 500,000 keys: 390 MB for its syntax tree, 750 MB in all).
 * Kubernetes manifests, large CRDs and rendered Helm output have a few thousand per document.
 */
export const MAX_DOCUMENT_ITEMS = 100_000;

/**
 * Deeper than this is not a configuration file (Kubernetes manifests, CRD schemas included, stay
 * within a few dozen levels). A text nested deeper is reported without being parsed: the yaml
 * library composes recursively, and where its stack runs out depends on how warm the JIT is, so
 * letting it overflow would make the reported position (and the report) vary from run to run.
 */
export const MAX_NESTING = 256;

/** Depth bound of the tree conversion (nesting plus alias hops); a backstop behind MAX_NESTING. */
const MAX_DEPTH = 1000;

/** Aliases may add at most this many nodes to a document (beyond its own); more is an alias bomb. */
export const MAX_ALIAS_EXPANSION = 1_000_000;

const NO_ENV: NodeJS.ProcessEnv = Object.freeze({});

class TooDeep extends Error {}

/** A problem of one document, with where it is. */
class DocumentProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly code: string,
    readonly key?: string,
  ) {
    super(message);
  }
}

/**
 * Parses a YAML (or JSON) stream into positioned trees.
 * version "1.1" reads like Kubernetes does (0600 is octal 384, yes/no are booleans).
 */
export function parseYaml(file: SourceFile, version: "1.1" | "1.2"): ParsedYaml {
  const deep = deepNestingOffset(file.text, MAX_NESTING);
  if (deep !== -1) {
    return { docs: [], problems: [{ message: `nesting deeper than ${MAX_NESTING} levels; not parsed`, region: file.regionOf(deep, deep + 1), code: "TOO_DEEP" }], skipped: [] };
  }
  let text = file.text;
  const skipped: ParseProblem[] = [];
  for (const doc of largeDocuments(text, MAX_DOCUMENT_ITEMS)) {
    // Blanked (its line breaks kept, so every other position stays), it parses as an empty
    // document; one without a `---` of its own (the first) keeps a `~` to stay a document.
    const blank = text
      .slice(doc.start, doc.end)
      .split("\n")
      .map((line) => " ".repeat(line.length))
      .join("\n");
    text = text.slice(0, doc.start) + (doc.start === 0 ? `~${blank.slice(1)}` : blank) + text.slice(doc.end);
    skipped.push({
      message: `a YAML document with more than ${MAX_DOCUMENT_ITEMS} keys, items and lines; it is not checked (its text is still scanned for secrets)`,
      region: file.regionOf(doc.start, doc.start),
      code: "TOO_LARGE",
    });
  }
  return withoutEnvironment(() => {
    const parsed = parseText(file, text, version, undefined);
    if (parsed.problems.length > 0) {
      // What Kubernetes' decoders accept and the yaml library does not: read it as they do, or
      // report the problems of the text as written.
      const repaired = splitJsonStream(text) ?? lineFeeds(text) ?? reindentQuotedScalars(text);
      const again = repaired && parseText(file, repaired.text, version, repaired.original);
      if (again && again.problems.length === 0) return { ...again, skipped };
    }
    return { ...parsed, skipped };
  });
}

/** Parses `text` (the file's, or a repaired copy whose offsets `original` maps back to the file's). */
function parseText(file: SourceFile, text: string, version: "1.1" | "1.2", original: ((offset: number) => number) | undefined): Omit<ParsedYaml, "skipped"> {
  const problems: ParseProblem[] = [];
  const at = original ?? ((offset: number) => offset);
  const docs: ParsedYaml["docs"] = [];
  const take = (doc: Document.Parsed, index: number) => {
    if (doc.errors.length > 0) {
      // The first error is the cause; the ones after it are usually its echoes.
      const e = doc.errors[0];
      problems.push({ message: describe(e), region: file.regionOf(at(e.pos[0]), at(e.pos[1])), code: e.code });
      return;
    }
    try {
      docs.push({ index, root: doc.contents ? new Converter(file, doc, original).document(doc.contents as YNode) : undefined });
    } catch (err) {
      const start = at(err instanceof DocumentProblem ? err.offset : (doc.range?.[0] ?? 0));
      const key = err instanceof DocumentProblem && err.key !== undefined ? { key: err.key } : {};
      problems.push({ message: describe(err), region: file.regionOf(start, start + (err instanceof DocumentProblem ? 1 : 0)), code: codeOf(err), ...key });
    }
  };
  try {
    // parseAllDocuments, streamed: each document is converted and dropped before the next is
    // composed, so a large multi-document file (rendered Helm output) never holds all of the
    // library's documents at once. uniqueKeys is checked by the Converter: the library's check
    // scans the map for every key (quadratic: a 10 MB ConfigMap or compose file took minutes).
    const { Composer, Parser } = yamlLib();
    const composer = new Composer({ version, uniqueKeys: false, prettyErrors: false });
    let index = 0;
    for (const doc of composer.compose(new Parser().parse(text))) take(doc as Document.Parsed, index++);
  } catch (err) {
    problems.push({ message: describe(err), region: file.regionOf(0, 0), code: codeOf(err) });
  }
  return { docs, problems };
}

/**
 * Runs the yaml library with an empty environment. It reads two debugging switches from the
 * environment for every token it lexes and composes (LOG_TOKENS, LOG_STREAM: they print its
 * tokens to stdout, into a report). A lookup in Node's process.env is a call into C++ under a
 * lock: a third of the time the library took to lex and parse the benchmark's manifests. The
 * callback runs synchronously: no other code of this thread sees the empty environment (a worker
 * thread has its own process.env).
 */
export function withoutEnvironment<T>(parse: () => T): T {
  const env = process.env;
  process.env = NO_ENV;
  try {
    return parse();
  } finally {
    process.env = env;
  }
}

/**
 * The documents of a YAML stream with more than `limit` keys, items and lines, estimated by
 * counting line breaks and flow indicators (`,` `:` `[` `]` `{` `}`) outside quoted scalars (a
 * quoted scalar is one token however many of them it holds: a 1 MB value of `${A:-` is not a
 * large document): each token of the parser is at least one character, so only a text longer
 * than the limit is scanned. Documents are split at `---`/`...` lines (a marker at the start of
 * a line always ends a document); what follows a `---` on its line belongs to the document, the
 * marker itself is kept.
 */
export function largeDocuments(text: string, limit: number): { start: number; end: number }[] {
  if (text.length <= limit) return [];
  const out: { start: number; end: number }[] = [];
  const marker = (at: number) => (text.startsWith("---", at) || text.startsWith("...", at)) && /^(?:[ \t\r\n]|$)/.test(text.slice(at + 3, at + 4));
  let start = marker(0) ? 3 : 0;
  let items = 0;
  const close = (end: number) => {
    if (items > limit) out.push({ start, end });
    items = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      items++;
      const next = i + 1;
      if (marker(next)) {
        close(next);
        start = next + 3;
        i = next + 2;
      }
    } else if (c === 44 || c === 58 || c === 91 || c === 93 || c === 123 || c === 125) {
      items++;
    } else if ((c === 34 || c === 39) && (i === 0 || QUOTE_AFTER.has(text.charCodeAt(i - 1)))) {
      i = quotedEnd(text, i) - 1;
    }
  }
  close(text.length);
  return out;
}

/** What a quoted scalar may follow (a quote elsewhere is a character of a plain scalar): a line break, a space, a tab, `[` `{` `,` `:` `-` `?`. */
const QUOTE_AFTER = new Set([10, 13, 32, 9, 91, 123, 44, 58, 45, 63]);

/** The offset just past the quoted scalar that opens at `at` (`"` with backslash escapes, `'` with `''`); the text's end when it is not closed. */
function quotedEnd(text: string, at: number): number {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    const ch = text[i];
    if (quote === '"' && ch === "\\") i++;
    else if (ch === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return text.length;
}

function codeOf(err: unknown): string {
  if (err instanceof DocumentProblem) return err.code;
  if (err instanceof TooDeep || err instanceof RangeError) return "TOO_DEEP";
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "IMPOSSIBLE";
}

function describe(err: unknown): string {
  if (err instanceof TooDeep) return `nesting deeper than ${MAX_DEPTH} levels (aliases included); not checked`;
  const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
  // The yaml library reports its own stack overflow as a document error.
  if (err instanceof RangeError || /Maximum call stack size exceeded/.test(message)) return "nesting too deep to parse; not checked";
  return message;
}

/**
 * Offset at which a YAML/JSON text first nests deeper than `limit` levels (flow brackets plus
 * block levels), or -1. A linear scan that approximates the structure: block levels come from
 * the indentation stack and the compact indicators (`- `, `? `, `: `) that start a line, flow
 * levels from `[`/`{` that start a value; quoted scalars and comments are skipped. It only has to
 * tell configuration files (tens of levels) from hostile ones, and it errs towards "not deep".
 */
export function deepNestingOffset(text: string, limit: number): number {
  const n = text.length;
  // Cheap bound first (native searches only): depth <= flow openers + lines + indicators on the
  // longest line. Most files (a few hundred lines, few brackets) end here.
  let bound = 0;
  for (let i = text.indexOf("["); i !== -1 && bound <= limit; i = text.indexOf("[", i + 1)) bound++;
  for (let i = text.indexOf("{"); i !== -1 && bound <= limit; i = text.indexOf("{", i + 1)) bound++;
  let longest = 0;
  for (let start = 0; start <= n && bound <= limit; ) {
    const end = text.indexOf("\n", start);
    const stop = end === -1 ? n : end;
    if (stop - start > longest) longest = stop - start;
    bound++;
    start = stop + 1;
  }
  if (bound + (longest >> 1) <= limit) return -1;

  const SPACE = 32, TAB = 9, LF = 10, CR = 13, HASH = 35, DQ = 34, SQ = 39, BACKSLASH = 92;
  const LBRACKET = 91, RBRACKET = 93, LBRACE = 123, RBRACE = 125, COMMA = 44, COLON = 58, DASH = 45, QMARK = 63, DOT = 46;
  const indents: number[] = [];
  let flow = 0;
  let quote = 0;
  let i = 0;
  while (i < n) {
    let col = 0;
    if (quote === 0) {
      let c = text.charCodeAt(i);
      while (c === SPACE || c === TAB) {
        col++;
        c = text.charCodeAt(++i);
      }
      if (i >= n) break;
      if (c === LF || c === CR || c === HASH) {
        const eol = text.indexOf("\n", i);
        if (eol === -1) break;
        i = eol + 1;
        continue;
      }
      if (col === 0 && (c === DASH || c === DOT) && (text.startsWith("---", i) || text.startsWith("...", i))) {
        indents.length = 0;
        flow = 0;
      }
      if (flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1] >= col) indents.pop();
        indents.push(col);
        if (indents.length > limit) return i;
      }
    }
    let depth = indents.length;
    let atStart = quote === 0; // still in the leading run of block indicators
    let prev = SPACE;
    let lastOpener = -2; // a bracket right after a counted one opens a level too: `[[`
    for (; i < n; i++) {
      const ch = text.charCodeAt(i);
      if (ch === LF) break;
      if (quote !== 0) {
        if (ch === BACKSLASH && quote === DQ) i++;
        else if (ch === quote) {
          if (quote === SQ && text.charCodeAt(i + 1) === SQ) i++;
          else quote = 0;
        }
        prev = ch;
        continue;
      }
      const valueStart = prev === SPACE || prev === TAB || prev === COMMA || prev === COLON || lastOpener === i - 1;
      if (ch === HASH && (prev === SPACE || prev === TAB)) {
        const eol = text.indexOf("\n", i);
        i = (eol === -1 ? n : eol) - 1;
      } else if ((ch === DQ || ch === SQ) && valueStart) {
        quote = ch;
        atStart = false;
      } else if ((ch === LBRACKET || ch === LBRACE) && valueStart) {
        flow++;
        lastOpener = i;
        atStart = false;
        if (depth + flow > limit) return i;
      } else if (ch === RBRACKET || ch === RBRACE) {
        if (flow > 0) flow--;
      } else if (atStart && (ch === DASH || ch === QMARK || ch === COLON)) {
        const next = i + 1 < n ? text.charCodeAt(i + 1) : LF;
        if (next === SPACE || next === TAB || next === LF || next === CR) {
          depth++;
          if (depth + flow > limit) return i;
        } else atStart = false;
      } else if (ch !== SPACE && ch !== TAB) {
        atStart = false;
      }
      prev = ch;
    }
    i++;
  }
  return -1;
}

class Converter {
  /** Aliases share the converted anchor: an alias bomb stays a small graph. */
  private readonly seen = new Map<YNode, PNode>();
  /** Collections being converted: an alias to one of them is a cycle. */
  private readonly open = new Set<YNode>();
  private nodes = 0;
  private aliases = 0;
  private firstAlias = 0;
  private readonly y = yamlLib();

  constructor(
    private readonly file: SourceFile,
    private readonly doc: Document.Parsed,
    /** Maps offsets of a repaired text back to the file's (see yaml-repair.ts); none for the file's own text. */
    private readonly original: ((offset: number) => number) | undefined,
  ) {}

  private at(offset: number): number {
    return this.original ? this.original(offset) : offset;
  }

  /**
   * Converts a document's root. Rules walk trees without memoizing shared nodes, so a document
   * that aliases expand past MAX_ALIAS_EXPANSION extra nodes ("billion laughs") is rejected, as
   * is an alias cycle; Kubernetes' own YAML decoder rejects both.
   */
  document(root: YNode): PNode {
    const out = this.convert(root, 0);
    if (this.aliases > 0) {
      const expanded = expandedSize(out, new Map());
      if (expanded - this.nodes > MAX_ALIAS_EXPANSION) {
        throw new DocumentProblem(`aliases expand this document to more than ${MAX_ALIAS_EXPANSION} nodes (an alias bomb); not checked`, this.firstAlias, "ALIAS_BOMB");
      }
    }
    return out;
  }

  convert(node: YNode, depth: number): PNode {
    if (depth > MAX_DEPTH) throw new TooDeep();
    if (this.y.isAlias(node)) {
      const offset = node.range?.[0] ?? 0;
      if (this.aliases++ === 0) this.firstAlias = offset;
      const target = node.resolve(this.doc);
      if (!target) throw new DocumentProblem(`alias *${node.source} refers to no anchor`, offset, "BAD_ALIAS");
      if (this.open.has(target)) throw new DocumentProblem(`alias *${node.source} refers to a node that contains it (a cycle)`, offset, "BAD_ALIAS");
      return this.seen.get(target) ?? this.convert(target, depth + 1);
    }
    // Only an anchored node can be reached twice (through an alias): only those are remembered.
    const anchored = !!(node as { anchor?: string }).anchor;
    if (anchored) {
      const cached = this.seen.get(node);
      if (cached) return cached;
    }
    this.nodes++;
    const file = this.file;
    const r = node.range;
    const start = r ? this.at(r[0]) : 0;
    const end = r ? this.at(r[1]) : 0;
    let out: PNode;
    if (this.y.isMap(node)) {
      const map = new MapNode(file, start, end);
      if (anchored) {
        this.seen.set(node, map);
        this.open.add(node);
      }
      let keys: Set<unknown> | undefined;
      node.items.forEach((pair, i) => {
        if (!this.y.isPair(pair)) return;
        const keyNode = pair.key as YNode | null;
        const key = this.y.isScalar(keyNode) ? String(keyNode.value) : keyNode ? String(keyNode) : "";
        // As the yaml library's uniqueKeys: scalar keys with equal values (complex keys never are).
        // Equal values have equal strings, so the value set is only built once a string repeats.
        if (this.y.isScalar(keyNode) && (keys || key === "<<" || map.entry(key))) {
          keys ??= new Set(node.items.slice(0, i).flatMap((p) => (this.y.isPair(p) && this.y.isScalar(p.key) ? [p.key.value] : [])));
          const v = keyNode.value;
          if (keys.has(v) && v === v) {
            const first = node.items.slice(0, i).find((p) => this.y.isPair(p) && this.y.isScalar(p.key) && p.key.value === v)?.key as YNode | undefined;
            const line = first?.range ? ` (first at line ${this.file.regionOf(this.at(first.range[0]), this.at(first.range[0])).startLine})` : "";
            throw new DocumentProblem(`duplicate key ${JSON.stringify(key)}${line}: a key may appear only once in a mapping`, keyNode.range?.[0] ?? 0, "DUPLICATE_KEY", key);
          }
          keys.add(v);
        }
        const kr = keyNode?.range;
        const keyStart = kr ? this.at(kr[0]) : 0;
        const keyEnd = kr ? this.at(kr[1]) : 0;
        const value = pair.value ? this.convert(pair.value as YNode, depth + 1) : new ScalarNode(file, keyEnd, keyEnd, null, "", false);
        if (key === "<<" && !(this.y.isScalar(keyNode) && keyNode.type !== "PLAIN")) {
          mergeInto(map, value);
          return;
        }
        map.add(new EntryNode(file, key, keyStart, keyEnd, value));
      });
      if (anchored) this.open.delete(node);
      out = map;
    } else if (this.y.isSeq(node)) {
      const seq = new SeqNode(file, start, end);
      if (anchored) {
        this.seen.set(node, seq);
        this.open.add(node);
      }
      for (const item of node.items) {
        if (item) seq.items.push(this.convert(item as YNode, depth + 1));
      }
      if (anchored) this.open.delete(node);
      out = seq;
    } else if (this.y.isScalar(node)) {
      const v = node.value;
      const value = v === null || v === undefined ? null : typeof v === "number" || typeof v === "boolean" || typeof v === "string" ? v : String(v);
      const source = typeof node.source === "string" ? node.source : value === null ? "" : String(value);
      out = new ScalarNode(file, start, end, value, source, node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE");
      if (anchored) this.seen.set(node, out);
    } else {
      out = new ScalarNode(file, start, end, null, "", false);
    }
    return out;
  }
}

// Nodes keep their offsets; the 1-based region is computed when a rule first asks for it (few
// nodes are ever reported, and a region per node and two per entry were most of the allocations).

// `type` lives on the prototype (one slot less per node); the trees are most of the retained heap.

/** A node's region, computed from its offsets when a rule first asks for it (most never are). */
abstract class Located {
  private region: Region | undefined;

  constructor(
    protected readonly file: SourceFile,
    /** Offsets in the file (encodeYaml reads them). */
    readonly start: number,
    readonly end: number,
  ) {}

  get range(): Region {
    return (this.region ??= this.file.regionOf(this.start, this.end));
  }
}

class ScalarNode extends Located implements PScalar {
  declare readonly type: "scalar";

  constructor(
    file: SourceFile,
    start: number,
    end: number,
    readonly value: PScalar["value"],
    readonly source: string,
    readonly quoted: boolean,
  ) {
    super(file, start, end);
  }
}

class SeqNode extends Located implements PSeq {
  declare readonly type: "seq";
  readonly items: PNode[] = [];
}

class EntryNode implements PEntry {
  private keyRegion: Region | undefined;
  private region: Region | undefined;

  constructor(
    private readonly file: SourceFile,
    readonly key: string,
    /** The key's offsets in the file (encodeYaml reads them). */
    readonly keyStart: number,
    readonly keyEnd: number,
    readonly value: PNode,
  ) {}

  get keyRange(): Region {
    return (this.keyRegion ??= this.file.regionOf(this.keyStart, this.keyEnd));
  }

  /** From the key's start to the value's end. */
  get range(): Region {
    if (!this.region) {
      const k = this.keyRange;
      const v = this.value.range;
      this.region = { startLine: k.startLine, startColumn: k.startColumn, endLine: v.endLine, endColumn: v.endColumn };
    }
    return this.region;
  }
}

/** Maps up to this size find keys by a linear scan; larger ones build a Map index. */
const MAP_INDEX_MIN = 12;

class MapNode extends Located implements PMap {
  declare readonly type: "map";
  readonly entries: PEntry[] = [];
  /** Keys are unique in `entries`; a Map index only for large maps (a Map per map node was ~8 MB here). */
  private index: Map<string, PEntry> | undefined = undefined;

  get(key: string): PNode | undefined {
    return this.entry(key)?.value;
  }

  entry(key: string): PEntry | undefined {
    if (this.index) return this.index.get(key);
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) if (entries[i]!.key === key) return entries[i];
    return undefined;
  }

  /** Entries known to have unique keys (a decoded map), as add() would have left them. */
  addAll(entries: PEntry[]): void {
    this.entries.push(...entries);
    if (this.entries.length > MAP_INDEX_MIN) this.index = new Map(this.entries.map((e) => [e.key, e]));
  }

  /** Adds an entry; a later duplicate replaces an earlier one unless keepExisting. */
  add(entry: PEntry, keepExisting = false): void {
    const existing = this.entry(entry.key);
    if (existing && keepExisting) return;
    if (existing) this.entries.splice(this.entries.indexOf(existing), 1);
    this.entries.push(entry);
    if (this.index) this.index.set(entry.key, entry);
    else if (this.entries.length > MAP_INDEX_MIN) this.index = new Map(this.entries.map((e) => [e.key, e]));
  }
}

(ScalarNode.prototype as { type: string }).type = "scalar";
(SeqNode.prototype as { type: string }).type = "seq";
(MapNode.prototype as { type: string }).type = "map";

// ---- a parsed stream as plain data, for a worker thread to hand over (see engine/offload.ts) ----

/**
 * A ParsedYaml without its file: the trees as one list of numbers (each node in pre-order: its
 * tag, offsets and size, or a reference to a node met before: aliases and merged entries share
 * nodes, and keep sharing them), the keys and sources as strings, the scalars' values. Plain
 * data, so structured cloning copies it in a few large arrays instead of a graph of objects.
 */
export interface EncodedYaml {
  docs: { index: number; root: boolean }[];
  problems: ParseProblem[];
  skipped: ParseProblem[];
  ops: number[];
  strings: string[];
  values: PScalar["value"][];
}

// Tags of EncodedYaml.ops. A scalar's tag adds QUOTED and OWN_SOURCE (its source is not its value).
const SCALAR = 0;
const QUOTED = 1;
const OWN_SOURCE = 2;
const SEQ = 4;
const MAP = 5;
const NODE_SEEN = 6;
const ENTRY = 7;
const ENTRY_SEEN = 8;

export function encodeYaml(parsed: ParsedYaml): EncodedYaml {
  const ops: number[] = [];
  const strings: string[] = [];
  const values: PScalar["value"][] = [];
  const seen = new Map<object, number>();
  let nodes = 0;
  let entries = 0;
  const node = (n: PNode): void => {
    const id = seen.get(n);
    if (id !== undefined) return void ops.push(NODE_SEEN, id);
    seen.set(n, nodes++);
    const { start, end } = n as unknown as Located;
    if (n.type === "scalar") {
      const own = n.source !== n.value;
      ops.push(SCALAR | (n.quoted ? QUOTED : 0) | (own ? OWN_SOURCE : 0), start, end);
      values.push(n.value);
      if (own) strings.push(n.source);
    } else if (n.type === "seq") {
      ops.push(SEQ, start, end, n.items.length);
      for (const item of n.items) node(item);
    } else {
      ops.push(MAP, start, end, n.entries.length);
      for (const e of n.entries) {
        const eid = seen.get(e);
        if (eid !== undefined) {
          ops.push(ENTRY_SEEN, eid);
          continue;
        }
        const { keyStart, keyEnd } = e as EntryNode;
        ops.push(ENTRY, keyStart, keyEnd);
        strings.push(e.key);
        node(e.value);
        seen.set(e, entries++); // numbered after its value, as decodeYaml numbers it
      }
    }
  };
  const docs = parsed.docs.map((d) => {
    if (d.root) node(d.root);
    return { index: d.index, root: d.root !== undefined };
  });
  return { docs, problems: parsed.problems, skipped: parsed.skipped, ops, strings, values };
}

/** The ParsedYaml that encodeYaml was given, its nodes bound to `file` (the same file's text on this thread). */
export function decodeYaml(file: SourceFile, encoded: EncodedYaml): ParsedYaml {
  const { ops, strings, values } = encoded;
  const nodes: PNode[] = [];
  const entries: PEntry[] = [];
  let op = 0;
  let str = 0;
  let val = 0;
  const node = (): PNode => {
    const tag = ops[op++];
    if (tag === NODE_SEEN) return nodes[ops[op++]];
    const start = ops[op++];
    const end = ops[op++];
    if (tag < SEQ) {
      const value = values[val++];
      const n = new ScalarNode(file, start, end, value, tag & OWN_SOURCE ? strings[str++] : (value as string), (tag & QUOTED) !== 0);
      nodes.push(n);
      return n;
    }
    const size = ops[op++];
    if (tag === SEQ) {
      const seq = new SeqNode(file, start, end);
      nodes.push(seq);
      for (let i = 0; i < size; i++) seq.items.push(node());
      return seq;
    }
    const map = new MapNode(file, start, end);
    nodes.push(map);
    const list: PEntry[] = [];
    for (let i = 0; i < size; i++) {
      if (ops[op++] === ENTRY_SEEN) {
        list.push(entries[ops[op++]]);
        continue;
      }
      const keyStart = ops[op++];
      const keyEnd = ops[op++];
      const e = new EntryNode(file, strings[str++], keyStart, keyEnd, node());
      entries.push(e);
      list.push(e);
    }
    map.addAll(list);
    return map;
  };
  const docs = encoded.docs.map((d) => ({ index: d.index, root: d.root ? node() : undefined }));
  return { docs, problems: encoded.problems, skipped: encoded.skipped };
}

/** Nodes of a tree with every alias expanded (shared nodes counted at each use); memoized, so linear in the graph. */
function expandedSize(node: PNode, memo: Map<PNode, number>): number {
  const known = memo.get(node);
  if (known !== undefined) return known;
  let size = 1;
  if (node.type === "seq") for (const item of node.items) size += expandedSize(item, memo);
  else if (node.type === "map") for (const e of node.entries) size += 1 + expandedSize(e.value, memo);
  memo.set(node, size);
  return size;
}

/** YAML merge keys (`<<: *defaults`), common in compose files: explicit keys win. */
function mergeInto(map: MapNode, source: PNode): void {
  const sources = source.type === "seq" ? source.items : [source];
  for (const s of sources) {
    if (s.type === "map") for (const e of s.entries) map.add(e, true);
  }
}

// ---- small typed accessors used by parsers and rules ----

export function asMap(node: PNode | undefined): PMap | undefined {
  return node?.type === "map" ? node : undefined;
}

export function asSeq(node: PNode | undefined): PSeq | undefined {
  return node?.type === "seq" ? node : undefined;
}

export function asScalar(node: PNode | undefined): PScalar | undefined {
  return node?.type === "scalar" ? node : undefined;
}

/** The scalar's value as a string, or undefined for maps, sequences and null. */
export function scalarString(node: PNode | undefined): string | undefined {
  const s = asScalar(node);
  return s && s.value !== null ? String(s.value) : undefined;
}

/** Walks a path of map keys: `path(root, "spec", "template", "spec")`. */
export function path(node: PNode | undefined, ...keys: string[]): PNode | undefined {
  let cur = node;
  for (const k of keys) {
    cur = asMap(cur)?.get(k);
    if (!cur) return undefined;
  }
  return cur;
}

/** True for a scalar `true` (YAML boolean, or the string "true" in quoted form). */
export function isTrue(node: PNode | undefined): boolean {
  const s = asScalar(node);
  return !!s && (s.value === true || (typeof s.value === "string" && s.value.toLowerCase() === "true"));
}

export function isFalse(node: PNode | undefined): boolean {
  const s = asScalar(node);
  return !!s && (s.value === false || (typeof s.value === "string" && s.value.toLowerCase() === "false"));
}

/** Plain JS value of a node (for labels, annotations); aliases shared, depth bounded. */
export function toPlain(node: PNode | undefined, depth = 0): unknown {
  if (!node || depth > 64) return undefined;
  if (node.type === "scalar") return node.value;
  if (node.type === "seq") return node.items.map((i) => toPlain(i, depth + 1));
  const out: Record<string, unknown> = {};
  for (const e of node.entries) out[e.key] = toPlain(e.value, depth + 1);
  return out;
}

/** String-valued map entries (labels, annotations, selectors). */
export function stringMap(node: PNode | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of asMap(node)?.entries ?? []) {
    const v = scalarString(e.value);
    if (v !== undefined) out[e.key] = v;
  }
  return out;
}
