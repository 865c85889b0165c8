// Container image references, read the same way for Dockerfiles, compose files and Kubernetes.

export interface ImageRef {
  /** The reference as written. */
  raw: string;
  /** Registry host when the reference names one (`registry.example.com`, `localhost:5000`). */
  registry: string | undefined;
  /** Repository path without registry, tag or digest (`nginx`, `org/app`). */
  repository: string;
  /** Registry and repository as written (`ghcr.io/org/app`): the reference without tag and digest. */
  name: string;
  tag: string | undefined;
  /** `sha256:…` when pinned by digest. */
  digest: string | undefined;
}

/** Parses `[registry[:port]/]name[:tag][@digest]`; undefined for an invalid or templated reference. */
export function parseImageRef(raw: string): ImageRef | undefined {
  let rest = raw.trim();
  if (rest === "" || /\s|\$|\{\{/.test(rest)) return undefined;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^\w[\w.-]{0,127}$/.test(tag)) return undefined;
  }
  if (rest === "") return undefined;
  const name = rest;
  let registry: string | undefined;
  const first = rest.indexOf("/");
  if (first >= 0) {
    const head = rest.slice(0, first);
    if (head.includes(".") || head.includes(":") || head === "localhost") {
      registry = head;
      rest = rest.slice(first + 1);
    }
  }
  return { raw, registry, repository: rest, name, tag, digest };
}

/**
 * Why an image is not pinned: no tag (it means `latest`), the `latest` tag, or (strict) a tag
 * without a digest. A digest pins an image whatever its tag. `LATEST` is read as `latest`: Docker
 * tags are case-sensitive, but a tag spelled so is meant to move just the same.
 */
export function unpinned(ref: ImageRef, strict: boolean): "no-tag" | "latest" | "no-digest" | undefined {
  if (ref.digest) return undefined;
  if (ref.tag === undefined) return "no-tag";
  if (ref.tag.toLowerCase() === "latest") return "latest";
  return strict ? "no-digest" : undefined;
}
