// Unit tests of the Kubernetes workload model (src/selectors/k8s.ts) that every k8s/* rule reads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createSourceFile } from "../src/source.ts";
import { parseYaml } from "../src/parsers/yaml.ts";
import { k8sObjectsOf } from "../src/parsers/k8s.ts";
import {
  capabilitiesOf,
  containersOf,
  effectiveSecurityField,
  envOf,
  imageOf,
  intValue,
  isWindowsPod,
  mountsOf,
  mountsOfVolume,
  podLabels,
  podSpecOf,
  serviceAccountNameOf,
  volumesOf,
} from "../src/selectors/k8s.ts";
import { parseImageRef } from "../src/selectors/image.ts";
import type { K8sObject } from "../src/types.ts";

function objects(text: string): K8sObject[] {
  const file = createSourceFile("m.yaml", "/m.yaml", "yaml", text);
  return parseYaml(file, "1.1").docs.flatMap((d) => k8sObjectsOf(file, d.root, d.index, "default"));
}

function one(text: string): K8sObject {
  const [o] = objects(text);
  assert.ok(o, "an object");
  return o;
}

const CRONJOB = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  namespace: ops
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        metadata:
          labels: {app: report}
        spec:
          securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            seccompProfile: {type: RuntimeDefault}
            privileged: true
          initContainers:
          - name: init
            image: busybox:1.36
          containers:
          - image: registry.example.com/report:1.0.0
            name: report
            securityContext:
              runAsUser: 0
              runAsNonRoot:
              allowPrivilegeEscalation: false
              capabilities:
                drop: [all]
                add: [cap_net_admin]
            volumeMounts:
            - name: data
              mountPath: /data
              readOnly: true
            env:
            - name: TOKEN
              valueFrom:
                secretKeyRef: {name: s, key: token}
          ephemeralContainers:
          - name: debug
            image: busybox
          volumes:
          - name: data
            secret:
              secretName: s
`;

test("podSpecOf: CronJob nesting, spec key, template metadata, labels", () => {
  const pod = podSpecOf(one(CRONJOB));
  assert.ok(pod);
  assert.equal(pod.label, "CronJob report");
  assert.equal(pod.logical, "CronJob ops/report");
  assert.equal(pod.specKey.keyRange.startLine, 13);
  assert.deepEqual(pod.anchor.range, pod.specKey.keyRange);
  assert.deepEqual(podLabels(pod), { app: "report" });
  assert.equal(serviceAccountNameOf(pod), "default");
});

test("podSpecOf: every workload kind, nothing for other kinds", () => {
  const template = `  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: c, image: i:1}]\n`;
  for (const kind of ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "DeploymentConfig"]) {
    const pod = podSpecOf(one(`apiVersion: v1\nkind: ${kind}\nmetadata: {name: x}\nspec:\n${template}`));
    assert.ok(pod, kind);
    assert.equal(containersOf(pod).length, 1, kind);
  }
  assert.ok(podSpecOf(one(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c}]\n`)));
  assert.equal(podSpecOf(one(`apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}\n`)), undefined);
  assert.equal(podSpecOf(one(`apiVersion: v1\nkind: Deployment\nmetadata: {name: s}\nspec: {}\n`)), undefined);
  assert.equal(podSpecOf(one(`apiVersion: v1\nkind: toString\nmetadata: {name: s}\nspec: {}\n`)), undefined);
});


test("podSpecOf: pod templates of custom resources (spec.template.spec.containers, KEDA's jobTargetRef) and PodTemplate", () => {
  const template = (indent: string) => `${indent}template:\n${indent}  metadata: {labels: {app: web}}\n${indent}  spec:\n${indent}    containers: [{name: c, image: i:1}]\n`;
  const rollout = podSpecOf(one(`apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: web, namespace: shop}\nspec:\n${template("  ")}`));
  assert.ok(rollout);
  assert.equal(rollout.label, "Rollout web");
  assert.equal(rollout.logical, "Rollout shop/web");
  assert.deepEqual(podLabels(rollout), { app: "web" });
  assert.equal(containersOf(rollout)[0].label, 'container "c" in Rollout web');
  const scaledJob = podSpecOf(one(`apiVersion: keda.sh/v1alpha1\nkind: ScaledJob\nmetadata: {name: w}\nspec:\n  jobTargetRef:\n${template("    ")}`));
  assert.equal(scaledJob && containersOf(scaledJob).length, 1);
  const podTemplate = podSpecOf(one(`apiVersion: v1\nkind: PodTemplate\nmetadata: {name: t}\n${template("")}`));
  assert.equal(podTemplate && containersOf(podTemplate).length, 1);
  // A template without containers is not a pod template (an Ingress-like CR, a Helm-style template field).
  assert.equal(podSpecOf(one(`apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  template:\n    spec: {replicas: 2}\n`)), undefined);
  assert.equal(podSpecOf(one(`apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers: not-a-list\n`)), undefined);
});
test("containersOf: init, regular and ephemeral containers with labels, logical locations and anchors", () => {
  const pod = podSpecOf(one(CRONJOB))!;
  const cs = containersOf(pod);
  assert.deepEqual(
    cs.map((c) => [c.kind, c.name, c.label, c.logical]),
    [
      ["initContainer", "init", 'init container "init" in CronJob report', "CronJob ops/report initContainers[init]"],
      ["container", "report", 'container "report" in CronJob report', "CronJob ops/report containers[report]"],
      ["ephemeralContainer", "debug", 'ephemeral container "debug" in CronJob report', "CronJob ops/report ephemeralContainers[debug]"],
    ],
  );
  // The name entry is the anchor even when it is not the item's first key.
  assert.equal(cs[1].anchor.range.startLine, 24);
  assert.equal(cs[1].nameEntry?.keyRange.startLine, 24);
});

test("effectiveSecurityField: container wins, null does not override, container-only fields never come from the pod", () => {
  const [init, report] = containersOf(podSpecOf(one(CRONJOB))!);
  assert.equal(effectiveSecurityField(init, "runAsUser")?.from, "pod");
  assert.equal(intValue(effectiveSecurityField(init, "runAsUser")?.value), 1000);
  assert.equal(effectiveSecurityField(report, "runAsUser")?.from, "container");
  assert.equal(intValue(effectiveSecurityField(report, "runAsUser")?.value), 0);
  // `runAsNonRoot:` with no value is unset: the pod's true applies.
  assert.equal(effectiveSecurityField(report, "runAsNonRoot")?.from, "pod");
  assert.equal(effectiveSecurityField(init, "seccompProfile")?.from, "pod");
  // `privileged` on the pod's securityContext is not a Kubernetes field.
  assert.equal(effectiveSecurityField(init, "privileged"), undefined);
  assert.equal(effectiveSecurityField(report, "allowPrivilegeEscalation")?.from, "container");
});

test("capabilitiesOf: normalized names, container only", () => {
  const [init, report] = containersOf(podSpecOf(one(CRONJOB))!);
  const caps = capabilitiesOf(report);
  assert.deepEqual(caps.drop.map((d) => d.name), ["ALL"]);
  assert.deepEqual(caps.add.map((d) => d.name), ["NET_ADMIN"]);
  assert.equal(capabilitiesOf(init).entry, undefined);
});

test("volumes, mounts and env", () => {
  const pod = podSpecOf(one(CRONJOB))!;
  const [vol] = volumesOf(pod);
  assert.equal(vol.name, "data");
  assert.equal(vol.type, "secret");
  assert.equal(vol.label, 'volume "data" in CronJob report');
  const report = containersOf(pod)[1];
  const [mount] = mountsOf(report);
  assert.equal(mount.readOnly, true);
  assert.equal(mount.mountPath, "/data");
  assert.equal(mount.volume, vol);
  assert.deepEqual(mountsOfVolume(vol).map((m) => m.container.name), ["report"]);
  const [env] = envOf(report);
  assert.equal(env.name, "TOKEN");
  assert.ok(env.valueFrom?.get("secretKeyRef"));
  assert.equal(env.valueEntry, undefined);
});

test("List items and multi-document streams each give their own pod spec", () => {
  const objs = objects(
    `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec: {containers: [{name: a}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec: {containers: [{name: b}], os: {name: windows}}\n`,
  );
  const pods = objs.map((o) => podSpecOf(o)!);
  assert.deepEqual(pods.map((p) => p.label), ["Pod a", "Pod b"]);
  assert.deepEqual(pods.map((p) => isWindowsPod(p)), [false, true]);
});

test("containers without a name", () => {
  const pod = podSpecOf(one(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - image: x:1\n`))!;
  const [c] = containersOf(pod);
  assert.equal(c.nameEntry, undefined);
  assert.equal(c.name, "containers[0]");
  assert.equal(c.label, "container containers[0] in Pod p");
  assert.equal(c.logical, "Pod default/p containers[0]");
  assert.equal(c.anchor, c.node);
  assert.equal(imageOf(c)?.ref.tag, "1");
});

test("parseImageRef (shared by the docker, compose and k8s rules) and templated images", () => {
  assert.deepEqual(parseImageRef("nginx"), { raw: "nginx", registry: undefined, repository: "nginx", name: "nginx", tag: undefined, digest: undefined });
  assert.deepEqual(parseImageRef("localhost:5000/a/b"), {
    raw: "localhost:5000/a/b",
    registry: "localhost:5000",
    repository: "a/b",
    name: "localhost:5000/a/b",
    tag: undefined,
    digest: undefined,
  });
  const r = parseImageRef("registry.example.com:443/team/bot:1.4.0@sha256:abc")!;
  assert.equal(r.registry, "registry.example.com:443");
  assert.equal(r.repository, "team/bot");
  assert.equal(r.tag, "1.4.0");
  assert.equal(r.digest, "sha256:abc");
  assert.equal(parseImageRef("library/redis:latest")?.registry, undefined);
  assert.equal(parseImageRef("bad tag"), undefined);
  for (const templated of ["{{ .Values.image }}", "${IMAGE}", "$(IMAGE)"]) assert.equal(parseImageRef(templated), undefined, templated);
  assert.equal(parseImageRef("nginx:1.25")?.tag, "1.25");
});
