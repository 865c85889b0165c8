// Reports are written as a stream of pieces, never built as one string: a 100,000-file monorepo
// has a SARIF of hundreds of MB, which would otherwise be held whole (and twice, as text and as
// bytes) at the end of the run. The pieces concatenate to exactly what the whole-string reporters
// gave (`format()` still returns that string, joined).
import { jsonTextForLogs } from "../visible.js";

/** A report as pieces of text, in order. */
export type Chunks = Iterable<string>;

/**
 * An array to be written one element at a time, produced as it is written (e.g. SARIF results
 * mapped from findings one by one): the whole array never exists.
 */
export class Streamed<T> {
  constructor(readonly items: Iterable<T>) {}
}

export function streamed<T, U>(items: Iterable<T>, map?: (item: T) => U): Streamed<T | U> {
  if (!map) return new Streamed(items);
  return new Streamed(
    (function* () {
      for (const item of items) yield map(item);
    })(),
  );
}

/**
 * `jsonForLogs(value)` (JSON.stringify with two-space indentation, made safe for logs) as pieces:
 * plain objects and `Streamed` arrays are written member by member, everything else (including
 * ordinary arrays) as one piece. No piece splits a string, so making each safe for logs is the
 * same as making the whole safe.
 */
export function* jsonChunks(value: unknown, indent = ""): Generator<string> {
  if (value instanceof Streamed) {
    const inner = indent + "  ";
    let first = true;
    for (const item of value.items) {
      yield `${first ? "[\n" : ",\n"}${inner}`;
      first = false;
      // JSON.stringify writes an undefined (or function) array element as null.
      yield* jsonChunks(item === undefined || typeof item === "function" ? null : item, inner);
    }
    yield first ? "[]" : `\n${indent}]`;
    return;
  }
  // A plain object with no Streamed array inside (a finding, a rule's metadata) is one piece, as
  // JSON.stringify writes it: member by member, a finding was ~30 pieces through nested
  // generators, which with their joining were most of the JSON report's time (the 10k tree's
  // 9,511 findings: see the commit). Same text: the members JSON.stringify keeps and their order
  // are Object.keys' without the undefined, function and symbol ones, as skipped below.
  if (isPlainObject(value) && !holdsStreamed(value)) {
    const json = JSON.stringify(value, null, 2);
    yield jsonTextForLogs(indent ? json.replaceAll("\n", `\n${indent}`) : json);
    return;
  }
  if (isPlainObject(value)) {
    const inner = indent + "  ";
    let first = true;
    for (const key of Object.keys(value)) {
      const member = value[key];
      if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
      yield `${first ? "{\n" : ",\n"}${inner}${jsonTextForLogs(JSON.stringify(key))}: `;
      first = false;
      yield* jsonChunks(member, inner);
    }
    yield first ? "{}" : `\n${indent}}`;
    return;
  }
  const json = JSON.stringify(value, null, 2);
  // A nested value's lines are indented by its depth (JSON text holds no raw line break in a string).
  yield jsonTextForLogs(indent ? json.replaceAll("\n", `\n${indent}`) : json);
}

/** Whether a Streamed array sits in `value`'s plain-object members, at any depth (only those are written member by member). */
function holdsStreamed(value: Record<string, unknown>, depth = 0): boolean {
  if (depth > 64) return true; // as deep as no report goes: written member by member, as before
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member instanceof Streamed || (isPlainObject(member) && holdsStreamed(member, depth + 1))) return true;
  }
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== "function";
}

/** Lines joined by "\n", as `lines.join("\n")` would be, one piece per line. */
export function* joinLines(lines: Iterable<string>): Generator<string> {
  let first = true;
  for (const line of lines) {
    yield first ? line : `\n${line}`;
    first = false;
  }
}

/** Each line followed by "\n", as `lines.map((l) => l + "\n").join("")` would be. */
export function* eachLine(lines: Iterable<string>): Generator<string> {
  for (const line of lines) yield `${line}\n`;
}

/** The pieces as one string (for the library API and the job summary). */
export function joinChunks(chunks: Chunks): string {
  let s = "";
  for (const c of chunks) s += c;
  return s;
}
