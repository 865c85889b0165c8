import type { FileKind } from "../types.js";

/**
 * Compose files by name: `compose.yaml`, `docker-compose.yml` and their variants
 * (`docker-compose.prod.yml`, `docker-compose-dev.yml`, `docker-compose_test.yml`),
 * `<name>.compose.yaml`, and swarm stacks (`docker-stack.yml`, `docker-stack.prod.yml`). Other
 * YAML files (a `stack.yml`, a `deploy/app.yml`) are recognised by their content (see
 * isComposeShaped) or declared with the `compose` setting.
 */
const COMPOSE = /^(?:(?:docker-)?compose|docker-stack)(?:[._-][^/]*)?\.ya?ml$|\.compose\.ya?ml$/i;

/**
 * `Dockerfile.<suffix>` names a Dockerfile variant (`Dockerfile.dev`, `Dockerfile.alpine`), except
 * for documents, backups and source code about Dockerfiles (`dockerfile.ts`, a parser: read as
 * a Dockerfile, every line of it was an unknown instruction).
 */
const NOT_A_DOCKERFILE = /\.(?:md|txt|rst|adoc|orig|bak|swp|[cm]?[jt]sx?|py|go|rs|java|kt|rb|php|cs|c|h|cc|cpp|hpp|sh|ps1|json|ya?ml|toml|xml|html|snap)$/;

/** What kind of file a path is, from its name alone (SPEC §4). */
export function classify(relPath: string): FileKind {
  const base = relPath.slice(relPath.lastIndexOf("/") + 1);
  const lower = base.toLowerCase();
  if (lower === ".dockerignore" || lower.endsWith(".dockerignore")) return "dockerignore";
  if (lower === ".gitignore") return "gitignore";
  if (
    lower === "dockerfile" ||
    lower === "containerfile" ||
    lower.endsWith(".dockerfile") ||
    lower.endsWith(".containerfile") ||
    (/^(?:dockerfile|containerfile)\./.test(lower) && !NOT_A_DOCKERFILE.test(lower))
  )
    return "dockerfile";
  if (COMPOSE.test(base)) return "compose";
  if (/\.(?:ya?ml|json)$/.test(lower)) return "yaml";
  if (lower === ".env" || lower.startsWith(".env.")) return "dotenv";
  return "text";
}

const KIND_NAMES: Record<FileKind, string> = {
  dockerfile: "Dockerfile",
  compose: "compose file",
  dotenv: ".env file",
  yaml: "YAML/JSON file",
  gitignore: ".gitignore",
  dockerignore: ".dockerignore",
  text: "file",
};

/** What a kind of file is called in messages. */
export function kindName(kind: FileKind): string {
  return KIND_NAMES[kind];
}

/** A file's kind by its name, or "compose" when the configuration's `compose` globs declare it one. */
export function classifyDeclared(relPath: string, absPath: string, isCompose: ((absPath: string) => boolean) | undefined): FileKind {
  const kind = classify(relPath);
  return (kind === "yaml" || kind === "text") && isCompose?.(absPath) ? "compose" : kind;
}
