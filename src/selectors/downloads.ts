// Downloads in Dockerfile RUNs: where they come from, and whether the build checks what arrived.
// Shared by the rules about unverified downloads (plain http://, TLS verification off, ADD <url>).
import type { DockerInstruction, DockerfileDoc } from "../types.js";
import { runCommands } from "./docker.js";
import { powershellScript } from "./powershell.js";
import { type FoundCommand, programName } from "./shell.js";

const CHECKSUM_TOOLS = /^(?:sha(?:1|224|256|384|512)sum|shasum|md5sum|b2sum|b3sum|cksum|sha256|sha512)$/;

/** Whether a command checks a file's checksum or signature (sha256sum, gpg --verify, cosign verify …). */
export function isIntegrityCheck(found: FoundCommand): boolean {
  const words = found.unwrapped.words;
  const prog = programName(words[0]);
  const args = words.slice(1).map((w) => w.value);
  if (CHECKSUM_TOOLS.test(prog) || prog === "gpgv" || prog === "gpgv2") return true;
  if (/^gpg2?$/.test(prog)) return args.some((a) => a === "--verify" || a === "--verify-files");
  if (prog === "cosign" || prog === "notation") return args.some((a) => /^verify/.test(a));
  if (prog === "minisign" || prog === "signify") return args.includes("-V");
  if (prog === "openssl") return args.includes("-verify") || (args[0] === "dgst" && args.includes("-signature"));
  if (prog === "rpm") return args.some((a) => a === "-K" || a === "--checksig");
  return false;
}

/**
 * Whether a RUN checks what it downloads: a checksum or signature command anywhere in it
 * (`echo "$SHA  file" | sha256sum -c -`, `gpg --verify`, PowerShell's `Get-FileHash`). A
 * download that is verified may come over any channel: the check, not the transport, decides.
 */
export function verifiesDownloads(doc: DockerfileDoc, ins: DockerInstruction): boolean {
  if (runCommands(doc, ins).some(isIntegrityCheck)) return true;
  const ps = powershellScript(doc, ins);
  return !!ps && /\b(?:Get-FileHash|Get-AuthenticodeSignature)\b/i.test(ps.text);
}

/**
 * Hosts where plain HTTP or an unchecked certificate is no exposure worth a finding: the
 * loopback interface, private and link-local addresses, and single-label names (a service on
 * the build's own network, such as `http://nexus:8081`).
 */
export function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "" || (!h.includes(".") && !h.includes(":"))) return true;
  if (/^(?:localhost|.*\.localhost|.*\.local|.*\.internal|host\.docker\.internal)$/.test(h)) return true;
  if (/^(?:127\.|10\.|192\.168\.|169\.254\.|0\.0\.0\.0$)/.test(h)) return true;
  if (/^172\.(?:1[6-9]|2\d|3[01])\./.test(h)) return true;
  return h === "::1" || /^f[cd][0-9a-f]{2}:/.test(h) || /^fe80:/.test(h);
}

/** The host of a URL (`http://user@host:8080/x` → `host`), or undefined when it is not a URL or its host is a variable. */
export function urlHost(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url);
  if (!m || m[1].includes("$") || m[1].includes("{")) return undefined;
  return m[1];
}
