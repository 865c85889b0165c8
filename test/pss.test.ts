// The Pod Security Standards presets agree with Pod Security Admission on our own corpus
// (test/pss-corpus/<control>/*.yaml): each file states, in its first two lines, the verdict of
// each level through the versions (`# restricted: admit, reject from v1.22`), as the Kubernetes
// check definitions (k8s.io/pod-security-admission policy/check_*.go) decide it. Every version
// from v1.0 to one past the newest boundary, and latest, is evaluated: a verdict may change only
// where a check's version range does. A rejected file must be reported at a line marked
// `# offending`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { lint } from "../src/index.ts";
import { rules } from "../rules/index.ts";
import { ROOT } from "./helpers.ts";

const CORPUS = path.join(ROOT, "test/pss-corpus");
const LEVELS = ["baseline", "restricted"] as const;
type Level = (typeof LEVELS)[number];
type Verdict = "admit" | "reject";

interface CorpusFile {
  /** Relative to the corpus, as findings name it. */
  file: string;
  /** Per level, the verdict from each version on (ascending). */
  timeline: Record<Level, { from: number; verdict: Verdict }[]>;
  /** Lines where a rejection must be reported. */
  offending: Set<number>;
}

function parseTimeline(text: string, where: string): { from: number; verdict: Verdict }[] {
  return text.split(",").map((part, i) => {
    const m = /^\s*(admit|reject)(?: from v1\.(\d+))?\s*$/.exec(part);
    if (!m || (i === 0) !== (m[2] === undefined)) throw new Error(`${where}: cannot read verdict "${part}"`);
    return { from: m[2] === undefined ? 0 : Number(m[2]), verdict: m[1] as Verdict };
  });
}

function readCorpus(): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const control of readdirSync(CORPUS).sort()) {
    for (const name of readdirSync(path.join(CORPUS, control)).sort()) {
      const file = `${control}/${name}`;
      const lines = readFileSync(path.join(CORPUS, file), "utf8").split("\n");
      const header = (level: Level, line: string) => {
        const prefix = `# ${level}: `;
        if (!line.startsWith(prefix)) throw new Error(`${file}: line "${prefix}…" expected`);
        return parseTimeline(line.slice(prefix.length), file);
      };
      const offending = new Set(lines.flatMap((l, i) => (/# offending$/.test(l) ? [i + 1] : [])));
      out.push({ file, timeline: { baseline: header("baseline", lines[0]), restricted: header("restricted", lines[1]) }, offending });
    }
  }
  return out;
}

function verdictAt(f: CorpusFile, level: Level, version: number): Verdict {
  return f.timeline[level].filter((t) => t.from <= version).pop()!.verdict;
}

const corpus = readCorpus();
const pssRules = new Set(rules.filter((r) => r.meta.pss).map((r) => r.meta.id));
const newest = Math.max(...corpus.flatMap((f) => LEVELS.flatMap((l) => f.timeline[l].map((t) => t.from))));
const versions: (number | "latest")[] = [...Array.from({ length: newest + 2 }, (_, i) => i), "latest"];

test("the corpus has an admitted and a rejected manifest per control, and per version boundary both sides", () => {
  for (const control of new Set(corpus.map((f) => f.file.split("/")[0]))) {
    const files = corpus.filter((f) => f.file.startsWith(`${control}/`));
    const verdicts = new Set(files.flatMap((f) => LEVELS.flatMap((l) => f.timeline[l].map((t) => t.verdict))));
    assert.deepEqual([...verdicts].sort(), ["admit", "reject"], `${control} has admitted and rejected manifests`);
  }
  for (const f of corpus) {
    assert.ok(f.offending.size > 0 || LEVELS.every((l) => f.timeline[l].every((t) => t.verdict === "admit")), `${f.file} marks its offending lines`);
  }
});

for (const level of LEVELS) {
  test(`--preset pss-${level} agrees with Pod Security Admission on the corpus at every version`, async () => {
    const disagreements: string[] = [];
    let rejected = 0;
    for (const version of versions) {
      const pssVersion = version === "latest" ? "latest" : `v1.${version}`;
      const result = await lint({ cwd: CORPUS, config: false, preset: `pss-${level}`, pssVersion });
      // Nothing but the level's rules, and only errors.
      for (const f of result.findings) {
        if (!pssRules.has(f.ruleId) || f.level !== "error") disagreements.push(`${pssVersion} ${f.file}: unexpected ${f.level} ${f.ruleId}`);
      }
      for (const f of corpus) {
        const expected = verdictAt(f, level, version === "latest" ? Number.POSITIVE_INFINITY : version);
        const own = result.findings.filter((x) => x.file === f.file);
        const verdict: Verdict = own.length > 0 ? "reject" : "admit";
        if (verdict !== expected) {
          disagreements.push(`${pssVersion} ${f.file}: admission would ${expected}, bulkhead ${verdict === "reject" ? `rejects (${own.map((x) => `${x.region.startLine} ${x.ruleId}`).join(", ")})` : "admits"}`);
        } else if (verdict === "reject") {
          rejected++;
          if (!own.some((x) => f.offending.has(x.region.startLine))) {
            disagreements.push(`${pssVersion} ${f.file}: rejected, but not at an offending line (${[...f.offending].join(", ")}): ${own.map((x) => x.region.startLine).join(", ")}`);
          }
        }
      }
    }
    assert.deepEqual(disagreements, []);
    assert.ok(rejected > 0);
  });
}
