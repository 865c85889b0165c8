// The texts of a run's files. Each file is read once, in scan order, and released when its own
// rules have run; what needs a file later (a compose check reading an env file, a build context
// reading a .dockerignore, a finding located after its file was released) reads it again.
import { readFileSync } from "node:fs";
import type { SourceFile } from "../types.js";
import type { Discovery } from "../discover/discover.js";
import { createSourceFile } from "../source.js";
import { BINARY_SKIPPED } from "./builtin.js";
import { quote } from "../secrets/index.js";

/** A NUL byte among a file's first bytes marks it as binary (git's own test). */
const BINARY_SNIFF_BYTES = 8000;
/** Ignore files up to this size stay in memory: every Dockerfile's build context reads its .dockerignore. */
const KEPT_IGNORE_FILE = 64 * 1024;
/** Files read again that stay at hand (a compose check asks for the same env file once per rule). */
const RECENT = 4;

const enum Status {
  NotRead = 0,
  Scanned = 1,
  NotScanned = 2,
}

export class Sources {
  private readonly indexOf = new Map<string, number>();
  private readonly status: Uint8Array;
  /** Files in memory: being checked, or held for the run (compose files). */
  private readonly open = new Map<string, SourceFile>();
  private readonly kept = new Map<string, SourceFile>();
  private recent: SourceFile[] = [];

  constructor(
    private readonly discovery: Discovery,
    /** `--stdin`: the text (or bytes) of the one file. */
    private readonly stdin: string | Uint8Array | undefined,
  ) {
    discovery.files.forEach((d, i) => this.indexOf.set(d.path, i));
    this.status = new Uint8Array(discovery.files.length);
  }

  /**
   * Reads file `i` of the discovery as text; undefined when it cannot be scanned. Why it is not
   * scanned (binary, unreadable) goes to `skip`; why not fully (not UTF-8), to `note`.
   */
  read(i: number, note: Note = () => {}, skip: Note = () => {}): SourceFile | undefined {
    const d = this.discovery.files[i];
    const stdin = this.stdin;
    const text = stdin === undefined ? readText(d.absPath, d.path, note, skip) : typeof stdin === "string" ? stdin : decodeBytes(stdin, d.path, note, skip);
    this.status[i] = text === undefined ? Status.NotScanned : Status.Scanned;
    return text === undefined ? undefined : createSourceFile(d.path, d.absPath, d.kind, text);
  }

  /** File `i` of the discovery is not scanned (a report bulkhead wrote). */
  exclude(i: number): undefined {
    this.status[i] = Status.NotScanned;
    return undefined;
  }

  /** A file the run is checking (or keeps): others find it here while it is held. */
  hold(file: SourceFile): void {
    this.open.set(file.path, file);
  }

  release(file: SourceFile): void {
    this.open.delete(file.path);
    if (file.kind === "dockerignore" && file.text.length <= KEPT_IGNORE_FILE) this.kept.set(file.path, file);
  }

  /** A scanned file's source, in memory or read again; undefined for a file that is not scanned. */
  get(relPath: string): SourceFile | undefined {
    const held = this.open.get(relPath) ?? this.kept.get(relPath) ?? this.recent.find((f) => f.path === relPath);
    if (held) return held;
    const i = this.indexOf.get(relPath);
    if (i === undefined || this.status[i] === Status.NotScanned) return undefined;
    const file = this.read(i);
    if (file) this.recent = [file, ...this.recent.slice(0, RECENT - 1)];
    return file;
  }

  /** The absolute path of a file that was scanned. */
  absPathOf(relPath: string): string | undefined {
    const i = this.indexOf.get(relPath);
    return i !== undefined && this.status[i] === Status.Scanned ? this.discovery.files[i].absPath : undefined;
  }
}

type Note = (message: string) => void;

function readText(absPath: string, rel: string, note: Note, skip: Note): string | undefined {
  const unreadable = (err: unknown) => {
    skip(`cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"}); not scanned`);
    return undefined;
  };
  // Most files are valid UTF-8 text: one read straight into a string (Node's fast path, about half
  // the cost of reading a Buffer and decoding it). A NUL among the first characters or a
  // replacement character means the file may be binary or not UTF-8: the bytes decide below.
  let text: string;
  try {
    text = readFileSync(absPath, "utf8");
  } catch (err) {
    return unreadable(err);
  }
  const nul = text.indexOf("\0");
  if ((nul === -1 || nul >= BINARY_SNIFF_BYTES) && !text.includes("\uFFFD")) return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let buf: Buffer;
  try {
    buf = readFileSync(absPath);
  } catch (err) {
    return unreadable(err);
  }
  return decodeBytes(buf, rel, note, skip);
}

/** A file's bytes as text; undefined (skipped) if they look binary, replaced (with a note) if not UTF-8. */
function decodeBytes(bytes: Uint8Array, rel: string, note: Note, skip: Note): string | undefined {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    skip(BINARY_SKIPPED);
    return undefined;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    note(`${quote(rel)}: not valid UTF-8; scanned with invalid bytes replaced`);
    return new TextDecoder("utf-8").decode(bytes);
  }
}
