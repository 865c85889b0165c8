// One harness for every rule folder: metadata, README sections, README examples (bad must fire,
// good must not), and edge-case fixtures under cases/ (ng.* must raise expected.json, ok.* must not).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { lint } from "../src/index.ts";
import { rules } from "../rules/index.ts";
import { catalog } from "../rules/catalog.ts";
import type { Rule } from "../src/rule.ts";
import type { Finding, PresetName } from "../src/types.ts";
import { ROOT, copyFixture, gitCommitAll, writeTree } from "./helpers.ts";

const SECTIONS = ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## References"];

interface Block {
  tag: "bad" | "good";
  lang: string;
  file: string;
  body: string;
  /** `check-permissions` in the info string: lint the tree with --check-permissions. */
  checkPermissions: boolean;
}

/** Fenced blocks whose info string carries `bad` or `good`, and optionally `file=<path>`. */
export function exampleBlocks(readme: string, rule: Rule): Block[] {
  const blocks: Block[] = [];
  const re = /^```([^\n]*)\n([\s\S]*?)^```\s*$/gm;
  for (let m = re.exec(readme); m; m = re.exec(readme)) {
    const words = m[1].trim().split(/\s+/);
    const tag = words.find((w) => w === "bad" || w === "good") as Block["tag"] | undefined;
    if (!tag) continue;
    const lang = words[0];
    const file = words.find((w) => w.startsWith("file="))?.slice(5) ?? defaultFile(lang, rule);
    blocks.push({ tag, lang, file, body: m[2], checkPermissions: words.includes("check-permissions") });
  }
  return blocks;
}

function defaultFile(lang: string, rule: Rule): string {
  if (lang === "dockerfile" || lang === "Dockerfile") return "Dockerfile";
  if (lang === "yaml" || lang === "yml") return rule.meta.id.startsWith("compose/") ? "docker-compose.yml" : "manifest.yaml";
  if (lang === "json") return "manifest.json";
  if (lang === "dotenv" || lang === "env") return ".env";
  throw new Error(`${rule.meta.id}: example block in "${lang}" needs file=<path>`);
}

async function lintTree(dir: string, preset: PresetName = "recommended", extra: Record<string, unknown> = {}): Promise<Finding[]> {
  const result = await lint({ cwd: dir, config: false, preset, ...extra });
  return result.findings.filter((f) => !f.suppressions?.length);
}

const show = (fs: Finding[]) => fs.map((f) => `${f.file}:${f.region.startLine}:${f.region.startColumn} ${f.level} ${f.ruleId} ${f.message}`).join("\n");

test("rules/index.ts, docs/rules and the README rule table are fresh", () => {
  execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/gen.ts"), "--check"], { cwd: ROOT, stdio: "pipe" });
});

// A run knows a rule by its catalog entry until it loads the module (src/engine/rules.ts): the
// entry must say what the module says, or a run would skip a rule or misreport its metadata.
test("rules/catalog.ts gives each rule module's metadata and visitors, and loads that module", async () => {
  assert.deepEqual(catalog.map((e) => e.meta.id), rules.map((r) => r.meta.id));
  for (const [i, entry] of catalog.entries()) {
    const loaded = (await entry.load()).default;
    assert.equal(loaded, rules[i], entry.meta.id);
    assert.deepStrictEqual(entry.meta, loaded.meta, entry.meta.id);
    assert.deepStrictEqual(entry.visitors, Object.keys(loaded).filter((k) => typeof (loaded as unknown as Record<string, unknown>)[k] === "function"), entry.meta.id);
  }
});

for (const rule of rules) {
  const id = rule.meta.id;
  const folder = path.join(ROOT, "rules", id);

  test(`${id}: folder, metadata and README`, () => {
    assert.ok(existsSync(path.join(folder, "rule.ts")), `rules/${id}/rule.ts exists (the folder path equals the id)`);
    assert.match(id, /^(docker|compose|k8s|repo)\/[a-z0-9-]+$/);
    assert.ok(rule.meta.summary.length > 10 && rule.meta.remediation.length > 10);
    assert.ok(rule.meta.tags.includes("security"));
    const readme = readFileSync(path.join(folder, "README.md"), "utf8");
    for (const s of SECTIONS) assert.ok(readme.includes(`\n${s}\n`), `README has "${s}"`);
    const blocks = exampleBlocks(readme, rule);
    assert.ok(blocks.some((b) => b.tag === "bad"), "README has a bad example");
    assert.ok(blocks.some((b) => b.tag === "good"), "README has a good example");
  });

  test(`${id}: README examples (bad fires, good raises nothing of it and no error)`, async () => {
    const readme = readFileSync(path.join(folder, "README.md"), "utf8");
    const blocks = exampleBlocks(readme, rule);
    for (const tag of ["bad", "good"] as const) {
      const tree = blocks.filter((b) => b.tag === tag);
      const dir = writeTree(Object.fromEntries(tree.map((b) => [b.file, b.body])));
      gitCommitAll(dir);
      const findings = await lintTree(dir, "recommended", tree.some((b) => b.checkPermissions) ? { checkPermissions: true } : {});
      const own = findings.filter((f) => f.ruleId === id);
      if (tag === "bad") assert.ok(own.length > 0, `bad example raises ${id}; got:\n${show(findings)}`);
      else {
        assert.deepEqual(own, [], `good example raises no ${id}`);
        assert.deepEqual(findings.filter((f) => f.level === "error"), [], `good example raises no error:\n${show(findings)}`);
      }
    }
  });

  const casesDir = path.join(folder, "cases");
  if (!existsSync(casesDir)) continue;
  for (const name of readdirSync(casesDir).sort()) {
    if (!/^(ok|ng)\./.test(name)) throw new Error(`rules/${id}/cases/${name}: case folders start with ok. or ng.`);
    test(`${id}: case ${name}`, async () => {
      const src = path.join(casesDir, name);
      const setup = existsSync(path.join(src, "case.json"))
        ? (JSON.parse(readFileSync(path.join(src, "case.json"), "utf8")) as { git?: boolean; untracked?: string[]; preset?: PresetName; lint?: Record<string, unknown> })
        : {};
      const dir = copyFixture(src);
      rmSync(path.join(dir, "expected.json"), { force: true });
      rmSync(path.join(dir, "case.json"), { force: true });
      if (setup.git !== false) gitCommitAll(dir, setup.untracked);
      const findings = await lintTree(dir, setup.preset, setup.lint);
      const own = findings.filter((f) => f.ruleId === id);
      if (name.startsWith("ok.")) {
        assert.deepEqual(show(own), "", `ok case raises no ${id}`);
        return;
      }
      const expected = JSON.parse(readFileSync(path.join(src, "expected.json"), "utf8")) as {
        ruleId?: string;
        file?: string;
        line: number;
        column?: number;
        endLine?: number;
        endColumn?: number;
        level?: string;
        message?: string;
      }[];
      assert.ok(expected.length > 0, "an ng case expects at least one finding");
      for (const e of expected) {
        const hit = findings.find(
          (f) =>
            f.ruleId === (e.ruleId ?? id) &&
            (e.file === undefined || f.file === e.file) &&
            f.region.startLine === e.line &&
            (e.column === undefined || f.region.startColumn === e.column) &&
            (e.endLine === undefined || f.region.endLine === e.endLine) &&
            (e.endColumn === undefined || f.region.endColumn === e.endColumn) &&
            (e.level === undefined || f.level === e.level) &&
            (e.message === undefined || f.message.includes(e.message)),
        );
        assert.ok(hit, `expected ${JSON.stringify(e)}; got:\n${show(findings)}`);
      }
    });
  }
}
