// npm run bench -- --peers: other linters on the same generated tree, each on the file kinds it
// covers, beside bulkhead and the floor on the same files.
//
// The peers are installed into bench/.peers (git-ignored) with `npm install --prefix`, at the
// versions pinned below, never into the project's dependencies. Each kind's files are copied into
// a tree of their own (same relative paths), so that every tool is given one directory:
//   compose     dclint                  (docker-compose files)
//   Dockerfile  dockerfilelint          (Dockerfiles)
//   Kubernetes  @monokle/validation     (the manifests; bench/monokle-run.mjs drives the library)
//   secrets     secretlint + preset-recommend (every file; bulkhead with its secret rules only)
// Every run is its own process (peak RSS by bench/rss-probe.mjs), interleaved, medians.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

/**
 * secretlint 12.0.0 is the newest release that supports Node 20 (12.1 and later declare
 * `node >=22`). Its profiler marks every rule run on a process-wide performance timeline and
 * searches all earlier marks at each one: its cost grows with the square of the file count.
 */
export const PEER_VERSIONS: Record<string, string> = {
  dclint: "3.1.0",
  dockerfilelint: "1.8.0",
  "@monokle/validation": "0.33.0",
  secretlint: "12.0.0",
  "@secretlint/secretlint-rule-preset-recommend": "12.0.0",
};

export interface PeerOptions {
  root: string;
  treeDir: string;
  runs: number;
  /** secretlint as shipped (profiler on) is also run on the first N files of the tree. */
  secretlintProfiledFiles: number[];
  log: (s: string) => void;
}

export interface PeerRow {
  kind: string;
  files: number;
  peer: string;
  /** Medians: wall time, and CPU time (user + system) of the process. */
  peerSeconds: number;
  peerCpuSeconds: number;
  peerRssMb: number;
  bulkheadSeconds: number;
  bulkheadCpuSeconds: number;
  bulkheadRssMb: number;
  floorSeconds: number;
  floorCpuSeconds: number;
  /** peer wall / bulkhead wall: above 1, bulkhead is faster. */
  ratio: number;
  /** The same in CPU time (what others running on the machine change least). */
  cpuRatio: number;
  runs: number;
  note?: string;
}

interface Run {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Installs the pinned peers into bench/.peers unless that is already done. */
export function installPeers(root: string, log: (s: string) => void): string {
  const dir = path.join(root, "bench/.peers");
  const manifest = JSON.stringify({ private: true, description: "peers for npm run bench -- --peers (git-ignored)", dependencies: PEER_VERSIONS }, null, 2) + "\n";
  const manifestFile = path.join(dir, "package.json");
  const current = existsSync(manifestFile) && readFileSync(manifestFile, "utf8") === manifest && existsSync(path.join(dir, "node_modules/.package-lock.json"));
  if (current) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(manifestFile, manifest);
  log(`installing peers into ${dir} …`);
  // --ignore-scripts: nothing of theirs runs but the linters themselves.
  const r = spawnSync("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.status !== 0) throw new Error(`npm install --prefix ${dir} failed:\n${r.stderr}`);
  return dir;
}

export async function runPeers(options: PeerOptions): Promise<PeerRow[]> {
  const { root, treeDir, runs, log } = options;
  const peers = installPeers(root, log);
  const bin = (p: string) => path.join(peers, "node_modules", p);
  const cli = path.join(root, "dist/src/cli.js");
  const floor = path.join(root, "bench/floor.mjs");
  const probe = path.join(root, "bench/rss-probe.mjs");
  const out = path.join(root, "bench/out");
  mkdirSync(out, { recursive: true });

  const measure = (cwd: string, args: string[]): Run => {
    const rssFile = path.join(out, `rss-peer-${process.pid}.txt`);
    const cpuFile = path.join(out, `cpu-peer-${process.pid}.txt`);
    const read = (f: string) => (existsSync(f) ? Number(readFileSync(f, "utf8")) : NaN);
    rmSync(rssFile, { force: true });
    rmSync(cpuFile, { force: true });
    const t = performance.now();
    const r = spawnSync(process.execPath, ["--import", probe, ...args], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, CI: "true", BENCH_RSS_FILE: rssFile, BENCH_CPU_FILE: cpuFile, NO_COLOR: "1" },
      maxBuffer: 1 << 28,
    });
    const wallMs = performance.now() - t;
    const run = { wallMs, cpuMs: read(cpuFile), rssMb: read(rssFile) / 1024, code: r.status, stdout: r.stdout, stderr: r.stderr };
    rmSync(rssFile, { force: true });
    rmSync(cpuFile, { force: true });
    return run;
  };
  // Exit 1 is "found problems" for most; dockerfilelint exits with its count of problems (mod 256).
  const ok = (what: string, r: Run, accept: (r: Run) => boolean = (r) => r.code === 0 || r.code === 1) => {
    if (!accept(r)) throw new Error(`${what} exited ${r.code}: ${(r.stderr || r.stdout).slice(0, 2000)}`);
    return r;
  };
  const bulkhead = (cwd: string, extra: string[] = []) => ok("bulkhead", measure(cwd, [cli, "-f", "json", "-o", path.join(out, "peer-report.json"), ...extra, "."]));

  const all = listFiles(treeDir);
  const kinds = path.join(path.dirname(treeDir), `${path.basename(treeDir)}-peers`);
  const subtree = (name: string, files: string[], edit?: (text: string) => string) => {
    const dir = path.join(kinds, name);
    rmSync(dir, { recursive: true, force: true });
    for (const f of files) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      if (edit) writeFileSync(path.join(dir, f), edit(readFileSync(path.join(treeDir, f), "utf8")));
      else cpSync(path.join(treeDir, f), path.join(dir, f));
    }
    return dir;
  };

  const compose = all.filter((f) => /(?:^|\/)(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/.test(f));
  const dockerfiles = all.filter((f) => /(?:^|\/)Dockerfile(?:\.[\w-]+)?$/.test(f));
  const manifests = all.filter((f) => /(?:^|\/)k8s\/[^/]+\.ya?ml$/.test(f));
  const secretRules = ["repo/hardcoded-secret"];
  const { rules } = (await import(path.join(root, "dist/rules/index.js"))) as { rules: { meta: { id: string } }[] };
  const onlySecrets = rules.flatMap((r) => ["--rule", `${r.meta.id}=${secretRules.includes(r.meta.id) ? "error" : "off"}`]);

  interface Case {
    kind: string;
    dir: string;
    files: number;
    peer: string;
    run: () => Run;
    /** Runs of this case (secretlint as shipped takes minutes: once). */
    runs?: number;
    bulkheadArgs?: string[];
    note?: string;
  }
  const cases: Case[] = [
    {
      kind: "compose",
      dir: subtree("compose", compose),
      files: compose.length,
      peer: `dclint ${PEER_VERSIONS.dclint}`,
      run: () => ok("dclint", measure(path.join(kinds, "compose"), [bin("dclint/bin/dclint.cjs"), "-r", ".", "-f", "json", "-o", path.join(out, "peer-dclint.json")])),
    },
    {
      kind: "Dockerfile",
      // dockerfilelint 1.8.0 throws (TypeError in is_valid_healthcheck) on `HEALTHCHECK CMD …`
      // without options, which every generated Dockerfile has: both tools get copies with
      // `--interval=30s` added there.
      dir: subtree("dockerfile", dockerfiles, (t) => t.replace(/^HEALTHCHECK CMD /gm, "HEALTHCHECK --interval=30s CMD ")),
      files: dockerfiles.length,
      peer: `dockerfilelint ${PEER_VERSIONS.dockerfilelint}`,
      run: () => ok("dockerfilelint", measure(path.join(kinds, "dockerfile"), [bin("dockerfilelint/bin/dockerfilelint"), "-o", "json", ...dockerfiles]), (r) => r.code !== null && r.stdout.startsWith('{"files":')),
      note: "HEALTHCHECK given an option: 1.8.0 throws without one",
    },
    {
      kind: "Kubernetes",
      dir: subtree("k8s", manifests),
      files: manifests.length,
      peer: `@monokle/validation ${PEER_VERSIONS["@monokle/validation"]}`,
      run: () => ok("@monokle/validation", measure(root, [path.join(root, "bench/monokle-run.mjs"), peers, path.join(kinds, "k8s")]), (r) => r.code === 0),
      note: "plugins that run offline (no kubernetes-schema)",
    },
  ];
  const secretlintrc = path.join(peers, ".secretlintrc.json");
  writeFileSync(secretlintrc, JSON.stringify({ rules: [{ id: "@secretlint/secretlint-rule-preset-recommend" }] }) + "\n");
  const noProfiler = path.join(root, "bench/secretlint-no-profiler.mjs");
  const secretlint = (cwd: string, profiler: boolean) =>
    ok("secretlint", measure(cwd, [...(profiler ? [] : ["--import", noProfiler]), bin("secretlint/bin/secretlint.js"), "--secretlintrc", secretlintrc, "--format", "json", "--output", path.join(out, "peer-secretlint.json"), "**/*"]));
  cases.push({
    kind: "secrets (every file)",
    dir: treeDir,
    files: all.length,
    peer: `secretlint ${PEER_VERSIONS.secretlint}, profiler off`,
    run: () => secretlint(treeDir, false),
    bulkheadArgs: onlySecrets,
    note: "bulkhead: repo/hardcoded-secret only",
  });
  for (const n of options.secretlintProfiledFiles.filter((n) => n < all.length)) {
    const dir = subtree(`first-${n}`, all.slice(0, n));
    cases.push({ kind: "secrets (every file)", dir, files: n, peer: `secretlint ${PEER_VERSIONS.secretlint} as shipped`, run: () => secretlint(dir, true), runs: 1, bulkheadArgs: onlySecrets, note: `first ${n} files of the tree` });
  }

  const rows: PeerRow[] = [];
  for (const c of cases) {
    log(`${c.kind}: ${c.files} files — ${c.peer}`);
    // Warm the page cache once; then interleave floor, peer and bulkhead.
    measure(c.dir, [floor, "."]);
    const floors: Run[] = [];
    const peerRuns: Run[] = [];
    const ours: Run[] = [];
    const n = c.runs ?? runs;
    for (let i = 0; i < n; i++) {
      floors.push(measure(c.dir, [floor, "."]));
      peerRuns.push(c.run());
      ours.push(bulkhead(c.dir, c.bulkheadArgs));
    }
    const row: PeerRow = {
      kind: c.kind,
      files: c.files,
      peer: c.peer,
      peerSeconds: seconds(peerRuns, "wallMs"),
      peerCpuSeconds: seconds(peerRuns, "cpuMs"),
      peerRssMb: Math.round(Math.max(...peerRuns.map((r) => r.rssMb))),
      bulkheadSeconds: seconds(ours, "wallMs"),
      bulkheadCpuSeconds: seconds(ours, "cpuMs"),
      bulkheadRssMb: Math.round(Math.max(...ours.map((r) => r.rssMb))),
      floorSeconds: seconds(floors, "wallMs"),
      floorCpuSeconds: seconds(floors, "cpuMs"),
      ratio: 0,
      cpuRatio: 0,
      runs: n,
      ...(c.note ? { note: c.note } : {}),
    };
    row.ratio = +(row.peerSeconds / row.bulkheadSeconds).toFixed(2);
    row.cpuRatio = +(row.peerCpuSeconds / row.bulkheadCpuSeconds).toFixed(2);
    rows.push(row);
    log(`  ${formatRow(row)}`);
  }
  return rows;
}

/** Wall time, with CPU time (user + system) in brackets. */
export function formatPeerTable(rows: PeerRow[]): string {
  const t = (wall: number, cpu: number) => `${wall.toFixed(2)} s (${cpu.toFixed(2)} s)`;
  const head =
    "| files | kind | peer | runs | peer wall (CPU) | peer RSS | bulkhead wall (CPU) | bulkhead RSS | floor wall (CPU) | peer / bulkhead wall (CPU) | bulkhead / floor wall |\n" +
    "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";
  const lines = rows.map(
    (r) =>
      `| ${r.files.toLocaleString("en-US")} | ${r.kind} | ${r.peer}${r.note ? `; ${r.note}` : ""} | ${r.runs} | ${t(r.peerSeconds, r.peerCpuSeconds)} | ${r.peerRssMb} MB | ${t(r.bulkheadSeconds, r.bulkheadCpuSeconds)} | ${r.bulkheadRssMb} MB | ${t(r.floorSeconds, r.floorCpuSeconds)} | ${r.ratio.toFixed(2)}x (${r.cpuRatio.toFixed(2)}x) | ${(r.bulkheadSeconds / r.floorSeconds).toFixed(2)}x |`,
  );
  return [head, ...lines].join("\n");
}

function formatRow(r: PeerRow): string {
  return `${r.peer}: ${r.peerSeconds.toFixed(2)} s (CPU ${r.peerCpuSeconds.toFixed(2)} s) ${r.peerRssMb} MB; bulkhead ${r.bulkheadSeconds.toFixed(2)} s (CPU ${r.bulkheadCpuSeconds.toFixed(2)} s) ${r.bulkheadRssMb} MB; floor ${r.floorSeconds.toFixed(2)} s; peer/bulkhead ${r.ratio.toFixed(2)}x (CPU ${r.cpuRatio.toFixed(2)}x)`;
}

function seconds(runs: Run[], what: "wallMs" | "cpuMs"): number {
  const s = runs.map((r) => r[what]).sort((a, b) => a - b);
  const m = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return +(m / 1000).toFixed(2);
}

/** The tree's files (relative, sorted), as the floor walks them: no .git, no node_modules. */
function listFiles(root: string): string[] {
  const out: string[] = [];
  (function walk(rel: string) {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== ".git" && e.name !== "node_modules") walk(p);
      } else if (e.isFile()) out.push(p);
    }
  })("");
  return out.sort();
}
