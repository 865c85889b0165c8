// npm run bench [-- --files N] [--sizes N,N,…] [--runs R] [--dir D] [--profile] [--fresh] [--json] [--peers]
//
// Generates a deterministic tree of N files (a git repository), then times in the same run:
//   (a) the floor: walk + read every file + YAML-parse every YAML/JSON file with positions
//       (bench/floor.mjs, single-threaded), and
//   (b) the full CLI: `node dist/src/cli.js -f json -o <file>` on the tree,
// each in its own child process, interleaved, R times (median reported). Peak RSS comes from
// getrusage in each child (bench/rss-probe.mjs). Also: `bulkhead --version`, median of 10.
// With --sizes, (a) and (b) for each size (one tree each), printed as a scaling table.
// Not a test: timings depend on the machine; the README records what one machine measured.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateTree } from "./generate.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "dist/src/cli.js");
const FLOOR = path.join(ROOT, "bench/floor.mjs");
const PROBE = path.join(ROOT, "bench/rss-probe.mjs");
const OUT = path.join(ROOT, "bench/out");
const POLICIES = path.join(ROOT, "bench/policies");

const USAGE = `npm run bench [-- options]
  --files N    files in the generated tree (default 10000)
  --sizes L    a scaling table instead: floor and bulkhead (wall, peak RSS) for each size in the
               comma-separated list, e.g. 10000,50000,100000 (one tree per size)
  --runs R     runs of each measurement; medians are reported (default 3)
  --dir D      where the tree is generated (default: $TMPDIR/bulkhead-bench-N, reused if current)
  --fresh      regenerate the tree
  --profile    also write a V8 CPU profile of one run to bench/out/profile
  --policies   also time runs with the ten custom policies of bench/policies (interleaved)
  --json       print the figures as JSON
  --peers      also time dclint, dockerfilelint, @monokle/validation and secretlint on the same
               files (installed into bench/.peers; see bench/peers.ts)
  -h, --help   this text
`;
const { values } = (() => {
  try {
    return parseArgs({
      options: {
        files: { type: "string", default: "10000" },
        sizes: { type: "string" },
        runs: { type: "string", default: "3" },
        dir: { type: "string" },
        profile: { type: "boolean" },
        policies: { type: "boolean" },
        fresh: { type: "boolean" },
        json: { type: "boolean" },
        peers: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
})();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const runs = Math.max(1, Number(values.runs));
const sizes = (values.sizes ?? values.files).split(",").map((x) => Number(x.trim()));
for (const n of sizes) if (!Number.isInteger(n) || n < 10) throw new Error(`--files and --sizes expect integers >= 10 (got ${values.sizes ?? values.files})`);
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
mkdirSync(OUT, { recursive: true });

/** The tree of `count` files (generated, or reused if current). */
function treeOf(count: number) {
  const treeDir = values.dir && !values.sizes ? path.resolve(values.dir) : path.join(os.tmpdir(), `bulkhead-bench-${count}`);
  const tGen = performance.now();
  if (values.fresh) rmSync(treeDir, { recursive: true, force: true });
  const tree = generateTree(treeDir, count);
  const genS = (performance.now() - tGen) / 1000;
  log(`tree: ${tree.files} files, ${(tree.bytes / 1048576).toFixed(1)} MB in ${tree.dir} (${tree.reused ? "reused" : `generated in ${genS.toFixed(1)} s`})`);
  return tree;
}

interface Measure {
  wallMs: number;
  rssMb: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function measure(cwd: string, args: string[], env: Record<string, string> = {}): Measure {
  const rssFile = path.join(OUT, `rss-${process.pid}.txt`);
  rmSync(rssFile, { force: true });
  const t = performance.now();
  const r = spawnSync(process.execPath, ["--import", PROBE, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "true", BENCH_RSS_FILE: rssFile, ...env },
    maxBuffer: 1 << 26,
  });
  const wallMs = performance.now() - t;
  const rssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) : NaN;
  rmSync(rssFile, { force: true });
  return { wallMs, rssMb: rssKb / 1024, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const report = path.join(OUT, "report.json");
const floorRun = (dir: string) => measure(dir, [FLOOR, "."]);
const policyReport = path.join(OUT, "report-policies.json");
const cliRun = (dir: string, extra: string[] = [], out = report) => {
  const m = measure(dir, [CLI, "-f", "json", "-o", out, ...extra, "."]);
  if (m.code !== 0 && m.code !== 1) throw new Error(`bulkhead exited ${m.code}: ${m.stderr.slice(0, 2000)}`);
  return m;
};
const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`;

if (values.sizes) {
  // The scaling table: per size, the floor and the CLI, interleaved, median wall and highest peak RSS.
  const rows = sizes.map((count) => {
    const tree = treeOf(count);
    floorRun(tree.dir);
    cliRun(tree.dir);
    const floors: Measure[] = [];
    const clis: Measure[] = [];
    for (let i = 0; i < runs; i++) {
      floors.push(floorRun(tree.dir));
      clis.push(cliRun(tree.dir));
    }
    const cliS = med(clis.map((m) => m.wallMs)) / 1000;
    const floorS = med(floors.map((m) => m.wallMs)) / 1000;
    return {
      files: tree.files,
      megabytes: +(tree.bytes / 1048576).toFixed(1),
      cli: { seconds: +cliS.toFixed(2), peakRssMb: Math.round(Math.max(...clis.map((m) => m.rssMb))) },
      floor: { seconds: +floorS.toFixed(2), peakRssMb: Math.round(Math.max(...floors.map((m) => m.rssMb))) },
      ratio: +(cliS / floorS).toFixed(2),
    };
  });
  if (values.json) {
    process.stdout.write(JSON.stringify({ date: new Date().toISOString().slice(0, 10), machine, node: process.version, runs, sizes: rows }, null, 2) + "\n");
  } else {
    log("");
    log(`machine: ${machine}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}, median of ${runs} runs`);
    log("| files | bulkhead wall | floor wall | ratio | bulkhead peak RSS | floor peak RSS |");
    log("| ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const r of rows) {
      log(`| ${r.files.toLocaleString("en-US")} | ${r.cli.seconds.toFixed(2)} s | ${r.floor.seconds.toFixed(2)} s | ${r.ratio.toFixed(2)}x | ${r.cli.peakRssMb} MB | ${r.floor.peakRssMb} MB |`);
    }
  }
  process.exit(0);
}

const tree = treeOf(sizes[0]);
// Every rule switched off: what the engine itself costs (discovery, reading, parsing, reports).
const { rules: allRules } = (await import(path.join(ROOT, "dist/rules/index.js"))) as { rules: { meta: { id: string } }[] };
const rulesOff = allRules.flatMap((r) => ["--rule", `${r.meta.id}=off`]);

// Warm the page cache and V8's code cache once; then interleave.
floorRun(tree.dir);
cliRun(tree.dir);
const floors: Measure[] = [];
const clis: Measure[] = [];
const engines: Measure[] = [];
const withPolicies: Measure[] = [];
for (let i = 0; i < runs; i++) {
  floors.push(floorRun(tree.dir));
  engines.push(cliRun(tree.dir, rulesOff));
  clis.push(cliRun(tree.dir));
  if (values.policies) withPolicies.push(cliRun(tree.dir, ["--policy", POLICIES], policyReport));
}
// Where the full run's time goes (one in-process lint() through the library API).
const phases = JSON.parse(measure(tree.dir, [path.join(ROOT, "bench/phases.mjs"), "."]).stdout) as Record<string, number>;
const floorInfo = JSON.parse(floors[0].stdout) as { files: number; yamlFiles: number; docs: number; bytes: number };
const result = JSON.parse(readFileSync(report, "utf8")) as { filesScanned: number; findings: { ruleId: string }[]; rules: unknown[] };

const versions: number[] = [];
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  spawnSync(process.execPath, [CLI, "--version"], { encoding: "utf8" });
  versions.push(performance.now() - t);
}
const nodeBare: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  spawnSync(process.execPath, ["-e", "0"]);
  nodeBare.push(performance.now() - t);
}

const floorS = med(floors.map((m) => m.wallMs)) / 1000;
const cliS = med(clis.map((m) => m.wallMs)) / 1000;
const floorRss = Math.max(...floors.map((m) => m.rssMb));
const cliRss = Math.max(...clis.map((m) => m.rssMb));
const engineS = med(engines.map((m) => m.wallMs)) / 1000;
const engineRss = Math.max(...engines.map((m) => m.rssMb));
const summary = {
  date: new Date().toISOString().slice(0, 10),
  machine,
  node: process.version,
  files: tree.files,
  megabytes: +(tree.bytes / 1048576).toFixed(1),
  yamlFiles: floorInfo.yamlFiles,
  yamlDocs: floorInfo.docs,
  runs,
  floor: { seconds: +floorS.toFixed(2), filesPerSecond: Math.round(floorInfo.files / floorS), peakRssMb: Math.round(floorRss) },
  cli: {
    seconds: +cliS.toFixed(2),
    filesPerSecond: Math.round(tree.files / cliS),
    peakRssMb: Math.round(cliRss),
    filesScanned: result.filesScanned,
    findings: result.findings.length,
    rules: result.rules.length,
  },
  ratio: +(cliS / floorS).toFixed(2),
  engineOnly: { seconds: +engineS.toFixed(2), peakRssMb: Math.round(engineRss), ratio: +(engineS / floorS).toFixed(2) },
  ...(values.policies ? { policies: policySummary() } : {}),
  phasesMs: phases,
  versionMs: Math.round(med(versions)),
  nodeStartupMs: Math.round(med(nodeBare)),
};

if (values.json) {
  process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
} else {
  const row = (name: string, s: number, fps: number, rss: number) =>
    `${name.padEnd(26)}${s.toFixed(2).padStart(8)} s${String(fps).padStart(10)} files/s${String(rss).padStart(8)} MB`;
  log("");
  log(`machine: ${summary.machine}, node ${summary.node}, ${summary.date}`);
  log(`tree:    ${summary.files} files (${summary.megabytes} MB; ${summary.yamlFiles} YAML/JSON files, ${summary.yamlDocs} documents), median of ${runs} runs`);
  log(row("floor (walk+read+parse)", floorS, summary.floor.filesPerSecond, summary.floor.peakRssMb));
  log(row("bulkhead -f json", cliS, summary.cli.filesPerSecond, summary.cli.peakRssMb));
  log(row("bulkhead, every rule off", engineS, Math.round(tree.files / engineS), summary.engineOnly.peakRssMb));
  log(`ratio bulkhead/floor:     ${summary.ratio.toFixed(2)}x   (${summary.cli.rules} rules, ${summary.cli.findings} findings, ${summary.cli.filesScanned} files scanned); rules off: ${summary.engineOnly.ratio.toFixed(2)}x`);
  if (summary.policies) log(`${row("bulkhead + 10 policies", summary.policies.seconds, Math.round(tree.files / summary.policies.seconds), summary.policies.peakRssMb)}   (+${summary.policies.overheadPercent}%, ${summary.policies.findings} policy findings)`);
  log(`phases (in-process lint): ${Object.entries(phases).filter(([k]) => k.endsWith("Ms")).map(([k, v]) => `${k.replace(/Ms$/, "")} ${v}`).join(", ")} ms`);
  log(`bulkhead --version:       ${summary.versionMs} ms median of 10 (bare node startup: ${summary.nodeStartupMs} ms)`);
}

if (values.profile) {
  const profDir = path.join(OUT, "profile");
  rmSync(profDir, { recursive: true, force: true });
  const m = measure(tree.dir, ["--cpu-prof", "--cpu-prof-dir", profDir, CLI, "-f", "json", "-o", report, "."]);
  log(`\nCPU profile of one CLI run (${(m.wallMs / 1000).toFixed(2)} s) written to ${profDir}; summary: npx tsx bench/profile-summary.ts ${profDir}`);
}

if (values.peers) {
  const { runPeers, formatPeerTable } = await import("./peers.ts");
  log(`\npeers (median of ${runs} runs each, interleaved with bulkhead and the floor on the same files):`);
  const rows = await runPeers({ root: ROOT, treeDir: tree.dir, runs, secretlintProfiledFiles: [250, 500, 1000], log });
  if (values.json) process.stdout.write(JSON.stringify({ peers: rows }, null, 2) + "\n");
  else log(`\n${formatPeerTable(rows)}`);
}

/** The runs with the ten policies of bench/policies, against the same runs without. */
function policySummary() {
  const s = med(withPolicies.map((m) => m.wallMs)) / 1000;
  const found = (JSON.parse(readFileSync(policyReport, "utf8")) as { findings: { ruleId: string }[] }).findings.filter((f) => f.ruleId.startsWith("bench/")).length;
  return { seconds: +s.toFixed(2), peakRssMb: Math.round(Math.max(...withPolicies.map((m) => m.rssMb))), overheadPercent: +((s / cliS - 1) * 100).toFixed(1), findings: found };
}

function log(s: string): void {
  process.stderr.write(s + "\n");
}
