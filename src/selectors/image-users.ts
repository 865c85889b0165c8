// Who a public image runs as when nothing says otherwise: the documented list in
// data/image-users.json (images that run as a non-root user, and images whose entrypoint starts
// as root and switches to an unprivileged user before starting the service).
import picomatch from "picomatch";
import data from "../../data/image-users.json" with { type: "json" };
import type { ImageRef } from "./image.js";

export interface ImageUser {
  /** "non-root": the image's USER is not root; "drops-privileges": it starts as root and its entrypoint switches user. */
  kind: "non-root" | "drops-privileges";
  /** The user the service runs as, e.g. "472 (grafana)". */
  user: string;
  /** For "drops-privileges": how the entrypoint switches. */
  how?: string;
  /** Where that is shown (the image's Dockerfile USER line, its entrypoint). */
  source: string;
}

interface Entry {
  image: string;
  tags?: string[];
  user: string;
  how?: string;
  source: string;
}

const MATCH = { dot: true };
const compiled = [
  ...data.nonRoot.map((e: Entry) => ({ e, kind: "non-root" as const })),
  ...data.dropsPrivileges.map((e: Entry) => ({ e, kind: "drops-privileges" as const })),
].map(({ e, kind }) => ({
  kind,
  entry: e,
  name: picomatch(e.image, MATCH),
  tag: e.tags ? picomatch(e.tags, MATCH) : () => true,
}));

/** `docker.io/library/redis` → `redis`: the name as the list writes it. */
function normalName(name: string): string {
  return name
    .toLowerCase()
    .replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, "")
    .replace(/^library\//, "");
}

/** The user a public image runs as, when the list knows the image. */
export function imageUserOf(ref: ImageRef): ImageUser | undefined {
  const name = normalName(ref.name);
  const tag = ref.tag ?? "latest";
  const hit = compiled.find((c) => c.name(name) && c.tag(tag));
  if (!hit) return undefined;
  const { user, how, source } = hit.entry;
  return { kind: hit.kind, user, source, ...(how ? { how } : {}) };
}
