import { defineRule } from "../../../src/rule.js";
import { asSeq } from "../../../src/parsers/yaml.js";
import { listValues, resolvedText, serviceReporter } from "../../../src/selectors/compose.js";

/** Host devices that hand over the host itself: its memory, its I/O ports, its disks, or every device at once. */
const HOST_TAKEOVER: { pattern: RegExp; what: string }[] = [
  { pattern: /^\/dev$/, what: "every device of the host" },
  { pattern: /^\/dev\/(mem|kmem|port)$/, what: "the host's physical memory or I/O ports" },
  {
    pattern: /^\/dev\/(sd[a-z]+\d*|hd[a-z]+\d*|vd[a-z]+\d*|xvd[a-z]+\d*|nvme\d+(n\d+(p\d+)?)?|mmcblk\d+(p\d+)?|dm-\d+|md\d+|sg\d+|mapper\/.+|disk\/.+)$/,
    what: "a raw disk of the host, every file of which it can read and rewrite",
  },
];

/** `HOST[:CONTAINER[:PERMISSIONS]]`: the host side of a device mapping, undefined for a CDI name (`vendor.com/gpu=all`). */
function hostDevice(text: string): string | undefined {
  const host = text.trim().split(":")[0].replace(/\/+$/, "") || "/";
  return host.startsWith("/") ? host : undefined;
}

/** A `device_cgroup_rules` entry (`c 189:* rmw`) that allows every device, every block device, or the memory devices. */
function broadCgroupRule(text: string): string | undefined {
  const m = /^\s*([abc])\s+(\*|\d+):(\*|\d+)/.exec(text);
  if (!m) return undefined;
  const [, type, major, minor] = m;
  if (type === "a") return "every device";
  if (type === "b") return "block devices, that is, raw disks";
  if (major === "*" && minor === "*") return "every character device, /dev/mem included";
  if (major === "1") return "the memory devices (/dev/mem, /dev/kmem, /dev/port)";
  return undefined;
}

export default defineRule({
  meta: {
    id: "compose/host-devices",
    level: "error",
    summary:
      "A compose service maps host devices into the container (`devices`, `device_cgroup_rules`): an error for the host's memory, raw disks or all of /dev; a note for other devices.",
    remediation: "Remove the device; map only the specific device a service needs (a GPU, a serial adapter), never a disk, /dev/mem or the whole of /dev.",
    tags: ["security", "CWE-250"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      for (const { node: item, value, via } of listValues(service, "devices")) {
        const host = hostDevice(value);
        if (!host) continue;
        const takeover = HOST_TAKEOVER.find((d) => d.pattern.test(host));
        if (takeover) {
          out.report(
            service,
            item,
            (label) =>
              `${label} maps the host device \`${host}\`${via} (${takeover.what}) into the container: whoever controls the container controls the host; remove the mapping`,
          );
          continue;
        }
        out.report(
          service,
          item,
          (label) => `${label} maps the host device \`${host}\`${via} into the container, which reaches that hardware directly; keep it only if the service needs it`,
          { level: "note" },
        );
      }
      for (const item of asSeq(service.node.get("device_cgroup_rules"))?.items ?? []) {
        const value = resolvedText(service, item);
        if (value === undefined) continue;
        const broad = broadCgroupRule(value);
        out.report(
          service,
          item,
          (label) =>
            broad
              ? `${label} sets \`device_cgroup_rules: ${value.trim()}\`, which allows ${broad}: with the default MKNOD capability the container can create such a device node and use it, so it can reach the host's memory or disks; allow only the device numbers it needs`
              : `${label} sets \`device_cgroup_rules: ${value.trim()}\`, which allows some host devices; keep it only if the service needs them`,
          broad ? {} : { level: "note" },
        );
      }
    }
    out.flush();
  },
});
