import crypto from "node:crypto";
import type { Finding, Level, Region, SourceFile, Suppression } from "../types.js";
import { detach } from "../source.js";
import { visible } from "../visible.js";
import type { AnnotationSuppression } from "./annotations.js";

/** What the run keeps of the Kubernetes object a finding is about (for annotations and `ignore` entries). */
export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
  /** The file that holds it. */
  file: string;
  /** Its `ignore-check.bulkhead.dev/…` annotations, if any. */
  annotations?: AnnotationSuppression[];
}

/**
 * A finding as rules and the engine raise it, before fingerprints and ordering: a small record.
 * Its identifying text is taken when it is reported, while its file is in memory.
 */
export interface RawFinding {
  ruleId: string;
  level: Level;
  message: string;
  file: string;
  region: Region;
  logicalLocation?: string;
  /** The text that identifies it in its fingerprint (see keyOf). */
  key: FingerprintKey;
  object?: ObjectRef;
  suppressions?: Suppression[];
  /** Lines besides its own that the finding accounts for (see ReportInput.coversLines). */
  coversLines?: number[];
  /** A Pod Security Standards finding of the engine's (see settlePss): the rank of the policy that found it. */
  pss?: number;
}

/**
/**
 * The normalized source text of a finding, which its fingerprint hashes with its rule, file and
 * logical location. A long one (the rest of a minified file's only line) is kept as the digest
 * of that key and the hash state after it, so that the finding stays small and its fingerprint
 * is the same.
 */
export type FingerprintKey = string | { digest: string; state: crypto.Hash };

/** Source text longer than this (normalized) is not kept with its finding. */
const MAX_KEPT_SNIPPET = 1024;

/** How fingerprints name a file: its path in its repository (see fingerprintAll). */
export type FileIdentity = (file: string) => string;

const asReported: FileIdentity = (file) => file;

/**
 * The fingerprint key of a finding: `snippet` when the rule gave one, else the text at `region`
 * of `file` (a file that was not read has none), or that text already `taken` from it.
 */
export function keyOf(
  ruleId: string,
  file: string,
  logicalLocation: string | undefined,
  snippet: string | undefined,
  source: SourceFile | undefined,
  region: Region,
  identity: FileIdentity = asReported,
  taken?: string,
): FingerprintKey {
  const id = identity(file);
  const text = snippet !== undefined ? named(normalize(snippet), file, id) : (taken ?? snippetText(source, region));
  if (text.length <= MAX_KEPT_SNIPPET) return detach(text);
  const key = keyString(ruleId, id, named(logicalLocation ?? "", file, id), text);
  return { digest: sha256Hex(key), state: crypto.createHash("sha256").update(`${key}\u0000`) };
}

/**
 * Fingerprints survive line shifts: rule, file, logical location and the normalized source
 * text of the finding (never its line), plus an occurrence counter for identical keys (in
 * file, line and column order). The findings' texts, which quote scanned names and values, are
 * made `visible` here, once for every format (the fingerprint keeps the raw text); file paths
 * stay exact: reports escape them.
 *
 * The file enters the fingerprint as `identity` names it (its path in its repository), not as
 * the report does (relative to the working directory), so that a baseline or a code-scanning
 * alert matches whichever directory bulkhead runs from. Rules that name their file in a logical
 * location or snippet (`.env`, `Kustomization deploy/kustomization.yaml images[app]`) name it as
 * a word of its own: that word is rewritten the same way (keyOf takes the same `identity`).
 */
export function fingerprintAll(raw: RawFinding[], identity: FileIdentity = asReported): Finding[] {
  const ordered = [...raw].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.region.startLine - b.region.startLine || a.region.startColumn - b.region.startColumn,
  );
  const occurrences = new Map<string, number>();
  return ordered.map((f) => {
    const id = identity(f.file);
    const key = typeof f.key === "string" ? keyString(f.ruleId, id, named(f.logicalLocation ?? "", f.file, id), f.key) : `\u0001${f.key.digest}`;
    const n = occurrences.get(key) ?? 0;
    occurrences.set(key, n + 1);
    const digest = typeof f.key === "string" ? sha256Hex(`${key}\u0000${n}`) : f.key.state.copy().update(String(n)).digest("hex");
    const out: Finding = {
      ruleId: f.ruleId,
      level: f.level,
      message: visible(f.message),
      file: f.file,
      region: f.region,
      fingerprint: digest.slice(0, 32),
    };
    if (f.logicalLocation) out.logicalLocation = visible(f.logicalLocation);
    if (f.suppressions) out.suppressions = f.suppressions.map((s) => (s.justification ? { ...s, justification: visible(s.justification) } : s));
    return out;
  });
}

function keyString(ruleId: string, file: string, logicalLocation: string | undefined, text: string): string {
  return `${ruleId}\u0000${file}\u0000${logicalLocation ?? ""}\u0000${text}`;
}

/** One-shot `crypto.hash` (Node 20.12+: no Hash object per finding), else `createHash`. */
const sha256Hex: (s: string) => string =
  typeof crypto.hash === "function" ? (s) => crypto.hash("sha256", s, "hex") : (s) => crypto.createHash("sha256").update(s).digest("hex");

/** The text that identifies a finding: the rule's `snippet`, else the source text at `region`; whitespace normalized. */
export function snippetText(file: SourceFile | undefined, region: Region, snippet?: string): string {
  return normalize(snippet ?? sourceText(file, region));
}

function sourceText(file: SourceFile | undefined, region: Region): string {
  if (!file) return "";
  const first = file.line(region.startLine);
  if (region.endLine === region.startLine) return first.slice(region.startColumn - 1, region.endColumn - 1) || first;
  return first.slice(region.startColumn - 1);
}

/** A rule's text that names the finding's file as a word: named as `id` (the fingerprint's name for it). */
function named(s: string, file: string, id: string): string {
  return id === file ? s : replaceWord(s, file, id);
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
