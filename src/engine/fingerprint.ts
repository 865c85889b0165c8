import crypto from "node:crypto";
import type { Finding, K8sObject, Level, Region, SourceFile, Suppression } from "../types.js";
import { visible } from "../visible.js";

/** A finding as rules and the engine raise it, before fingerprints and ordering. */
export interface RawFinding {
  ruleId: string;
  level: Level;
  /** The user set this rule's level explicitly: the preset does not raise it. */
  explicitLevel: boolean;
  message: string;
  file: string;
  region: Region;
  logicalLocation?: string;
  snippet?: string;
  object?: K8sObject;
  suppressions?: Suppression[];
  /** Lines besides its own that the finding accounts for (see ReportInput.coversLines). */
  coversLines?: number[];
}

/**
 * Fingerprints survive line shifts: rule, file, logical location and the normalized source
 * text of the finding (never its line), plus an occurrence counter for identical keys.
 * The findings' texts, which quote scanned names and values, are made `visible` here, once for
 * every format (the fingerprint keeps the raw text); file paths stay exact: reports escape them.
 *
 * The file enters the fingerprint as `identity` names it (its path in its repository), not as
 * the report does (relative to the working directory), so that a baseline or a code-scanning
 * alert matches whichever directory bulkhead runs from. Rules that name their file in a logical
 * location or snippet (`.env`, `Kustomization deploy/kustomization.yaml images[app]`) name it as
 * a word of its own: that word is rewritten the same way.
 */
export function fingerprintAll(raw: RawFinding[], files: Map<string, SourceFile>, identity: (file: string) => string = (file) => file): Finding[] {
  const ordered = [...raw].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.region.startLine - b.region.startLine || a.region.startColumn - b.region.startColumn,
  );
  const occurrences = new Map<string, number>();
  return ordered.map((f) => {
    const id = identity(f.file);
    const named = (s: string) => (id === f.file ? s : replaceWord(s, f.file, id));
    const snippet = f.snippet !== undefined ? named(normalize(f.snippet)) : normalize(sourceText(files.get(f.file), f.region));
    const key = [f.ruleId, id, named(f.logicalLocation ?? ""), snippet].join("\u0000");
    const n = occurrences.get(key) ?? 0;
    occurrences.set(key, n + 1);
    const fingerprint = sha256Hex(`${key}\u0000${n}`).slice(0, 32);
    const out: Finding = {
      ruleId: f.ruleId,
      level: f.level,
      message: visible(f.message),
      file: f.file,
      region: f.region,
      fingerprint,
    };
    if (f.logicalLocation) out.logicalLocation = visible(f.logicalLocation);
    if (f.suppressions) out.suppressions = f.suppressions.map((s) => (s.justification ? { ...s, justification: visible(s.justification) } : s));
    return out;
  });
}

/** One-shot `crypto.hash` (Node 20.12+: no Hash object per finding), else `createHash`. */
const sha256Hex: (s: string) => string =
  typeof crypto.hash === "function" ? (s) => crypto.hash("sha256", s, "hex") : (s) => crypto.createHash("sha256").update(s).digest("hex");

function sourceText(file: SourceFile | undefined, region: Region): string {
  if (!file) return "";
  const first = file.line(region.startLine);
  if (region.endLine === region.startLine) return first.slice(region.startColumn - 1, region.endColumn - 1) || first;
  return first.slice(region.startColumn - 1);
}

/** `s` with every whitespace-delimited occurrence of `word` replaced by `by`. */
function replaceWord(s: string, word: string, by: string): string {
  return s
    .split(" ")
    .map((w) => (w === word ? by : w))
    .join(" ");
}

function normalize(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}
