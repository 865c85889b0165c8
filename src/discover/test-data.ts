import path from "node:path";
import picomatch from "picomatch";
import { toPosix } from "./discover.js";

/**
 * Directories that hold test data, fixtures, vendored code or example documentation, at any depth
 * below a scanned directory. What is there is not deployed as it is: workload hardening findings
 * there are noise (on real repositories, most of the findings of a large project were in them),
 * while a live token committed there is as leaked as anywhere. Only rules that declare
 * `testData: "high-confidence"` run there, and only their high-confidence reports count.
 */
export const TEST_DATA_DIRS: readonly string[] = [
  "test",
  "tests",
  "e2e",
  "testdata",
  "test-data",
  "fixtures",
  "__fixtures__",
  "vendor",
  "third_party",
  "third-party",
  "node_modules",
  "examples",
  "example",
  "docs",
  "doc",
];

/**
 * Unit-test source files by the naming conventions of their test runners (Go, Python, JavaScript
 * and TypeScript, Ruby, Java, Kotlin, C#, PHP), and documentation files: they sit next to the
 * code, outside any test or docs directory, and hold the same kind of made-up credentials as
 * fixtures do (a `CookieSecret: "…"` in a table test, a password in a README's example). The
 * marker a match gives is the convention's name.
 */
const TEST_SOURCE_FILES: readonly [marker: string, pattern: RegExp][] = [
  ["*_test.go", /_test\.go$/],
  ["test_*.py", /^test_[^/]*\.py$/],
  ["*_test.py", /_test\.py$/],
  ["*.test.* / *.spec.*", /\.(?:test|spec)\.[cm]?[jt]sx?$/],
  ["*_spec.rb", /_(?:spec|test)\.rb$/],
  ["*Test.java", /[a-z0-9]Tests?\.(?:java|kt|cs|php|scala)$/],
  // Documentation anywhere (a README's example command, a guide's sample output): its literals
  // illustrate, and a compose file it quotes is checked where it really is.
  ["*.md", /\.(?:md|markdown|mdx|rst|adoc)$/i],
];

/** The first directory of TEST_DATA_DIRS on a relative path (the leftmost match; a file name never matches). */
const DEFAULT_DIR = new RegExp(`(?:^|/)(${TEST_DATA_DIRS.map((d) => d.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})/`);

export interface TestDataSettings {
  /** Use TEST_DATA_DIRS. */
  defaults: boolean;
  /** More paths treated as test data (globs relative to `dir`). */
  paths: string[];
  /** Paths never treated as test data (globs relative to `dir`), even under a default directory. */
  except: string[];
  /** The directory the globs are relative to (the configuration file's). */
  dir: string;
}

/**
 * What marks a file as test data: the first default directory on its path below the scanned
 * directory it was found under (`fixtures/`), the unit-test file convention its name follows
 * (`*_test.go`), or the configured glob it matches; undefined for other files. Paths below a directory named on the command line are relative to it, so
 * `bulkhead examples/app` checks that example like any project (as an `exclude` glob does not
 * apply to a directory named on the command line either).
 */
export function testDataMatcher(settings: TestDataSettings): (absPath: string, root: string) => string | undefined {
  const configured = settings.paths.map((glob) => ({ glob, matches: picomatch(glob, { dot: true }) }));
  const except = settings.except.length > 0 ? picomatch(settings.except, { dot: true }) : undefined;
  const dir = path.resolve(settings.dir);
  const anyConfig = configured.length > 0 || except !== undefined;
  return (absPath, root) => {
    const fromConfig = anyConfig ? relative(dir, absPath) : "";
    const inConfigTree = anyConfig && !fromConfig.startsWith("../") && fromConfig !== "..";
    if (inConfigTree && except?.(fromConfig)) return undefined;
    if (settings.defaults) {
      const hit = DEFAULT_DIR.exec(relative(root, absPath));
      if (hit) return `${hit[1]}/`;
      const name = path.basename(absPath);
      for (const [marker, pattern] of TEST_SOURCE_FILES) if (pattern.test(name)) return marker;
    }
    if (inConfigTree && configured.length > 0) {
      const rootRel = relative(dir, root);
      const rootInTree = rootRel !== "" && !rootRel.startsWith("../") && rootRel !== "..";
      for (const c of configured) {
        // A glob that covers the directory named on the command line does not apply below it.
        if (c.matches(fromConfig) && !(rootInTree && c.matches(rootRel))) return c.glob;
      }
    }
    return undefined;
  };
}

/** `path.relative` with forward slashes; a plain slice for a path below the directory (as the walk builds them). */
function relative(dir: string, abs: string): string {
  if (abs === dir) return "";
  return abs.startsWith(dir) && abs[dir.length] === path.sep ? toPosix(abs.slice(dir.length + 1)) : toPosix(path.relative(dir, abs));
}
