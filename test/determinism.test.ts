// SPEC §8: the same tree gives byte-identical reports. Two runs on one tree (JSON and SARIF), and
// the same files written in the opposite order into another directory (so directory listing
// order differs) give the same JSON, and SARIF equal but for the tree's absolute path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateTree } from "../bench/generate.ts";
import { EXAMPLES, copyFixture, gitCommitAll, runCli, tmpDir } from "./helpers.ts";
import { mkfifo, writeHostileTree } from "./hostile-tree.ts";

/** Every entry under dir (files and symlinks), relative, sorted. */
function entries(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, rel))) {
    if (name === ".git") continue;
    const r = rel ? `${rel}/${name}` : name;
    const st = lstatSync(path.join(dir, r));
    if (st.isDirectory()) out.push(...entries(dir, r));
    else out.push(r);
  }
  return out.sort();
}

/** Copies a tree file by file in reverse path order (symlinks as symlinks). */
function copyReversed(src: string, dst: string): void {
  for (const rel of entries(src).reverse()) {
    const from = path.join(src, rel);
    const to = path.join(dst, rel);
    mkdirSync(path.dirname(to), { recursive: true });
    const st = lstatSync(from);
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (st.isFIFO()) mkfifo(to);
    else writeFileSync(to, readFileSync(from), { mode: st.mode & 0o777 });
  }
}

test("two runs on the same tree, and the same tree written in another order, give byte-identical reports", () => {
  const a = tmpDir("bulkhead-det-a-");
  const b = tmpDir("bulkhead-det-b-");
  try {
    generateTree(a, 400);
    rmSync(path.join(a, ".git"), { recursive: true, force: true });
    rmSync(path.join(a, ".bench-tree.json"), { force: true });
    for (const name of readdirSync(EXAMPLES)) {
      if (lstatSync(path.join(EXAMPLES, name)).isDirectory()) copyFixture(path.join(EXAMPLES, name), path.join(a, "examples", name));
    }
    writeHostileTree(path.join(a, "hostile"));
    copyReversed(a, b);
    gitCommitAll(a);
    gitCommitAll(b);

    const report = (dir: string, format: string) => {
      const run = runCli(["-f", format, "."], { cwd: dir });
      assert.ok(run.code === 0 || run.code === 1, `${format}: exit ${run.code}: ${run.stderr}`);
      assert.equal(run.stderr, "");
      return run.stdout;
    };
    const jsonA1 = report(a, "json");
    const jsonA2 = report(a, "json");
    assert.ok(jsonA1 === jsonA2, "JSON: two runs on the same tree differ");
    assert.ok(JSON.parse(jsonA1).findings.length > 100);

    const sarifA1 = report(a, "sarif");
    const sarifA2 = report(a, "sarif");
    assert.ok(sarifA1 === sarifA2, "SARIF: two runs on the same tree differ");

    const jsonB = report(b, "json");
    assert.ok(jsonB === jsonA1, "JSON: the same files written in another order give another report");
    const sarifB = report(b, "sarif");
    const normalize = (s: string, dir: string) => s.split(dir).join("<root>").split(encodeURI(dir)).join("<root>");
    assert.ok(normalize(sarifB, b) === normalize(sarifA1, a), "SARIF: the same files written in another order give another report");
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});
