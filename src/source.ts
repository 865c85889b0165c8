import type { FileKind, Region, SourceFile } from "./types.js";

/** Wraps a file's text with offset → line/column conversion (1-based, end exclusive). */
export function createSourceFile(path: string, absPath: string, kind: FileKind, text: string): SourceFile {
  // Line starts are indexed when a position is first asked for: most files never report anything.
  let starts: number[] | undefined;
  const lines = (): number[] => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    }
    return starts;
  };

  const position = (offset: number): [number, number] => {
    const lineStarts = lines();
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return [lo + 1, offset - lineStarts[lo] + 1];
  };

  return {
    path,
    absPath,
    kind,
    text,
    regionOf(start: number, end: number): Region {
      const [startLine, startColumn] = position(Math.max(0, Math.min(start, text.length)));
      const [endLine, endColumn] = position(Math.max(start, Math.min(end, text.length)));
      return { startLine, startColumn, endLine, endColumn };
    },
    line(n: number): string {
      const lineStarts = lines();
      if (n < 1 || n > lineStarts.length) return "";
      const end = n < lineStarts.length ? lineStarts[n] - 1 : text.length;
      return text.slice(lineStarts[n - 1], end).replace(/\r$/, "");
    },
  };
}

/** A region covering one whole line (used for file-level findings). */
export function lineRegion(file: SourceFile, line: number): Region {
  return { startLine: line, startColumn: 1, endLine: line, endColumn: file.line(line).length + 1 };
}

/** A surrogate code unit: the string may hold a lone one. */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * A copy of a string that keeps nothing else alive. V8 represents a slice of a long string as a
 * view into it (and a concatenation as a pair of its parts), so a name or message cut from a
 * file's text would keep the whole text in memory for as long as the finding or index entry that
 * holds it. Through UTF-8 and back the copy is one flat string; a string that UTF-8 cannot carry
 * (a lone surrogate, from a YAML escape) is copied as a slice of a fresh concatenation instead.
 */
export function detach(s: string): string {
  if (s.length < 13) return s; // V8 copies slices this short
  return SURROGATE.test(s) ? (" " + s).slice(1) : Buffer.from(s, "utf8").toString("utf8");
}
