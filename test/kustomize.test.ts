// Kustomize patches are partial objects, for every k8s rule; the workspace's kustomize index.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lint } from "../src/index.ts";
import { rules } from "../rules/index.ts";
import { writeTree } from "./helpers.ts";

/** A base workload that sets nothing, so that every hardening rule fires on it. */
const BASE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
      - name: app
        image: registry.example.com/app:1.0.0
        volumeMounts:
        - {name: creds, mountPath: /creds}
      volumes:
      - name: creds
        secret: {secretName: app-creds}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app
spec:
  rules:
  - host: app.example.com
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: app
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
  - to:
    - podSelector: {}
`;

/** Patches that set something harmless on each object and leave every checked field out. */
const PATCHES = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: app
        env:
        - {name: MODE, value: prod}
        volumeMounts:
        - {name: creds, mountPath: /creds}
      volumes:
      - name: creds
        secret: {secretName: app-creds-prod}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app
  annotations:
    example.com/owner: web-team
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
automountServiceAccountToken: true
`;

test("no k8s rule reports a field a Kustomize patch leaves out", async () => {
  const dir = writeTree({
    "base/app.yaml": BASE,
    "base/kustomization.yaml": "resources:\n- app.yaml\n",
    "overlays/prod/kustomization.yaml": "resources:\n- ../../base\npatches:\n- path: patches.yaml\n",
    "overlays/prod/patches.yaml": PATCHES,
  });
  const k8sRules = new Set(rules.filter((r) => r.k8s).map((r) => r.meta.id));
  const result = await lint({ cwd: dir, config: false, preset: "strict" });
  const onBase = new Set(result.findings.filter((f) => f.file === "base/app.yaml").map((f) => f.ruleId));
  // The base fires the hardening rules (so the patch would, were it read as a whole object)…
  for (const id of ["k8s/run-as-non-root", "k8s/readonly-root-fs", "k8s/secret-volume-mode", "k8s/ingress-no-tls"]) assert.ok(onBase.has(id), `${id} fires on the base`);
  // …and not one k8s rule reports on the patch.
  const onPatch = result.findings.filter((f) => f.file === "overlays/prod/patches.yaml" && k8sRules.has(f.ruleId));
  assert.deepEqual(
    onPatch.map((f) => `${f.ruleId} ${f.region.startLine} ${f.message}`),
    [],
  );
});

test("a file a kustomization uses as a resource is a whole object, even if another lists it as a patch", async () => {
  const dir = writeTree({
    "app.yaml": PATCHES.split("---")[0],
    "a/kustomization.yaml": "resources:\n- ../app.yaml\n",
    "b/kustomization.yaml": "resources:\n- ../a\npatches:\n- path: ../app.yaml\n",
  });
  const result = await lint({ cwd: dir, config: false });
  assert.ok(result.findings.some((f) => f.file === "app.yaml" && f.ruleId === "k8s/run-as-non-root"));
});

test("a component's images override applies to the resources of the kustomization that includes it", async () => {
  const dir = writeTree({
    "base/app.yaml": BASE.split("---")[0].replace("registry.example.com/app:1.0.0", "registry.example.com/app"),
    "base/kustomization.yaml": "resources:\n- app.yaml\n",
    "components/release/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n- name: registry.example.com/app\n  newTag: 1.4.0\n",
    "overlays/prod/kustomization.yaml": "resources:\n- ../../base\ncomponents:\n- ../../components/release\n",
  });
  const result = await lint({ cwd: dir, config: false });
  assert.deepEqual(result.findings.filter((f) => f.ruleId === "k8s/image-unpinned").map((f) => f.file), []);
});

test("an inline patch is located in the kustomization file, line for line", async () => {
  const dir = writeTree({
    "base/app.yaml": BASE.split("---")[0],
    "base/kustomization.yaml": "resources:\n- app.yaml\n",
    "kustomization.yaml": `resources:
- base
patches:
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: app
    spec:
      template:
        spec:
          containers:
          - name: app
            securityContext:
              privileged: true
`,
  });
  const result = await lint({ cwd: dir, config: false });
  const f = result.findings.find((x) => x.ruleId === "k8s/privileged");
  assert.ok(f, "the inline patch's privileged: true is reported");
  assert.equal(f.file, "kustomization.yaml");
  assert.deepEqual(f.region, { startLine: 15, startColumn: 27, endLine: 15, endColumn: 31 });
  // …and only what it sets: the container it modifies is the base's.
  assert.deepEqual(result.findings.filter((x) => x.file === "kustomization.yaml" && x.ruleId !== "k8s/privileged").map((x) => x.ruleId), []);
});
