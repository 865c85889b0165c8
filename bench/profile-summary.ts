// Summarises V8 .cpuprofile files: self time by function and by package/file.
// Usage: npx tsx bench/profile-summary.ts <dir-or-file> [top=25]
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const target = process.argv[2] ?? "bench/out/profile";
const top = Number(process.argv[3] ?? 25);
const files = statSync(target).isDirectory()
  ? readdirSync(target).filter((f) => f.endsWith(".cpuprofile")).map((f) => path.join(target, f))
  : [target];

/** Inclusive ms per key: each sample counts once for every distinct key on its stack. */
function inclusive(prof: Profile, keyOf: (n: Node) => string | undefined): Map<string, number> {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  prof.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = keyOf(byId.get(cur)!);
      if (key !== undefined) seen.add(key);
    }
    for (const s of seen) incl.set(s, (incl.get(s) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000);
  });
  return incl;
}

for (const file of files) {
  const prof = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const total = (prof.endTime - prof.startTime) / 1000;
  const where = (url: string) => {
    if (!url) return "(native/gc)";
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (m) return m[1];
    const d = /\/dist\/(.*)$/.exec(url);
    return d ? d[1] : url.replace(/^file:\/\//, "");
  };
  const byFn = new Map<string, number>();
  const byPkg = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const fn = `${n.callFrame.functionName || "(anonymous)"} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us / 1000);
    const pkg = n.callFrame.url ? where(n.callFrame.url) : n.callFrame.functionName || "(native)";
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us / 1000);
  }
  // Inclusive time per package/file: a sample counts once for each distinct place on its stack.
  const incl = inclusive(prof, (n) => (n.callFrame.url ? where(n.callFrame.url) : undefined));
  const show = (title: string, m: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${v.toFixed(0).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
  };
  console.log(`${file}: ${total.toFixed(0)} ms`);
  show("self time by function", byFn);
  show("self time by package/file", byPkg);
  show("inclusive time by package/file", incl);
}

// Inclusive time of named functions (comma-separated in PROFILE_FUNCS), e.g. PROFILE_FUNCS=readText,parseYaml
if (process.env.PROFILE_FUNCS) {
  const names = new Set(process.env.PROFILE_FUNCS.split(","));
  for (const file of files) {
    const prof = JSON.parse(readFileSync(file, "utf8")) as Profile;
    const incl = inclusive(prof, (n) => (names.has(n.callFrame.functionName) ? n.callFrame.functionName : undefined));
    console.log(`\ninclusive time of selected functions`);
    for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1])) console.log(`${v.toFixed(0).padStart(8)} ms  ${k}`);
  }
}
