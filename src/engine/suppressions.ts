import type { K8sObject, Region, SourceFile } from "../types.js";
import { detach } from "../source.js";
import type { ResolvedConfig } from "./config.js";
import { annotationSuppressions, type AnnotationSuppression } from "./annotations.js";
import { snippetText, type ObjectRef, type RawFinding } from "./fingerprint.js";

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

// The comment marker must start the line or follow whitespace, so a directive quoted inside a
// string or a Markdown code span is not one.
const DIRECTIVE = /(?:^|\s)(?:#|\/\/)\s*bulkhead-disable-(next-line|file)\b([^\n]*)$/;

/** Prose formats where `#` is a heading, not a comment: a directive there is documentation. */
const PROSE = /\.(?:md|markdown|mdx|rst|adoc|txt|html?)$/i;

/** Reads `# bulkhead-disable-next-line <ids> -- <reason>` and `# bulkhead-disable-file <ids> -- <reason>`. */
export function parseCommentSuppressions(file: SourceFile): CommentSuppression[] {
  if (!file.text.includes("bulkhead-disable-") || PROSE.test(file.path)) return [];
  const lines = file.text.split("\n");
  const out: CommentSuppression[] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    const m = DIRECTIVE.exec(line);
    if (!m) return;
    const [ids, ...reasonParts] = m[2].split(/\s--\s|\s--$/);
    const reason = reasonParts.join(" -- ").trim() || undefined;
    const rules = ids
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    let target = i + 2;
    if (m[1] === "next-line") {
      while (target <= lines.length && /^\s*(?:#|\/\/|$)/.test(lines[target - 1].replace(/\r$/, ""))) target++;
    }
    out.push({
      scope: m[1] === "file" ? "file" : "next-line",
      rules,
      reason,
      region: { startLine: i + 1, startColumn: m.index + (m[0].length - m[0].trimStart().length) + 1, endLine: i + 1, endColumn: line.length + 1 },
      targetLine: target,
      used: false,
    });
  });
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

  constructor(
    private readonly config: ResolvedConfig,
    private readonly strict: boolean,
    /** A finding's file as an absolute path (for the configuration's file patterns). */
    private readonly absPathOf: (file: string) => string,
  ) {}

  readComments(file: SourceFile): void {
    const list = parseCommentSuppressions(file);
    if (list.length > 0) this.comments.set(file.path, new FileComments(structuredClone(list).map((s) => ({ ...s, snippet: snippetText(file, s.region) }))));
  }

  /** Reads an object's annotations (in file and document order: unused ones are reported in that order). */
  readAnnotations(obj: K8sObject): void {
    const list = annotationSuppressions(obj);
    if (list.length === 0) return;
    const annotations = structuredClone(list).map((a) => ({ ...a, snippet: snippetText(obj.file, a.region) }));
    const ref = { ...this.refOf(obj), annotations };
    this.refs.set(obj, ref);
    const inFile = this.annotated.get(ref.file);
    if (inFile) inFile.push({ ref, annotations });
    else this.annotated.set(ref.file, [{ ref, annotations }]);
  }

  /** What a finding keeps of the object it is about. */
  refOf(obj: K8sObject): ObjectRef {
    let ref = this.refs.get(obj);
    if (!ref) this.refs.set(obj, (ref = { kind: detach(obj.kind), namespace: detach(obj.namespace), name: detach(obj.name), file: obj.file.path }));
    return ref;
  }

  /**
   * Sets the suppression that covers a finding, if any, and says whether there is one (a comment
   * without a reason covers nothing in the strict preset). Marks the suppression used.
   */
  apply(f: RawFinding): boolean {
    const match = this.comments.get(f.file)?.match(f.ruleId, f.region.startLine);
    if (match) {
      if (this.strict && !match.reason) return false; // not honoured; the comment itself is reported
      f.suppressions = [{ kind: "inSource", justification: match.reason }];
      return true;
    }
    const ann = f.object?.annotations?.find((a) => a.ruleId === f.ruleId);
    if (ann) {
      ann.used = true;
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
      const ids = s.rules.length > 0 ? s.rules.join(", ") : "all rules";
      if (this.strict && !s.reason) out.push({ rule: "reason", file, region: s.region, snippet: s.snippet, message: `suppression of ${ids} gives no reason after "--"; in the strict preset it is not honoured` });
      else if (!s.used) out.push({ rule: "unused", file, region: s.region, snippet: s.snippet, message: `suppression of ${ids} matched no finding; remove it` });
    }
    for (const { ref, annotations } of this.annotated.get(file) ?? []) {
      for (const a of annotations) {
        if (!a.used) out.push({ rule: "unused", file, region: a.region, snippet: a.snippet, message: `annotation ignore-check.bulkhead.dev/${a.ruleId.slice(4)} on ${ref.kind} ${ref.name} matched no finding; remove it` });
      }
    }
    return out;
  }
}
