// Discover, the second phase of a run (DESIGN.md, "The pipeline"): the files to scan, or the one
// standard input stands for, with their kinds, what git tracks, and what is skipped and why.
import path from "node:path";
import { discover, toPosix, type Discovery } from "../discover/discover.js";
import { classifyDeclared } from "../discover/classify.js";
import { testDataMatcher } from "../discover/test-data.js";
import { fileFilter } from "./config.js";
import { UsageError } from "../errors.js";
import type { Run } from "./resolve.js";
import { WORKER_MIN_FILES } from "./offload.js";

/** `many` is called once discovery has found WORKER_MIN_FILES files (unless `threads` says whether to start a worker). */
export async function discoverFiles(run: Run, many: () => void): Promise<Discovery> {
  const { options, base, paths, config } = run;
  if (options.stdin) {
    const rel = stdinPath(options.stdin.filename);
    return {
      files: [{ absPath: path.resolve(base, rel), path: rel, mode: 0o644, kind: classifyDeclared(rel, path.resolve(base, rel), config.isCompose), size: options.stdin.text.length, tracked: true }],
      onDisk: [],
      dirs: [],
      skipped: [],
      inGitRepo: false,
      gitProblems: [],
      embeddedGitDirs: [],
      isGitIgnored: () => false,
      reported: () => true,
    };
  }
  const discovery = await discover(paths, { base, filter: fileFilter(config), testData: testDataMatcher(config.testData), isCompose: config.isCompose, maxFileSize: run.maxFileSize, git: run.repositories, ...(options.threads === undefined ? { many: { files: WORKER_MIN_FILES, call: many } } : {}) });
  if (options.staged && (!discovery.inGitRepo || discovery.gitProblems.length > 0)) {
    const problem = discovery.gitProblems[0];
    throw new UsageError(problem ? `--staged: ${problem.problem} (${problem.hint})` : `--staged reports the files of git's index, and ${paths.join(", ")} is not in a git work tree`);
  }
  return discovery;
}

/**
 * The file that standard input stands for, relative to the base. It names where findings point
 * (reports, SARIF URIs, baselines), so it must stay inside: no absolute path, no drive, no `..`.
 */
function stdinPath(filename: string): string {
  const rel = toPosix(filename);
  const segments = rel.split(/[/\\]/);
  const problem =
    path.posix.isAbsolute(rel) || path.win32.isAbsolute(rel) || /^[A-Za-z]:/.test(rel)
      ? "is an absolute path"
      : segments.includes("..")
        ? 'has a ".." segment'
        : [".", ""].includes(segments[segments.length - 1])
          ? "does not name a file"
          : undefined;
  if (problem) throw new UsageError(`--stdin-filename ${JSON.stringify(filename)} ${problem}; give a path relative to the directory scanned, such as chart.yaml or deploy/app.yaml`);
  return rel;
}
