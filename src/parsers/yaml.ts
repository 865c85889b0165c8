import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node as YNode } from "yaml";
import type { PEntry, PMap, PNode, PScalar, PSeq, Region, SourceFile } from "../types.js";

export interface ParseProblem {
  message: string;
  region: Region;
}

export interface ParsedYaml {
  docs: { index: number; root: PNode | undefined }[];
  problems: ParseProblem[];
}

/** Deeper than this is not a configuration file; it is reported instead of overflowing the stack. */
const MAX_DEPTH = 1000;

class TooDeep extends Error {}

/**
 * Parses a YAML (or JSON) stream into positioned trees.
 * version "1.1" reads like Kubernetes does (0600 is octal 384, yes/no are booleans).
 */
export function parseYaml(file: SourceFile, version: "1.1" | "1.2"): ParsedYaml {
  const problems: ParseProblem[] = [];
  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(file.text, { version, uniqueKeys: true, prettyErrors: false }) as Document.Parsed[];
    if (!Array.isArray(documents)) documents = [documents as unknown as Document.Parsed];
  } catch (err) {
    return { docs: [], problems: [{ message: describe(err), region: file.regionOf(0, 0) }] };
  }
  const docs: ParsedYaml["docs"] = [];
  documents.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      // The first error is the cause; the ones after it are usually its echoes.
      const e = doc.errors[0];
      problems.push({ message: e.message.split("\n")[0], region: file.regionOf(e.pos[0], e.pos[1]) });
      return;
    }
    try {
      docs.push({ index, root: doc.contents ? new Converter(file, doc).convert(doc.contents as YNode, 0) : undefined });
    } catch (err) {
      const start = doc.range?.[0] ?? 0;
      problems.push({ message: describe(err), region: file.regionOf(start, start) });
    }
  });
  return { docs, problems };
}

function describe(err: unknown): string {
  if (err instanceof TooDeep || err instanceof RangeError) return `nesting deeper than ${MAX_DEPTH} levels`;
  return err instanceof Error ? err.message.split("\n")[0] : String(err);
}

class Converter {
  /** Aliases share the converted anchor: an alias bomb stays a small graph. */
  private readonly seen = new Map<YNode, PNode>();

  constructor(private readonly file: SourceFile, private readonly doc: Document.Parsed) {}

  private region(node: { range?: [number, number, number] | null } | null | undefined, fallback = 0): Region {
    const r = node?.range;
    return r ? this.file.regionOf(r[0], r[1]) : this.file.regionOf(fallback, fallback);
  }

  convert(node: YNode, depth: number): PNode {
    if (depth > MAX_DEPTH) throw new TooDeep();
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) return this.scalar(null, "", false, this.region(node));
      return this.seen.get(target) ?? this.convert(target, depth + 1);
    }
    const cached = this.seen.get(node);
    if (cached) return cached;
    let out: PNode;
    if (isMap(node)) {
      const map = new MapNode(this.region(node));
      this.seen.set(node, map);
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YNode | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : keyNode ? String(keyNode) : "";
        const keyRange = this.region(keyNode);
        const value = pair.value
          ? this.convert(pair.value as YNode, depth + 1)
          : this.scalar(null, "", false, { ...keyRange, startLine: keyRange.endLine, startColumn: keyRange.endColumn });
        if (key === "<<" && !(isScalar(keyNode) && keyNode.type !== "PLAIN")) {
          mergeInto(map, value);
          continue;
        }
        const entry: PEntry = {
          key,
          keyRange,
          value,
          range: { startLine: keyRange.startLine, startColumn: keyRange.startColumn, endLine: value.range.endLine, endColumn: value.range.endColumn },
        };
        map.add(entry);
      }
      out = map;
    } else if (isSeq(node)) {
      const seq: PSeq = { type: "seq", range: this.region(node), items: [] };
      this.seen.set(node, seq);
      for (const item of node.items) {
        if (item) seq.items.push(this.convert(item as YNode, depth + 1));
      }
      out = seq;
    } else if (isScalar(node)) {
      const v = node.value;
      const value = v === null || v === undefined ? null : typeof v === "number" || typeof v === "boolean" || typeof v === "string" ? v : String(v);
      const source = typeof node.source === "string" ? node.source : value === null ? "" : String(value);
      out = this.scalar(value, source, node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE", this.region(node));
      this.seen.set(node, out);
    } else {
      out = this.scalar(null, "", false, this.region(node as { range?: [number, number, number] }));
    }
    return out;
  }

  private scalar(value: PScalar["value"], source: string, quoted: boolean, range: Region): PScalar {
    return { type: "scalar", value, source, quoted, range };
  }
}

class MapNode implements PMap {
  readonly type = "map";
  readonly entries: PEntry[] = [];
  private readonly index = new Map<string, PEntry>();

  constructor(readonly range: Region) {}

  get(key: string): PNode | undefined {
    return this.index.get(key)?.value;
  }

  entry(key: string): PEntry | undefined {
    return this.index.get(key);
  }

  /** Adds an entry; a later duplicate replaces an earlier one unless keepExisting. */
  add(entry: PEntry, keepExisting = false): void {
    const existing = this.index.get(entry.key);
    if (existing && keepExisting) return;
    if (existing) this.entries.splice(this.entries.indexOf(existing), 1);
    this.entries.push(entry);
    this.index.set(entry.key, entry);
  }
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
