import { setFlagsFromString } from "node:v8";

/**
 * Tunes V8 for a process that runs one lint and exits (the CLI, the Action; a library host's
 * flags are its own): its optimizing compiler, and its heap's growth (see HEAP_GROWING_PERCENT).
 * A run keeps both cores busy (main thread, text worker, parallel GC), and V8's default tier-up sends hundreds of functions to its optimizing compiler within the first
 * second: on the benchmark tree that compilation was 1.4 s of background CPU, competing with the
 * run itself for the cores. Four to five times the default interrupt budget (67,584 bytes of
 * bytecode executed before a function is considered for optimization) optimizes only what stays
 * hot: on the 10,000-file tree −0.35 s of CPU and ≈ −100 ms of wall time, same report; on 500 and
 * 1,000 files −10 to −20 ms; on 30,000 files no worse. Re-measure when Node's V8 changes.
 */
export function tuneJitForOneRun(): void {
  setFlagsFromString("--interrupt-budget=300000");
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/**
 * How far V8 lets the heap grow past what a full collection left alive before it collects again.
 * A run allocates fast and briefly (each file's text and trees die when the file is done), which
 * V8's own heuristics answer with up to 4x: on the 50,000-file benchmark tree the heap reached
 * 290 MB for 100 MB alive, peak RSS 533-595 MB. At 2x (100%): 419-435 MB, the same CPU time
 * (21.4-22.8 s against 22.5-24.9 s, three interleaved runs each).
 */
const HEAP_GROWING_PERCENT = 100;
