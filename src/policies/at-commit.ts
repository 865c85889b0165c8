// Policy files as a commit has them. A configuration read from a commit (`--config-from`, the
// Action's `config-from: base`) names its policies there: read from the work tree, a pull request
// could rewrite a policy the base commit's configuration relies on (`assert: true`).
import path from "node:path";
import { isDynamicPattern } from "globby";
import { UsageError } from "../errors.js";
import { pathMatcher } from "../glob.js";
import { toPosix } from "../discover/discover.js";
import { filesAtCommit, showAtCommit } from "../policy-ref.js";
import { isPolicyFileName, type PolicyReader } from "./load.js";

/** Reads the policy files a configuration of `commit` names; paths relative to `base` (git runs there). */
export function commitPolicyReader(base: string, commit: string, origin: string): PolicyReader {
  const relative = (abs: string) => toPosix(path.relative(base, abs));
  return {
    origin,
    files(source) {
      const dir = relative(source.dir);
      const listed = filesAtCommit(base, commit, source.dir);
      const inDir = (f: string) => (dir === "" ? f : f.slice(dir.length + 1));
      if (isDynamicPattern(source.pattern)) {
        const matches = pathMatcher(source.pattern);
        return listed.filter((f) => isPolicyFileName(f) && matches(inDir(f))).map((f) => path.resolve(base, f));
      }
      const named = relative(path.resolve(source.dir, source.pattern));
      if (listed.includes(named)) return [path.resolve(base, named)];
      return listed.filter((f) => f.startsWith(`${named}/`) && isPolicyFileName(f)).map((f) => path.resolve(base, f));
    },
    read(abs, shown) {
      const at = showAtCommit(base, commit, relative(abs));
      if ("text" in at) return at.text;
      throw new UsageError(`policy file "${shown}" in the ${origin} is ${"notAFile" in at ? at.notAFile : "missing"}; it is not read`);
    },
  };
}
