// Regular expressions in policy schemas run with RE2 semantics: linear time whatever the pattern
// and the value (no backtracking, so `^(a+)+$` on a hostile value costs microseconds, not years).
// A policy comes from a repository's files: it is data, and data must not be able to hang a run.
import { RE2JS } from "re2js";
import type { RegExpEngine } from "ajv/dist/types/index.js";

/**
 * The engine ajv compiles `pattern` and `patternProperties` with (its `code.regExp` option). The
 * `u` flag ajv passes is RE2's default: RE2 matches code points.
 */
export const re2Engine: RegExpEngine = Object.assign((pattern: string) => RE2JS.compile(pattern), { code: "re2js.RE2JS.compile" });

/** Why RE2 rejects a pattern (lookaround, backreferences, a syntax error), or undefined when it compiles. */
export function re2Problem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^error parsing regexp: /, "") : String(err);
    return `a regular expression RE2 accepts (no lookaround, no backreferences): ${reason}`;
  }
}
