import type { K8sObject, Region, SourceFile } from "../types.js";
import { detach } from "../source.js";
import type { ResolvedConfig } from "./config.js";
import { commentsOf } from "./comments.js";
import { annotationRecord, annotationSuppressions, type AnnotationSuppression } from "./annotations.js";
import { snippetText, type ObjectRef, type RawFinding } from "./fingerprint.js";
import { quote } from "../secrets/index.js";

export interface CommentSuppression {
  scope: "next-line" | "file";
  /** Rule ids; empty means every rule. */
  rules: string[];
  reason: string | undefined;
  /** Where the comment is (for unused-suppression). */
  region: Region;
  /** For next-line: the line it covers. */
  targetLine: number;
  used: boolean;
}

const MARKER = "bulkhead-disable-";

/** A comment that is a directive: the marker right after the comment's own `#` or `//`. */
const DIRECTIVE = /^(?:#|\/\/)\s*bulkhead-disable-(next-line|file)\b(.*)$/;

/**
 * Reads `# bulkhead-disable-next-line <ids> -- <reason>` and `# bulkhead-disable-file <ids> -- <reason>`
 * from the file's comments (see commentsOf: never from a string value, never in JSON or prose).
 */
export function parseCommentSuppressions(file: SourceFile): CommentSuppression[] {
  if (!file.text.includes(MARKER)) return [];
  const out: CommentSuppression[] = [];
  const lastLine = file.regionOf(file.text.length, file.text.length).startLine;
  for (const comment of commentsOf(file, MARKER)) {
    const m = DIRECTIVE.exec(comment.text);
    if (!m) continue;
    const [ids, ...reasonParts] = m[2].split(/\s--\s|\s--$/);
    const reason = reasonParts.join(" -- ").trim() || undefined;
    const rules = ids
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const region = file.regionOf(comment.offset, comment.offset + comment.text.length);
    let target = region.startLine + 1;
    if (m[1] === "next-line") {
      // The next line that is not blank or a comment (a directive may head a block of comments).
      while (target <= lastLine && /^\s*(?:#|\/\/|$)/.test(file.line(target))) target++;
    }
    out.push({ scope: m[1] === "file" ? "file" : "next-line", rules, reason, region, targetLine: target, used: false });
  }
  return out;
}

/** A file's comment suppressions, indexed by the line they cover (a file of thousands stays linear). */
class FileComments {
  private readonly byLine = new Map<number, number[]>();
  private readonly fileScoped: number[] = [];

  constructor(readonly list: Kept<CommentSuppression>[]) {
    list.forEach((s, i) => {
      if (s.scope === "file") this.fileScoped.push(i);
      else this.byLine.set(s.targetLine, [...(this.byLine.get(s.targetLine) ?? []), i]);
    });
  }

  /** The first suppression (in file order) that covers a finding of `ruleId` on `line`, if any; marks it used. */
  match(ruleId: string, line: number): CommentSuppression | undefined {
    let first: Kept<CommentSuppression> | undefined;
    let at = Infinity;
    for (const candidates of [this.fileScoped, this.byLine.get(line) ?? []]) {
      for (const i of candidates) {
        if (i >= at) break;
        const s = this.list[i];
        if (s.rules.length === 0 || s.rules.includes(ruleId)) {
          first = s;
          at = i;
          break;
        }
      }
    }
    if (first) first.used = true;
    return first;
  }
}

/** A suppression as the run keeps it: with the fingerprint text of where it is (taken while its file was in memory). */
type Kept<T> = T & { snippet: string };

/** Where a suppression is reported as unused or reasonless (by the engine, as the builtin rule `rule`). */
export interface SuppressionProblem {
  rule: "unused" | "reason";
  file: string;
  region: Region;
  message: string;
  snippet: string;
}

/**
 * The run's suppressions: comment directives per file and `ignore-check` annotations per object
 * (read while their files are in memory), and the configuration's `ignore` entries.
 */
export class SuppressionIndex {
  private readonly comments = new Map<string, FileComments>();
  /** Annotated objects by file, in file and document order. */
  private readonly annotated = new Map<string, { ref: ObjectRef; annotations: Kept<AnnotationSuppression>[] }[]>();
  private readonly refs = new WeakMap<K8sObject, ObjectRef>();
  /** Files in test data: most rules do not run there, so a suppression that matched nothing is no news. */
  private readonly testData = new Set<string>();

  constructor(
    private readonly config: ResolvedConfig,
    private readonly strict: boolean,
    /** A finding's file as an absolute path (for the configuration's file patterns). */
    private readonly absPathOf: (file: string) => string,
  ) {}

  readComments(file: SourceFile, testData: boolean): void {
    const list = parseCommentSuppressions(file);
    if (list.length === 0) return;
    this.comments.set(file.path, new FileComments(structuredClone(list).map((s) => ({ ...s, snippet: snippetText(file, s.region) }))));
    if (testData) this.testData.add(file.path);
  }

  /** Reads an object's annotations (in file and document order: unused ones are reported in that order). */
  readAnnotations(obj: K8sObject): void {
    const list = annotationSuppressions(obj);
    if (list.length === 0) return;
    const annotations = structuredClone(list).map((a) => ({ ...a, snippet: snippetText(obj.file, a.region) }));
    const ref = { ...plainRef(obj), annotations };
    this.refs.set(obj, ref);
    const inFile = this.annotated.get(ref.file);
    if (inFile) inFile.push({ ref, annotations });
    else this.annotated.set(ref.file, [{ ref, annotations }]);
  }

  /** What a finding keeps of the object it is about. */
  refOf(obj: K8sObject): ObjectRef {
    let ref = this.refs.get(obj);
    if (!ref) {
      // An object parsed again at the end of the run (workspace.objectsOfKinds) is the one whose annotations were read.
      const read = this.annotated.get(obj.file.path)?.find(({ ref: r }) => r.kind === obj.kind && r.namespace === obj.namespace && r.name === obj.name);
      this.refs.set(obj, (ref = read?.ref ?? plainRef(obj)));
    }
    return ref;
  }

  /**
   * Sets the suppression that covers a finding, if any, and says whether there is one (in the
   * strict preset a suppression without a meaningful reason covers nothing). Marks the
   * suppression used.
   */
  apply(f: RawFinding): boolean {
    const match = this.comments.get(f.file)?.match(f.ruleId, f.region.startLine);
    if (match) {
      if (!this.honoured(match.reason)) return false; // not honoured; the comment itself is reported
      f.suppressions = [{ kind: "inSource", justification: match.reason }];
      return true;
    }
    const ann = f.object?.annotations?.find((a) => a.ruleId === f.ruleId);
    if (ann) {
      ann.used = true;
      if (!this.honoured(ann.reason)) return false;
      f.suppressions = [{ kind: "inSource", justification: ann.reason }];
      return true;
    }
    const absPath = this.absPathOf(f.file);
    const objectRef = f.object ? `${f.object.kind}/${f.object.namespace}/${f.object.name}` : undefined;
    const ignored = this.config.ignore.find(
      (i) => i.rule === f.ruleId && i.matchesFile(absPath) && (!i.matchesObject || (objectRef !== undefined && i.matchesObject(objectRef))),
    );
    if (!ignored) return false;
    f.suppressions = [{ kind: "external", justification: ignored.reason ?? "ignored in configuration" }];
    return true;
  }

  /** Files with suppressions. */
  files(): Set<string> {
    return new Set([...this.comments.keys(), ...this.annotated.keys()]);
  }

  /** A file's suppressions that matched no finding, or that the strict preset does not honour (once every finding is matched). */
  problems(file: string): SuppressionProblem[] {
    const out: SuppressionProblem[] = [];
    for (const s of this.comments.get(file)?.list ?? []) {
      const ids = s.rules.length > 0 ? quote(s.rules.join(", ")) : "all rules";
      const where = { file, region: s.region, snippet: s.snippet };
      if (!this.honoured(s.reason)) {
        const message = `suppression of ${ids} gives ${s.reason ? "no meaningful reason" : "no reason"} after "--" (${REASON_RULE}); in the strict preset it is not honoured`;
        out.push({ rule: "reason", ...where, message });
      } else if (!s.used && !this.testData.has(file)) {
        out.push({ rule: "unused", ...where, message: `suppression of ${ids} matched no finding; remove it` });
      }
    }
    for (const { ref, annotations } of this.annotated.get(file) ?? []) {
      for (const a of annotations) {
        const name = `annotation ${quote(a.key)} on ${quote(ref.kind)} ${quote(ref.name)}`;
        const where = { file, region: a.region, snippet: a.snippet };
        if (!this.honoured(a.reason)) out.push({ rule: "reason", ...where, message: `${name} gives no meaningful reason (${REASON_RULE}); in the strict preset it is not honoured` });
        else if (!a.used) out.push({ rule: "unused", ...where, message: `${name} matched no finding; remove it` });
      }
    }
    return out;
  }

  /** Every comment directive and annotation of the scanned files, in file and line order. */
  records(): SuppressionRecord[] {
    const out: SuppressionRecord[] = [];
    for (const [file, comments] of this.comments) for (const s of comments.list) out.push(commentRecord(file, s, this.honoured(s.reason)));
    for (const [file, objects] of this.annotated) {
      for (const { annotations } of objects) for (const a of annotations) out.push(annotationRecord(file, a, this.honoured(a.reason)));
    }
    return out.sort((a, b) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column);
  }

  /** In the strict preset a suppression without a meaningful reason is not honoured (and reported). */
  private honoured(reason: string | undefined): boolean {
    return !this.strict || isMeaningfulReason(reason);
  }
}

/** What a reason must be, for messages (the rule is isMeaningfulReason's). */
const REASON_RULE = "at least three letters or digits, not a placeholder such as todo";

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Words that stand in for a reason without giving one. */
const PLACEHOLDERS = new Set(
  ["todo", "tbd", "fixme", "xxx", "wip", "na", "none", "null", "nil", "no", "reason", "temp", "tmp", "later", "ignore", "ignored", "skip", "disable", "disabled", "suppress", "suppressed", "test", "ok", "fine"],
);

/**
 * Whether a suppression's reason says something (the strict preset honours no other): at least
 * three letters or digits, and not only placeholder words (`todo`, `n/a`, `tbd`, `wip` …).
 */
export function isMeaningfulReason(reason: string | undefined): boolean {
  const words = reason?.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.join("").length < 3) return false;
  return !words.every((w) => PLACEHOLDERS.has(w));
}

/** An in-source suppression as a run saw it (LintResult.suppressions). */
export interface SuppressionRecord {
  file: string;
  line: number;
  column: number;
  /** A comment directive, or a Kubernetes annotation `ignore-check.bulkhead.dev/<rule>`. */
  kind: "comment" | "annotation";
  /** What it covers: the next line, the whole file, or the annotated object. */
  scope: "next-line" | "file" | "object";
  /** Rule ids; empty means every rule. */
  rules: string[];
  reason: string | undefined;
  /** False when the strict preset does not honour it (no meaningful reason). */
  honoured: boolean;
}

export function commentRecord(file: string, s: CommentSuppression, honoured: boolean): SuppressionRecord {
  return { file, line: s.region.startLine, column: s.region.startColumn, kind: "comment", scope: s.scope, rules: s.rules, reason: s.reason, honoured };
}

function plainRef(obj: K8sObject): ObjectRef {
  return { kind: detach(obj.kind), namespace: detach(obj.namespace), name: detach(obj.name), file: obj.file.path };
}
