// `${…}` references as Dockerfiles and compose files write them, matched in linear time.

/**
 * A `${…}` reference as written, up to its first `}`; a nested `${` ends it (then only the inner
 * reference matches). The obvious `/\$\{[^}]*\}/g` scans from every `${` to the end of a text that
 * has no `}` left: quadratic on `${${${…` (a 40 KB value took seconds).
 */
export const BRACED_REFERENCE = /\$\{(?:[^$}]|\$(?!\{))*\}/g;

/** A braced reference or a bare `$NAME`. */
export const REFERENCE = new RegExp(`${BRACED_REFERENCE.source}|\\$[A-Za-z_][A-Za-z0-9_]*`, "g");
