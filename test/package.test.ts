// Install by name and CI examples that hold (issue 11, items 1 and 2): what `npm pack` ships, the
// package metadata, the release workflow and the README's workflows. The packed tarball is not
// installed here (that needs the registry); the report of issue 11 records that run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { ROOT } from "./helpers.ts";
import { packedManifest } from "../scripts/pack-manifest.mjs";

interface Manifest {
  name: string;
  bin: Record<string, string>;
  engines: { node: string };
  scripts: Record<string, string>;
  repository?: { url: string };
  homepage?: string;
  bugs?: { url: string };
  keywords?: string[];
  license: string;
}
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;

test("npm pack ships the built CLI, the schema, LICENSE and CHANGELOG, and no rule fixtures, tests or TypeScript sources", () => {
  // --ignore-scripts: list what the files field selects without rebuilding dist/ under other tests.
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
  for (const needed of ["dist/src/cli.js", "dist/src/index.js", "dist/rules/index.js", "dist/data/image-users.json", "dist/schemas/config.schema.json", "schemas/config.schema.json", "LICENSE", "CHANGELOG.md", "README.md", "package.json"]) {
    assert.ok(files.includes(needed), `${needed} is packed`);
  }
  assert.deepEqual(files.filter((f) => /(^|\/)cases\/|^test\/|^bench\/|^examples\/|^action\/|^pre-commit\/|(?<!\.d)\.ts$/.test(f)), [], "no fixtures, tests, bundle or sources");
  assert.equal(pkg.bin.bulkhead, "dist/src/cli.js");
  assert.match(readFileSync(path.join(ROOT, "src/cli.ts"), "utf8"), /^#!\/usr\/bin\/env node\n/);
});

test("package.json: publishable metadata, a clean build when packed, no script that runs at install", () => {
  assert.equal(pkg.name, "bulkhead");
  assert.equal(pkg.repository?.url, "git+https://github.com/bulkhead-dev/bulkhead.git");
  assert.ok(pkg.homepage && pkg.bugs?.url && (pkg.keywords?.length ?? 0) > 0);
  assert.match(readFileSync(path.join(ROOT, "LICENSE"), "utf8"), new RegExp(`^${pkg.license} License`));
  // `prepare` builds dist/ for installs from git; the packed package.json has no install-time
  // script at all (npm warns about each one a tarball or registry install carries).
  assert.equal(pkg.scripts.prepare, "tsc -p tsconfig.json || exit 0");
  assert.match(pkg.scripts.prepack, /^node -e "require\('fs'\)\.rmSync\('dist'.* && tsc -p tsconfig\.json && node scripts\/pack-manifest\.mjs strip$/);
  assert.equal(pkg.scripts.postpack, "node scripts/pack-manifest.mjs restore");
  const packed = JSON.parse(packedManifest(readFileSync(path.join(ROOT, "package.json"), "utf8"))) as Manifest;
  for (const s of ["preinstall", "install", "postinstall", "prepare"]) assert.equal(packed.scripts[s], undefined, `no "${s}" script in the tarball`);
  assert.deepEqual({ ...packed, scripts: undefined }, { ...pkg, scripts: undefined }, "nothing else changes");
  // `import … with { type: "json" }` needs Node 20.10; every runtime dependency must run there too.
  assert.equal(pkg.engines.node, ">=20.10");
  const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean; engines?: { node?: string } }> };
  const tooNew = Object.entries(lock.packages).filter(([name, p]) => {
    const min = name !== "" && !p.dev ? /^>=\s*(\d+)(?:\.(\d+))?/.exec(p.engines?.node ?? "") : null;
    return min !== null && (Number(min[1]) > 20 || (Number(min[1]) === 20 && Number(min[2] ?? 0) > 10));
  });
  assert.deepEqual(tooNew, []);
});

test("the release workflow tests, publishes with provenance on a version tag and moves the Action's major tag", () => {
  const wf = parse(readFileSync(path.join(ROOT, ".github/workflows/release.yml"), "utf8")) as {
    on: { push: { tags: string[] } };
    jobs: Record<string, { needs?: string; permissions?: Record<string, string>; steps: { uses?: string; run?: string }[] }>;
  };
  assert.deepEqual(wf.on.push.tags, ["v[0-9]+.[0-9]+.[0-9]+"]);
  assert.ok(wf.jobs.test.steps.some((s) => s.run === "bash .ci/run"));
  assert.equal(wf.jobs.publish.needs, "test");
  assert.deepEqual(wf.jobs.publish.permissions, { contents: "write", "id-token": "write" });
  const runs = wf.jobs.publish.steps.map((s) => s.run ?? "").join("\n");
  assert.match(runs, /npm publish --provenance/);
  assert.match(runs, /git push --force origin "refs\/tags\/\$major"/);
  assertCurrentActions(Object.values(wf.jobs).flatMap((j) => j.steps));
});

/** The majors the README and workflows use: the current ones, which run on Node 24. */
const CURRENT = { "actions/checkout": "v7", "actions/setup-node": "v7", "github/codeql-action/upload-sarif": "v4", "bulkhead-dev/bulkhead": "v0" } as Record<string, string>;

function assertCurrentActions(steps: { uses?: string }[]): void {
  for (const { uses } of steps) {
    if (!uses) continue;
    const [action, ref] = uses.split("@");
    assert.ok(action in CURRENT, `${action} is an action the README knows`);
    assert.equal(ref, CURRENT[action], uses);
  }
}

test("the README's GitHub workflow uses current majors and the permissions upload-sarif needs in a private repository; GitLab and shell variants are there", () => {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], text: m[2] }));
  const workflow = blocks.find((b) => b.lang === "yaml" && b.text.startsWith("name: bulkhead\n"));
  assert.ok(workflow, "a complete workflow");
  const wf = parse(workflow.text) as { permissions: Record<string, string>; jobs: { bulkhead: { steps: { uses?: string }[] } } };
  assert.deepEqual(wf.permissions, { contents: "read", "security-events": "write", actions: "read" });
  assert.deepEqual(
    wf.jobs.bulkhead.steps.map((s) => s.uses),
    ["actions/checkout@v7", "bulkhead-dev/bulkhead@v0", "github/codeql-action/upload-sarif@v4"],
  );
  // Every other `uses:` in the README too (the first screen, config-from base).
  assertCurrentActions([...readme.matchAll(/^\s*- uses: (\S+)$/gm)].map((m) => ({ uses: m[1] })));

  const gitlab = blocks.find((b) => b.lang === "yaml" && /^bulkhead:\n {2}stage:/.test(b.text));
  assert.ok(gitlab, "a GitLab CI job");
  const job = (parse(gitlab.text) as { bulkhead: { script: string[]; artifacts: { when: string; reports: { codequality: string } } } }).bulkhead;
  assert.match(job.script[0], /^npx --yes bulkhead@\d+\.\d+\.\d+ --format gitlab --output gl-code-quality-report\.json/);
  assert.equal(job.artifacts.when, "always");
  const shell = blocks.find((b) => b.lang === "sh" && b.text.startsWith("#!/bin/sh\n"));
  assert.ok(shell && /^npx --yes bulkhead@\d+\.\d+\.\d+ --fail-on error/m.test(shell.text), "a plain shell gate");
  assert.match(readme.slice(0, 1500), /npx bulkhead/, "the first screen shows npx bulkhead");
});
