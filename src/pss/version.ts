// Pod Security Standards versions, as Pod Security Admission writes them: `latest` or `v1.N`
// (k8s.io/pod-security-admission/api ParseVersion). A version is the minor number of Kubernetes 1.x;
// `latest` is newer than every numbered version.

/** A PSS version: the minor number N of `v1.N`, or Infinity for `latest`. */
export type PssVersion = number;

export const LATEST: PssVersion = Number.POSITIVE_INFINITY;

/** Admission's own pattern: `v1.` and a minor number without a leading zero. */
const VERSION = /^v1\.(0|[1-9][0-9]*)$/;

/** The version a string names, or undefined when it is neither `latest` nor `v1.N`. */
export function parsePssVersion(text: string): PssVersion | undefined {
  if (text === "latest") return LATEST;
  const m = VERSION.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** `latest` or `v1.N`. */
export function showPssVersion(v: PssVersion): string {
  return v === LATEST ? "latest" : `v1.${v}`;
}

/** What a user may write, for messages and the configuration schema. */
export const PSS_VERSION_PATTERN = "^(latest|v1\\.(0|[1-9][0-9]*))$";
