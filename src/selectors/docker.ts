import type { DockerInstruction, DockerStage, DockerfileDoc } from "../types.js";

/** Instructions with a keyword, ONBUILD triggers included (they run like the instruction they carry). */
export function instructions(doc: DockerfileDoc | DockerStage, keyword: string): DockerInstruction[] {
  return doc.instructions.filter((i) => i.keyword === keyword);
}

/** `root`, `0`, `000`, `0:1000`, `root:wheel` are root; a variable reference is not known to be. */
export function isRootUser(spec: string): boolean {
  const user = spec.split(":")[0].trim();
  return user === "root" || /^0+$/.test(user);
}

/** Whether an image name refers to an earlier stage of the same Dockerfile. */
export function isStageAlias(doc: DockerfileDoc, image: string, before: number): boolean {
  const name = image.toLowerCase();
  return doc.stages.some((s) => s.index < before && s.alias === name);
}
