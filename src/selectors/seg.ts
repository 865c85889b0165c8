// Positioned text: segments that remember where each character came from in the file, so a
// rule can point at a word inside a continued, quoted or heredoc'd Dockerfile instruction.
import type { Region, SourceFile } from "../types.js";

/** A piece of text with the file offset of every character (continuations and quotes removed). */
export interface Seg {
  text: string;
  /** File offset of text[i]. */
  at: number[];
  /** File offset just after the segment. */
  end: number;
}

const lineStartsCache = new WeakMap<SourceFile, number[]>();

function lineStarts(file: SourceFile): number[] {
  let starts = lineStartsCache.get(file);
  if (!starts) {
    starts = [0];
    const t = file.text;
    for (let i = t.indexOf("\n"); i !== -1; i = t.indexOf("\n", i + 1)) starts.push(i + 1);
    lineStartsCache.set(file, starts);
  }
  return starts;
}

/** File offset of a 1-based line and column. */
export function offsetOf(file: SourceFile, line: number, column: number): number {
  const starts = lineStarts(file);
  const base = starts[Math.max(0, Math.min(line - 1, starts.length - 1))] ?? 0;
  return Math.min(file.text.length, base + column - 1);
}

/** Region of a [start, end) range of a segment's characters (indexes into seg.text). */
export function segRegion(file: SourceFile, seg: Seg, from = 0, to = seg.text.length): Region {
  const start = from < seg.at.length ? seg.at[from] : seg.end;
  const end = to > 0 && to <= seg.at.length ? seg.at[to - 1] + 1 : start;
  return file.regionOf(start, Math.max(start, end));
}

/** The characters [from, to) of a segment, with their offsets. */
export function sliceSeg(seg: Seg, from: number, to: number): Seg {
  const at = seg.at.slice(from, to);
  return { text: seg.text.slice(from, to), at, end: to < seg.at.length ? seg.at[to] : seg.end };
}
