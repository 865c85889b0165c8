// Preloaded with `node --import ./bench/rss-probe.mjs <script>`: when the process exits, writes
// its peak resident set size (KiB, from getrusage) to the file named by BENCH_RSS_FILE.
import { writeFileSync } from "node:fs";

const out = process.env.BENCH_RSS_FILE;
if (out) {
  process.on("exit", () => {
    writeFileSync(out, String(process.resourceUsage().maxRSS));
  });
}
// Also its CPU time (user + system, ms) to BENCH_CPU_FILE: on a machine others share, wall time
// depends on them; CPU time much less.
const cpuOut = process.env.BENCH_CPU_FILE;
if (cpuOut) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    writeFileSync(cpuOut, String(Math.round((u.userCPUTime + u.systemCPUTime) / 1000)));
  });
}
