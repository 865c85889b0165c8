import { defineRule } from "../../../src/rule.js";
import { credentialKind, quote } from "../../../src/secrets/index.js";
import { mounts, parseShortVolume, segments, serviceReporter, type Mount } from "../../../src/selectors/compose.js";

/**
 * Directory names that hold secrets, as the shared credential list has them — but not a messaging
 * data directory (`+<digits>`, its `sessions`): that is the application's own data, which it writes.
 */
const SECRET_DIRS = new Set(["secrets", "credentials", ".ssh", ".gnupg"]);

function underSecretsDir(p: string): string | undefined {
  const segs = segments(p);
  if (segs[0] === "run" && segs[1] === "secrets") return "/run/secrets";
  const i = segs.findIndex((s) => SECRET_DIRS.has(s));
  return i === -1 ? undefined : segs.slice(0, i + 1).join("/");
}

/** Why a mount is a secrets mount, or undefined. */
function secretsMount(m: Mount): string | undefined {
  const target = m.target.replace(/\\/g, "/");
  // A named volume is the application's own data (a database, a messaging data directory), which it
  // must write; only one mounted where injected secrets live is a secrets mount.
  if (m.type === "volume") return segments(target)[0] === "run" && segments(target)[1] === "secrets" ? `its target \`${quote(target)}\` is where secrets are mounted` : undefined;
  if (m.type !== "bind") return undefined;
  const targetDir = underSecretsDir(target);
  if (targetDir) return `its target \`${quote(target)}\` is a secrets directory`;
  const targetKind = credentialKind(target.replace(/^\/+/, ""));
  if (targetKind && !/^messaging/.test(targetKind)) return `its target \`${quote(target)}\` is a ${targetKind}`;
  const source = (m.hostPath ?? m.source).replace(/\\/g, "/");
  const kind = credentialKind(source.replace(/^[~/]+/, ""));
  if (kind && !/^messaging/.test(kind)) return `its source \`${quote(m.source)}\` is a ${kind}`;
  if (underSecretsDir(source)) return `its source \`${quote(m.source)}\` is a secrets directory`;
  return undefined;
}

/** `./x:/y` → `./x:/y:ro`, `./x:/y:rw,z` → `./x:/y:ro,z`. */
function readOnlyForm(text: string): string {
  const v = parseShortVolume(text);
  if (!v) return `${text}:ro`;
  const options = ["ro", ...v.options.filter((o) => o !== "rw" && o !== "")];
  return `${v.source ? `${v.source}:` : ""}${v.target}:${options.join(",")}`;
}

export default defineRule({
  meta: {
    id: "compose/secret-mount-writable",
    level: "warning",
    summary:
      "A compose service mounts secrets writable: a target such as `/run/secrets/…`, `…/secrets`, `…/credentials`, `.ssh`, `.gnupg`, or a credential file as the source, without `:ro` / `read_only: true`.",
    remediation: "Mount secrets read-only: append `:ro` in short syntax or set `read_only: true` in long syntax; better, use compose `secrets:`, which are read-only.",
    tags: ["security", "CWE-732"],
    // A writable mount of the host's ~/.ssh is reported, read-write, as a sensitive host mount.
    yieldsTo: ["compose/sensitive-host-mount"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      for (const m of mounts(doc, service)) {
        if (m.readOnly) continue;
        const why = secretsMount(m);
        if (!why) continue;
        const fix = m.node.type === "map" ? "set `read_only: true`" : `make it read-only: "${quote(readOnlyForm(m.text))}"`;
        out.report(
          service,
          m.node,
          (label) =>
            `${label} mounts \`${quote(m.text)}\` read-write, and ${why}: a compromised process can replace the credentials (or plant its own keys)${m.type === "bind" ? ", and the change lands on the host" : " that other services then trust"}; ${fix}`,
        );
      }
    }
    out.flush();
  },
});
