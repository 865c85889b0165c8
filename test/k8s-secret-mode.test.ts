// k8s/secret-volume-mode: every way a mode can be written, read as Kubernetes reads it
// (YAML 1.1: `0600` is octal 384, `600` is decimal 600; JSON has decimals only).
import { test } from "node:test";
import assert from "node:assert/strict";
import { lint } from "../src/index.ts";
import type { Finding } from "../src/types.ts";
import { parseMaxMode } from "../rules/k8s/secret-volume-mode/rule.ts";
import { octal } from "../src/selectors/file-mode.ts";
import { tmpDir, writeTree } from "./helpers.ts";

const RULE = "k8s/secret-volume-mode";

/** A Pod with one volume: its name, its source key (`secret`, `projected`) and the source's lines. */
function podWithVolume(name: string, source: string, lines: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: bot
spec:
  containers:
  - name: bot
    image: bot:1.0
  volumes:
  - name: ${name}
    ${source}:
${lines}`;
}

const yamlPod = (secretLines: string) => podWithVolume("creds", "secret", secretLines);

function jsonPod(secret: Record<string, unknown>): string {
  return JSON.stringify(
    { apiVersion: "v1", kind: "Pod", metadata: { name: "bot" }, spec: { containers: [{ name: "bot", image: "bot:1.0" }], volumes: [{ name: "creds", secret }] } },
    null,
    2,
  );
}

async function modeFindings(text: string, filename = "pod.yaml", config: string | false = false, cwd = tmpDir()): Promise<Finding[]> {
  const result = await lint({ cwd, config, stdin: { text, filename } });
  return result.findings.filter((f) => f.ruleId === RULE);
}

const line = (text: string, re: RegExp) => text.split("\n").findIndex((l) => re.test(l)) + 1;

const YAML_CASES: { name: string; lines: string; fires: boolean; message?: RegExp }[] = [
  { name: "YAML 0600 (octal 384)", lines: "      secretName: creds\n      defaultMode: 0600\n", fires: false },
  { name: "YAML 0400", lines: "      secretName: creds\n      defaultMode: 0400\n", fires: false },
  { name: "YAML 0644", lines: "      secretName: creds\n      defaultMode: 0644\n", fires: true, message: /defaultMode 0644, which gives group read, others read access/ },
  { name: "YAML 0640", lines: "      secretName: creds\n      defaultMode: 0640\n", fires: true, message: /group read access/ },
  { name: "YAML decimal 600", lines: "      secretName: creds\n      defaultMode: 600\n", fires: true, message: /`600` is decimal; did you mean `0600`\?/ },
  { name: "YAML decimal 400", lines: "      secretName: creds\n      defaultMode: 400\n", fires: true, message: /did you mean `0400`\?/ },
  { name: "YAML decimal 384 (= 0600)", lines: "      secretName: creds\n      defaultMode: 384\n", fires: false },
  { name: "YAML hex 0x180 (= 0600)", lines: "      secretName: creds\n      defaultMode: 0x180\n", fires: false },
  { name: "YAML quoted string", lines: '      secretName: creds\n      defaultMode: "0600"\n', fires: true, message: /not a number/ },
  { name: "YAML above 0777, not octal digits", lines: "      secretName: creds\n      defaultMode: 1000\n", fires: true, message: /above 0777/ },
];

for (const c of YAML_CASES) {
  test(`secret-volume-mode: ${c.name} ${c.fires ? "fires" : "is quiet"}`, async () => {
    const text = yamlPod(c.lines);
    const fs = await modeFindings(text);
    if (!c.fires) {
      assert.deepEqual(fs, []);
      return;
    }
    assert.equal(fs.length, 1, JSON.stringify(fs));
    assert.equal(fs[0].level, "error");
    assert.equal(fs[0].region.startLine, line(text, /defaultMode:/), "at the defaultMode value");
    assert.match(fs[0].message, c.message!);
  });
}

test("secret-volume-mode: no defaultMode fires at the volume's `secret:` key (Kubernetes' default is 0644)", async () => {
  const text = yamlPod("      secretName: creds\n");
  const fs = await modeFindings(text);
  assert.equal(fs.length, 1);
  assert.equal(fs[0].region.startLine, line(text, /^ {4}secret:$/));
  assert.equal(fs[0].region.startColumn, 5);
  assert.match(fs[0].message, /sets no defaultMode, so Kubernetes writes the secret files with 0644/);
});

test("secret-volume-mode: JSON 384 (0600) is quiet, JSON 420 (0644) fires and shows octal", async () => {
  assert.deepEqual(await modeFindings(jsonPod({ secretName: "creds", defaultMode: 384 }), "pod.json"), []);
  assert.deepEqual(await modeFindings(jsonPod({ secretName: "creds", defaultMode: 256 }), "pod.json"), []);
  const text = jsonPod({ secretName: "creds", defaultMode: 420 });
  const fs = await modeFindings(text, "pod.json");
  assert.equal(fs.length, 1);
  assert.equal(fs[0].region.startLine, line(text, /"defaultMode": 420/));
  assert.match(fs[0].message, /defaultMode 420 \(0644\)/);
  const absent = await modeFindings(jsonPod({ secretName: "creds" }), "pod.json");
  assert.equal(absent.length, 1);
  assert.match(absent[0].message, /sets no defaultMode/);
});

test("secret-volume-mode: items[].mode is checked, and items without mode take defaultMode", async () => {
  const loose = yamlPod(`      secretName: creds
      defaultMode: 0400
      items:
      - {key: a, path: a, mode: 0644}
      - {key: b, path: b}
`);
  const fs = await modeFindings(loose);
  assert.deepEqual(
    fs.map((f) => f.region.startLine),
    [line(loose, /mode: 0644/)],
  );
  assert.match(fs[0].message, /sets mode 0644/);
  const decimal = yamlPod("      secretName: creds\n      defaultMode: 0400\n      items:\n      - {key: a, path: a, mode: 600}\n");
  assert.match((await modeFindings(decimal))[0].message, /did you mean `0600`/);
  // every file has its own strict mode: the loose defaultMode is never used
  const strict = yamlPod("      secretName: creds\n      defaultMode: 0644\n      items:\n      - {key: a, path: a, mode: 0400}\n");
  assert.deepEqual(await modeFindings(strict), []);
  // an item without mode and no defaultMode: 0644
  const noDefault = yamlPod("      secretName: creds\n      items:\n      - {key: a, path: a, mode: 0400}\n      - {key: b, path: b}\n");
  assert.match((await modeFindings(noDefault))[0].message, /sets no defaultMode/);
});

test("secret-volume-mode: projected volumes with secret sources", async () => {
  const projected = (body: string) => podWithVolume("bundle", "projected", body);
  const none = projected("      sources:\n      - secret: {name: creds}\n");
  const fsNone = await modeFindings(none);
  assert.equal(fsNone.length, 1);
  assert.equal(fsNone[0].region.startLine, line(none, /^ {4}projected:$/));
  assert.deepEqual(await modeFindings(projected("      defaultMode: 0400\n      sources:\n      - secret: {name: creds}\n")), []);
  const loose = projected("      defaultMode: 0444\n      sources:\n      - secret: {name: creds}\n");
  assert.match((await modeFindings(loose))[0].message, /projected volume "bundle" in Pod bot sets defaultMode 0444/);
  const item = projected("      defaultMode: 0400\n      sources:\n      - secret:\n          name: creds\n          items: [{key: a, path: a, mode: 0664}]\n");
  assert.match((await modeFindings(item))[0].message, /mode 0664/);
  // no secret source: not a secret volume
  assert.deepEqual(await modeFindings(projected("      sources:\n      - configMap: {name: settings}\n")), []);
});

test("secret-volume-mode: option maxMode 0400 makes 0600 fire", async () => {
  const dir = writeTree({ ".bulkhead.yml": 'rules:\n  k8s/secret-volume-mode: { level: error, options: { maxMode: "0400" } }\n' });
  const text = yamlPod("      secretName: creds\n      defaultMode: 0600\n");
  const fs = await modeFindings(text, "pod.yaml", ".bulkhead.yml", dir);
  assert.equal(fs.length, 1);
  assert.match(fs[0].message, /defaultMode 0600, which gives the owner write access to the secret files; set defaultMode: 0400 or stricter/);
  assert.deepEqual(await modeFindings(yamlPod("      secretName: creds\n      defaultMode: 0400\n"), "pod.yaml", ".bulkhead.yml", dir), []);
  // unquoted in the (YAML 1.2) config: the number 400, read as octal digits
  const dir2 = writeTree({ ".bulkhead.yml": "rules:\n  k8s/secret-volume-mode: { level: error, options: { maxMode: 0400 } }\n" });
  assert.equal((await modeFindings(text, "pod.yaml", ".bulkhead.yml", dir2)).length, 1);
});

test("secret-volume-mode: maxMode parsing and octal display", () => {
  assert.equal(parseMaxMode("0600"), 0o600);
  assert.equal(parseMaxMode("600"), 0o600);
  assert.equal(parseMaxMode("0o400"), 0o400);
  assert.equal(parseMaxMode(400), 0o400);
  assert.equal(parseMaxMode(384), 0o600);
  assert.throws(() => parseMaxMode("rw-------"), /maxMode/);
  assert.equal(octal(0o600), "0600");
  assert.equal(octal(0), "0000");
  assert.equal(octal(0o1130), "01130");
});
