// Read and parse, the third phase of a run, one file at a time (DESIGN.md, "The pipeline"): a
// file's text (what keeps it from being read, or read fully, is reported on it), then its
// documents (parse.ts; a parser that fails or throws is a finding, never an exception that escapes).
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { DocumentKind } from "../rule.js";
import type { K8sObject, Region, SourceFile } from "../types.js";
import type { DiscoveredFile } from "../discover/discover.js";
import { FILE_SKIPPED, PARSE_ERROR } from "./builtin.js";
import { FILE_START } from "./findings.js";
import { parseFile, QUIET, type ParsedFile, type ParseReports, type YamlParser } from "./parse.js";
import { ownOutputKind } from "./own-reports.js";
import { quote } from "../secrets/index.js";
import type { ScanContext } from "./context.js";

export class Reader {
  /** Time spent reading and parsing, in ms. */
  parseTime = 0;
  readonly helmCharts = new Set<string>();
  private readonly stdinBytes: Uint8Array | undefined;
  /** What bulkhead writes is never a finding (see own-reports.ts). */
  private readonly outputs: Set<string>;

  constructor(private readonly ctx: ScanContext) {
    const { options, base } = ctx.run;
    this.stdinBytes = options.stdin && typeof options.stdin.text !== "string" ? options.stdin.text : undefined;
    this.outputs = new Set([...(options.outputs ?? []), ...(typeof options.baseline === "string" ? [options.baseline] : [])].map((f) => path.resolve(base, f)));
  }

  /** Reads file `i`; what keeps it from being scanned (fully) is reported on it. */
  read(i: number): SourceFile | undefined {
    const { discovery, sources } = this.ctx;
    const d = discovery.files[i];
    if (this.outputs.has(d.absPath)) return sources.exclude(i);
    const notes: string[] = [];
    let skipped: string | undefined;
    const file = sources.read(
      i,
      (message) => notes.push(message),
      (reason) => (skipped = reason),
    );
    for (const message of notes) this.ctx.engineReport(FILE_SKIPPED, d.path, FILE_START, message, file);
    if (skipped !== undefined) this.ctx.notRead(d, skipped, this.stdinBytes);
    const own = file && ownOutputKind(file.text);
    if (own) {
      this.ctx.engineReport(FILE_SKIPPED, d.path, FILE_START, `${quote(d.path)}: a ${own} bulkhead wrote, not scanned`);
      return sources.exclude(i);
    }
    return file;
  }

  /** Runs `parse`, its time counted in parseTime. */
  timed<T>(parse: () => T): T {
    const t = performance.now();
    try {
      return parse();
    } finally {
      this.parseTime += performance.now() - t;
    }
  }

  /** Parses a file (its YAML with `yaml`: what the worker parsed); a parser that throws is reported as such. */
  parse(file: SourceFile, d: DiscoveredFile, yaml?: YamlParser): ParsedFile {
    try {
      return this.timed(() => parseFile(file, this.ctx.run.defaultNamespace, this.ctx.run.reads, this.reports(file, d), yaml));
    } catch (err) {
      this.unparsable(file, err instanceof Error ? err.message : String(err));
      return { objects: [] };
    }
  }

  /** A parse error at `region` of `file`. */
  problem(file: SourceFile): (message: string, region: Region) => void {
    return (message, region) => this.ctx.engineReport(PARSE_ERROR, file.path, region, `${quote(message)} (${quote(file.path)}:${region.startLine}:${region.startColumn})`, file);
  }

  /** A note on `file`. */
  note(file: SourceFile): (message: string) => void {
    return (message) => this.ctx.engineReport(FILE_SKIPPED, file.path, FILE_START, `${quote(file.path)}: ${message}`, file);
  }

  unparsable(file: SourceFile, message: string): void {
    this.ctx.engineReport(PARSE_ERROR, file.path, file.regionOf(0, 0), `could not be parsed: ${quote(message)}`, file);
  }

  /** Where parsing a file reports: a committed file whose policies cannot be checked is incomplete, not a note. */
  private reports(file: SourceFile, d: DiscoveredFile): ParseReports {
    return {
      problem: this.problem(file),
      note: this.note(file),
      unchecked: d.tracked ? (message) => this.ctx.incomplete(d.path, `${quote(d.path)}: ${message}`, file) : this.note(file),
      tooLarge: (message, region) => this.ctx.engineReport(FILE_SKIPPED, file.path, region, `${quote(file.path)}:${region.startLine}: ${message}`, file),
      helmCharts: this.helmCharts,
    };
  }
}

/** The Kubernetes objects of a scanned file, parsed again (what parsing reports was reported the first time). */
export function objectsOf(file: SourceFile | undefined, namespace: string, reads: ReadonlySet<DocumentKind>): K8sObject[] {
  if (!file) return [];
  try {
    return parseFile(file, namespace, reads, QUIET).objects;
  } catch {
    return [];
  }
}
