// Where a file copied into a stage of a multi-stage build ends up: in the final image (the final
// stage, or a stage it is built FROM), carried there by `COPY --from=<stage>`, or nowhere (a
// builder stage whose output is copied selectively). Paths are absolute paths inside the stage.
import path from "node:path";
import picomatch from "picomatch";
import type { DockerInstruction, DockerStage, DockerfileDoc } from "../types.js";
import { copyArgs, expandWith, hasGlob, variablesAt } from "./docker.js";

/** Copies (and stage hops) followed at most: a Dockerfile of dozens of stages stays cheap. */
const MAX_DEPTH = 16;

/** The stage a `--from` names (alias or index), when it is a stage of this Dockerfile before `before`. */
export function stageNamed(doc: DockerfileDoc, name: string, before: number): DockerStage | undefined {
  const lower = name.toLowerCase();
  return doc.stages.find((s) => s.index < before && (s.alias === lower || String(s.index) === name));
}

/** The stage a stage is built FROM, when it is one of this Dockerfile's. */
function parentOf(doc: DockerfileDoc, stage: DockerStage): DockerStage | undefined {
  const image = (stage.resolvedImage ?? stage.image).toLowerCase();
  return doc.stages.find((s) => s.index < stage.index && s.alias === image);
}

/** The working directory an instruction runs in (WORKDIR, inherited through `FROM <stage>`); undefined when a variable in it is unknown. */
export function workdirAt(doc: DockerfileDoc, ins: DockerInstruction): string | undefined {
  const stage = doc.stages[ins.stage];
  if (!stage) return "/";
  let dir: string | undefined = "/";
  const parent = parentOf(doc, stage);
  if (parent) dir = workdirAt(doc, parent.instructions[parent.instructions.length - 1] ?? parent.from);
  for (const i of stage.instructions) {
    if (i === ins) break;
    if (i.keyword !== "WORKDIR" || i.onbuild || dir === undefined) continue;
    const written = i.args.join(" ");
    const value: string | undefined = written.includes("$") ? expandWith(written, variablesAt(doc, i)) : written;
    dir = value === undefined ? undefined : path.posix.resolve(dir, value);
  }
  return dir;
}

/** Where a COPY/ADD puts a file of a copied directory: `<dest>/<path under the directory>`, dest resolved against WORKDIR. */
export function destinationOf(doc: DockerfileDoc, ins: DockerInstruction, under: string): string | undefined {
  const { dest } = copyArgs(doc, ins);
  if (dest === undefined) return undefined;
  const written = dest.includes("$") ? expandWith(dest, variablesAt(doc, ins)) : dest;
  if (written === undefined) return undefined;
  const workdir = written.startsWith("/") ? "/" : workdirAt(doc, ins);
  return workdir === undefined ? undefined : path.posix.join(path.posix.resolve(workdir, written), under);
}

/**
 * How a file at `file` in `stage` reaches the final image: [] when the stage is the final stage or
 * one it is built FROM; else the `COPY --from` instructions that carry it there, in order.
 * Undefined when it does not reach it. `file` undefined (a path bulkhead cannot resolve) is
 * taken to reach it wherever the stage's files are copied from.
 */
export function routeToImage(doc: DockerfileDoc, stage: DockerStage, file: string | undefined, depth = 0): DockerInstruction[] | undefined {
  const final = doc.finalStage;
  if (!final || depth > MAX_DEPTH) return undefined;
  for (let s: DockerStage | undefined = final; s; s = parentOf(doc, s)) if (s === stage) return [];
  // Stages built FROM this one hold its files too.
  for (const child of doc.stages) {
    if (child.index <= stage.index || parentOf(doc, child) !== stage) continue;
    const route = routeToImage(doc, child, file, depth + 1);
    if (route) return route;
  }
  for (const ins of doc.instructions) {
    if (ins.keyword !== "COPY" || ins.onbuild || ins.stage <= stage.index) continue;
    const { sources, from } = copyArgs(doc, ins);
    if (from === undefined || stageNamed(doc, from, ins.stage) !== stage) continue;
    for (const src of sources) {
      const under = file === undefined ? "" : coveredBy(src.path, file);
      if (under === undefined) continue;
      const route = routeToImage(doc, doc.stages[ins.stage]!, file === undefined ? undefined : destinationOf(doc, ins, under), depth + 1);
      if (route) return [ins, ...route];
    }
  }
  return undefined;
}

/**
 * Whether a `COPY --from` source (resolved from the stage's root) copies `file`, and the part of
 * its path the copy keeps under the destination: `/app` copies `/app/.env` as `.env`,
 * `/app/dist` does not copy it. A glob keeps the matched entry's name.
 */
function coveredBy(source: string, file: string): string | undefined {
  const src = path.posix.resolve("/", source);
  if (src === "/") return file.slice(1);
  if (!hasGlob(src)) {
    if (file === src) return path.posix.basename(file);
    return file.startsWith(`${src}/`) ? file.slice(src.length + 1) : undefined;
  }
  const isMatch = picomatch(src, { dot: true });
  for (let entry = file; entry !== "/" && entry !== "."; entry = path.posix.dirname(entry)) {
    if (isMatch(entry)) return file.slice(path.posix.dirname(entry).length + 1);
  }
  return undefined;
}
