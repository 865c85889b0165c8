import { createRequire } from "node:module";
import type { Instruction } from "dockerfile-ast";
import type { DockerFlag, DockerInstruction, DockerStage, DockerfileDoc, Region, SourceFile } from "../types.js";

interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

const toRegion = (r: LspRange): Region => ({
  startLine: r.start.line + 1,
  startColumn: r.start.character + 1,
  endLine: r.end.line + 1,
  endColumn: r.end.character + 1,
});

let parser: typeof import("dockerfile-ast").DockerfileParser | undefined;

/** Parses a Dockerfile (escape directive, continuations, heredocs, ONBUILD) into a typed document. */
export function parseDockerfile(file: SourceFile): DockerfileDoc {
  // dockerfile-ast (CommonJS, ~15 ms to load) is loaded with the first Dockerfile: on large runs
  // the worker parses them all and the main thread never needs it.
  parser ??= (createRequire(import.meta.url)("dockerfile-ast") as typeof import("dockerfile-ast")).DockerfileParser;
  const ast = parser.parse(file.text);
  const lines = file.text.split("\n");
  const sliceRange = (r: LspRange): string => {
    if (r.start.line === r.end.line) return (lines[r.start.line] ?? "").slice(r.start.character, r.end.character);
    const parts = [(lines[r.start.line] ?? "").slice(r.start.character)];
    for (let l = r.start.line + 1; l < r.end.line; l++) parts.push(lines[l] ?? "");
    parts.push((lines[r.end.line] ?? "").slice(0, r.end.character));
    return parts.join("\n");
  };

  const stages: DockerStage[] = [];
  const instructions: DockerInstruction[] = [];
  const initialArgs = new Map<string, string | null>();
  for (const arg of ast.getInitialARGs()) {
    const p = arg.getProperty();
    if (p) initialArgs.set(p.getName(), p.getValue());
  }

  const convert = (ins: Instruction, onbuild: boolean): DockerInstruction => {
    const anyIns = ins as Instruction & {
      getFlags?: () => { getName(): string; getValue(): string | null; getRange(): LspRange }[];
      getJSONStrings?: () => { getRange(): LspRange }[];
      getHeredocs?: () => { getContentRange(): LspRange | null }[];
    };
    let args: string[];
    let argRanges: Region[];
    const json = anyIns.getJSONStrings?.() ?? [];
    if (json.length > 0) {
      args = json.map((s) => {
        try {
          return String(JSON.parse(sliceRange(s.getRange())));
        } catch {
          return sliceRange(s.getRange()).replace(/^"|"$/g, "");
        }
      });
      argRanges = json.map((s) => toRegion(s.getRange()));
    } else {
      const a = ins.getArguments();
      args = a.map((x) => x.getValue());
      argRanges = a.map((x) => toRegion(x.getRange()));
    }
    const flags: DockerFlag[] = (anyIns.getFlags?.() ?? []).map((f) => ({
      name: f.getName(),
      value: f.getValue(),
      range: toRegion(f.getRange()),
    }));
    const heredocs = (anyIns.getHeredocs?.() ?? [])
      .map((h) => h.getContentRange())
      .filter((r): r is LspRange => !!r)
      .map(sliceRange);
    return {
      keyword: ins.getKeyword().toUpperCase(),
      argsText: args.join(" "),
      args,
      argRanges,
      flags,
      heredocs,
      onbuild,
      range: toRegion(ins.getRange() as LspRange),
      stage: Math.max(0, stages.length - 1),
    };
  };

  for (const ins of ast.getInstructions()) {
    const keyword = ins.getKeyword().toUpperCase();
    if (keyword === "FROM") {
      const from = ins as Instruction & { getImage(): string | null; getBuildStage(): string | null };
      const image = from.getImage() ?? "";
      const stage: DockerStage = {
        index: stages.length,
        from: undefined as unknown as DockerInstruction,
        image,
        resolvedImage: expandArgs(image, initialArgs),
        alias: from.getBuildStage()?.toLowerCase() ?? undefined,
        instructions: [],
      };
      stages.push(stage);
      stage.from = convert(ins, false);
      instructions.push(stage.from);
      stage.instructions.push(stage.from);
      continue;
    }
    let converted: DockerInstruction;
    if (keyword === "ONBUILD") {
      const trigger = (ins as Instruction & { getTriggerInstruction(): Instruction | null }).getTriggerInstruction();
      converted = trigger ? convert(trigger, true) : convert(ins, false);
    } else {
      converted = convert(ins, false);
    }
    instructions.push(converted);
    stages[stages.length - 1]?.instructions.push(converted);
  }

  return { file, stages, instructions, finalStage: stages[stages.length - 1] };
}

/**
 * `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR:+word}` (and without the colon). A word never runs past
 * a nested `${`: `([^}]*)` would scan from every `${VAR:-` to the end of a text with no `}` left
 * (quadratic on `${A:-${A:-${A:-…`).
 */
export const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])((?:[^$}]|\$(?!\{))*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Instructions Docker knows (BuildKit's Dockerfile frontend); any other keyword fails the build. */
const INSTRUCTIONS = new Set(["ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"]);

export interface DockerfileProblem {
  message: string;
  region: Region;
  /** The file's stages cannot be known (a FROM without an image): no rule reads its instructions. */
  fatal: boolean;
}

/**
 * Lines Docker would refuse and bulkhead cannot read: an unknown instruction (`RUNN`), a FROM
 * without an image. Each is reported at its line, rather than read as something it is not.
 */
export function dockerfileProblems(doc: DockerfileDoc): DockerfileProblem[] {
  const out: DockerfileProblem[] = [];
  for (const ins of doc.instructions) {
    if (!INSTRUCTIONS.has(ins.keyword)) {
      out.push({ message: `unknown instruction ${JSON.stringify(ins.keyword)}: Docker cannot build this file (is it a typo?)`, region: keywordRegion(ins), fatal: false });
    } else if (ins.keyword === "FROM" && doc.stages.find((s) => s.from === ins)?.image === "") {
      out.push({ message: "FROM without an image: Docker cannot build this file; its instructions are not checked", region: keywordRegion(ins), fatal: true });
    }
  }
  return out;
}

function keywordRegion(ins: DockerInstruction): Region {
  return { startLine: ins.range.startLine, startColumn: ins.range.startColumn, endLine: ins.range.startLine, endColumn: ins.range.startColumn + ins.keyword.length };
}

/** Expands `$VAR`, `${VAR}`, `${VAR:-default}` from ARG defaults; undefined when something stays unresolved. */
export function expandArgs(text: string, args: Map<string, string | null>): string | undefined {
  let unresolved = false;
  const out = text.replace(VARIABLE, (_m, braced, op, word, bare) => {
    const name = braced ?? bare;
    const value = args.get(name);
    if (op === "-") return value ? value : word;
    if (op === "+") return value ? word : "";
    if (value === undefined || value === null) {
      unresolved = true;
      return "";
    }
    return value;
  });
  return unresolved ? undefined : out;
}
