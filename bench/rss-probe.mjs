// Preloaded with `node --import ./bench/rss-probe.mjs <script>`: when the process exits, writes
// its peak resident set size (KiB, from getrusage) to the file named by BENCH_RSS_FILE.
import { writeFileSync } from "node:fs";

const out = process.env.BENCH_RSS_FILE;
if (out) {
  process.on("exit", () => {
    writeFileSync(out, String(process.resourceUsage().maxRSS));
  });
}
