import type { ComposeDoc, PNode, SourceFile } from "../types.js";
import { asMap } from "./yaml.js";

/** A compose document: its services with the location of each service's key. */
export function composeDocOf(file: SourceFile, root: PNode | undefined): ComposeDoc | undefined {
  const map = asMap(root);
  if (!map) return undefined;
  const services = asMap(map.get("services"));
  // One map per document, shared with its services: the workspace fills it from the project's `.env`.
  const variables = new Map<string, string>();
  return {
    file,
    root: map,
    services: (services?.entries ?? []).flatMap((e) => {
      const node = asMap(e.value);
      return node ? [{ name: e.key, keyRange: e.keyRange, node, variables }] : [];
    }),
    variables,
  };
}

/** The top-level keys of the Compose Specification (plus `version`, which it ignores). */
const TOP_LEVEL_KEYS = new Set(["version", "name", "services", "volumes", "networks", "configs", "secrets", "include", "models"]);

/**
 * The keys of a service in the Compose Specification (https://github.com/compose-spec/compose-spec,
 * `schema/compose-spec.json`), with the legacy ones of file formats 2 and 3 that Compose still reads.
 */
const SERVICE_KEYS = new Set([
  "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command", "configs",
  "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpus",
  "cpuset", "credential_spec", "depends_on", "deploy", "develop", "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search",
  "domainname", "entrypoint", "env_file", "environment", "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add",
  "healthcheck", "hostname", "image", "init", "ipc", "isolation", "label_file", "labels", "links", "logging", "mac_address",
  "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models", "network_mode", "networks", "oom_kill_disable",
  "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start", "pre_stop", "privileged", "profiles", "provider",
  "pull_policy", "pull_refresh_after", "read_only", "restart", "runtime", "scale", "secrets", "security_opt", "shm_size",
  "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket", "user",
  "userns_mode", "uts", "volume_driver", "volumes", "volumes_from", "working_dir",
]);

/** Cheap test on the text: only a file with a top-level `services:` key can be compose-shaped. */
export function mayBeCompose(text: string): boolean {
  return /^services[ \t]*:/m.test(text);
}

/**
 * Whether a YAML document is a compose file by its shape: a mapping of compose top-level keys
 * (and `x-` extensions) with a `services` mapping of services, each a mapping of compose service
 * keys, at least one of which names an `image` or a `build`. Kubernetes manifests (`apiVersion`,
 * `kind`), CI files (GitLab's list of `services`, Woodpecker's `steps`, Drone's `kind`) and other
 * YAML with a `services` key have other keys or shapes.
 */
export function isComposeShaped(root: PNode | undefined): boolean {
  const map = asMap(root);
  if (!map || !map.entries.every((e) => TOP_LEVEL_KEYS.has(e.key) || e.key.startsWith("x-"))) return false;
  const services = asMap(map.get("services"));
  if (!services || services.entries.length === 0) return false;
  let runnable = false;
  for (const e of services.entries) {
    const service = asMap(e.value);
    if (!service || !service.entries.every((k) => SERVICE_KEYS.has(k.key) || k.key.startsWith("x-"))) return false;
    if (service.entry("image") || service.entry("build")) runnable = true;
  }
  return runnable;
}
