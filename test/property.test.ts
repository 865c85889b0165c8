// Property: whatever the example files are mutated into (byte flips, line deletions and
// duplications, truncation, indentation changes, stray YAML/Dockerfile syntax), lint() never
// throws, every finding has a sane region, and the CLI exits 0 or 1 without a stack trace.
// Deterministic by default (fixed seed, so CI failures reproduce); BULKHEAD_FUZZ_SEED and
// BULKHEAD_FUZZ_RUNS explore further locally.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { lint } from "../src/index.ts";
import type { Finding } from "../src/types.ts";
import { CLI, EXAMPLES, tmpDir } from "./helpers.ts";

const SEED = Number(process.env.BULKHEAD_FUZZ_SEED ?? 20261122);
const RUNS = Number(process.env.BULKHEAD_FUZZ_RUNS ?? 800);
const CLI_RUNS = 6;

/** Every example, as { relative path: bytes }. */
function examples(): Map<string, Map<string, Buffer>> {
  const out = new Map<string, Map<string, Buffer>>();
  for (const name of readdirSync(EXAMPLES)) {
    const root = path.join(EXAMPLES, name);
    if (!statSync(root).isDirectory()) continue;
    const files = new Map<string, Buffer>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const abs = path.join(dir, entry);
        if (statSync(abs).isDirectory()) walk(abs);
        else if (entry !== "expected-findings.txt") files.set(path.relative(root, abs).replace(/(^|\/)_gitignore$/, "$1.gitignore"), readFileSync(abs));
      }
    };
    walk(root);
    out.set(name, files);
  }
  return out;
}

const EXAMPLE_FILES = examples();
const NAMES = [...EXAMPLE_FILES.keys()];

const SNIPPETS = [":", ": ", "- ", "-", "[", "]", "{", "}", ",", "&a ", "*a", "*b", "<<: *a\n", "!!binary ", "!custom ", "? ", "|\n", ">-\n", "\t", "\0", '"', "'", "\\\n", "\\", "---\n", "...\n", "#", "\r\n", "\r", "\uFEFF", "FROM ", "USER root\n", "ONBUILD ", "# escape=`\n", "${", "${A:-", "0600", "0o777", "~", "null", "[[[[[[[[", "]]]]", "{{ .Values.x }}", "apiVersion: v1\nkind: Pod\n", "\u00e9", "\uD800", "\u2028"];

type Op =
  | { kind: "flip"; at: number; byte: number }
  | { kind: "deleteLine"; line: number }
  | { kind: "duplicateLine"; line: number }
  | { kind: "swapLines"; line: number }
  | { kind: "truncate"; at: number }
  | { kind: "indent"; line: number; delta: number }
  | { kind: "insert"; at: number; text: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({ kind: fc.constant("deleteLine" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("duplicateLine" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("swapLines" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("indent" as const), line: fc.nat(), delta: fc.integer({ min: -6, max: 6 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 8 })) }),
);

function apply(buf: Buffer, o: Op): Buffer {
  const len = buf.length;
  if (o.kind === "flip") {
    if (len === 0) return buf;
    const out = Buffer.from(buf);
    out[o.at % len] = o.byte;
    return out;
  }
  if (o.kind === "truncate") return buf.subarray(0, len === 0 ? 0 : o.at % len);
  if (o.kind === "insert") {
    const at = len === 0 ? 0 : o.at % (len + 1);
    return Buffer.concat([buf.subarray(0, at), Buffer.from(o.text, "utf8"), buf.subarray(at)]);
  }
  const lines = buf.toString("latin1").split("\n"); // latin1: byte-preserving
  const i = o.line % lines.length;
  if (o.kind === "deleteLine") lines.splice(i, 1);
  else if (o.kind === "duplicateLine") lines.splice(i, 0, lines[i]);
  else if (o.kind === "swapLines" && lines.length > 1) {
    const j = (i + 1) % lines.length;
    [lines[i], lines[j]] = [lines[j], lines[i]];
  } else if (o.kind === "indent") lines[i] = o.delta >= 0 ? " ".repeat(o.delta) + lines[i] : lines[i].replace(new RegExp(`^ {0,${-o.delta}}`), "");
  return Buffer.from(lines.join("\n"), "latin1");
}

/** A mutated example: which one, and the ops applied to some of its files. */
const mutation = fc.record({
  example: fc.constantFrom(...NAMES),
  edits: fc.array(fc.record({ file: fc.nat(), ops: fc.array(op, { minLength: 1, maxLength: 6 }) }), { minLength: 1, maxLength: 3 }),
});
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function writeMutation(dir: string, m: Mutation): string[] {
  rmSync(dir, { recursive: true, force: true });
  const files = new Map(EXAMPLE_FILES.get(m.example)!);
  const names = [...files.keys()].sort();
  const touched: string[] = [];
  for (const e of m.edits) {
    const name = names[e.file % names.length];
    files.set(name, e.ops.reduce(apply, files.get(name)!));
    touched.push(name);
  }
  for (const [rel, content] of files) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return touched;
}

function checkFindings(findings: Finding[]): void {
  for (const f of findings) {
    const r = f.region;
    assert.ok(Number.isInteger(r.startLine) && r.startLine >= 1 && r.startColumn >= 1, `${f.ruleId} ${f.file} ${JSON.stringify(r)}`);
    assert.ok(r.endLine > r.startLine || (r.endLine === r.startLine && r.endColumn >= r.startColumn), `${f.ruleId} ${f.file} ${JSON.stringify(r)}`);
    assert.ok(f.message.length > 0 && f.fingerprint.length > 0);
  }
}

/** Internal errors (a rule threw) seen by the in-process property, reported by the last test. */
const internalErrors = new Map<string, string>();

test(`mutated examples: lint() never throws and reports sane regions (${RUNS} runs, seed ${SEED})`, async () => {
  const dir = tmpDir("bulkhead-fuzz-");
  try {
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const touched = writeMutation(dir, m);
        const result = await lint({ cwd: dir, config: false });
        checkFindings(result.findings);
        for (const f of result.findings) {
          const rule = /^internal error in rule (\S+?):/.exec(f.message)?.[1];
          if (rule && !internalErrors.has(rule)) internalErrors.set(rule, `${f.message} — example ${m.example}, mutated ${touched.join(", ")}: ${JSON.stringify(m.edits)}`);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(`mutated examples through the CLI: exit 0 or 1, no stack trace (${CLI_RUNS} runs)`, () => {
  const dir = tmpDir("bulkhead-fuzz-cli-");
  try {
    fc.assert(
      fc.property(mutation, fc.constantFrom("text", "json", "sarif"), (m, format) => {
        writeMutation(dir, m);
        const r = spawnSync(process.execPath, [CLI, "-f", format, "."], { cwd: dir, encoding: "utf8", env: { ...process.env, CI: "true", NO_COLOR: "1" } });
        assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
        assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+|Error:/, r.stderr);
        if (format !== "text") JSON.parse(r.stdout);
      }),
      { numRuns: CLI_RUNS, seed: SEED + 1, endOnFailure: true },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A rule that throws is caught by the engine (the run goes on) but is a bug of that rule: the
// failure message names the rule and the mutation that triggers it.
test("mutated examples: no rule fails with an internal error", () => {
  assert.equal(internalErrors.size, 0, [...internalErrors.values()].join("\n"));
});
