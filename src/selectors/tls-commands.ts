// Shell commands that turn TLS certificate verification off: `curl -k`, `wget
// --no-check-certificate`, `pip --trusted-host`, `npm config set strict-ssl false`, `git -c
// http.sslVerify=false`, `VAR=0 cmd` with a variable from tls-env.ts, and the like.
import { isLocalHost, urlHost } from "./downloads.js";
import { type FoundCommand, type ShellWord, programName } from "./shell.js";
import { tlsOffByEnv } from "./tls-env.js";

export interface TlsOff {
  /** The words to point at (first and last). */
  from: ShellWord;
  to: ShellWord;
  /** How it is written, for the message: `curl -k`, `npm config set strict-ssl false`. */
  written: string;
  /** What then goes unverified. */
  what: string;
  /** A download (curl, wget) whose content a checksum later in the RUN may still verify. */
  download: boolean;
}

const FALSE = /^(?:0|false|no|off)$/i;
const TRUE = /^(?:1|true|yes|on)$/i;

/** curl's short options that take an argument: in `-fsSLo file`, what follows `o` is its argument. */
const CURL_ARG_SHORT = new Set("AbcCdDeEFHKmoPQrtTuUwxXyYz");

function curlInsecure(words: ShellWord[]): ShellWord | undefined {
  for (let k = 1; k < words.length; k++) {
    const v = words[k].value;
    if (v === "--insecure" || v === "--proxy-insecure" || v === "--doh-insecure") return words[k];
    if (/^-[a-zA-Z0-9#:]+$/.test(v)) {
      for (const c of v.slice(1)) {
        if (c === "k") return words[k];
        if (CURL_ARG_SHORT.has(c)) break;
      }
    }
  }
  return undefined;
}

/** URLs among a command's words: all of them on local hosts means there is no one in the middle to fear. */
function onlyLocalUrls(words: ShellWord[]): boolean {
  const hosts = words.map((w) => urlHost(w.value.replace(/^--?[a-z-]+=/, ""))).filter((h): h is string => h !== undefined);
  return hosts.length > 0 && hosts.every(isLocalHost);
}

const span = (words: ShellWord[]) => words.map((w) => w.value).join(" ");

/** `pip`, `pip3`, `pip3.12`, `python -m pip`, `uv pip`: the words from `pip` on. */
function pipWords(words: ShellWord[]): ShellWord[] | undefined {
  const prog = programName(words[0]);
  if (/^pip[0-9.]*$/.test(prog)) return words;
  if (/^python[0-9.]*$/.test(prog) && words[1]?.value === "-m" && /^pip[0-9.]*$/.test(words[2]?.value ?? "")) return words.slice(2);
  if (prog === "uv" && words[1]?.value === "pip") return words.slice(1);
  return undefined;
}

/** `npm config set strict-ssl false` and its spellings (`npm set`, `yarn config set`, `pnpm config set`): the key and value words. */
function configSet(words: ShellWord[]): { key: ShellWord; value: ShellWord | undefined; keyText: string; valueText: string } | undefined {
  let k = 1;
  if (words[k]?.value === "config") k++;
  if (words[k]?.value !== "set") return undefined;
  k++;
  while (k < words.length && words[k].value.startsWith("-")) k++;
  const key = words[k];
  if (!key) return undefined;
  const eq = key.value.indexOf("=");
  if (eq !== -1) return { key, value: undefined, keyText: key.value.slice(0, eq), valueText: key.value.slice(eq + 1) };
  const value = words[k + 1];
  return { key, value, keyText: key.value, valueText: value?.value ?? "" };
}

/** Every way a command turns TLS verification off. */
export function tlsOffInCommand(found: FoundCommand): TlsOff[] {
  const out: TlsOff[] = [];
  const words = found.unwrapped.words;
  const first = words[0];
  // Assignments before the command, `env X=…`, `export X=…`.
  const prefix = first ? found.command.words.slice(0, found.command.words.indexOf(first)) : found.command.words;
  for (const w of [...prefix, ...(programName(first) === "export" ? words.slice(1) : [])]) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.value);
    const what = m && tlsOffByEnv(m[1], m[2]);
    if (m && what) out.push({ from: w, to: w, written: w.value, what, download: false });
  }
  if (!first) return out;
  const prog = programName(first);
  if (prog === "curl" || prog === "curl.exe") {
    const k = curlInsecure(words);
    if (k && !onlyLocalUrls(words)) out.push({ from: first, to: k, written: `curl ${k.value}`, what: "curl accepts any certificate", download: true });
  }
  if (prog === "wget" || prog === "wget2") {
    const k = words.find((w) => w.value === "--no-check-certificate" || /^--check-certificate=(?:off|no|0|false)$/i.test(w.value));
    if (k && !onlyLocalUrls(words)) out.push({ from: first, to: k, written: `wget ${k.value}`, what: "wget accepts any certificate", download: true });
  }
  const pip = pipWords(words);
  if (pip) {
    const k = pip.findIndex((w) => /^--(?:trusted-host|allow-insecure-host)(?:=|$)/.test(w.value));
    if (k !== -1) {
      const host = pip[k].value.includes("=") ? pip[k].value.slice(pip[k].value.indexOf("=") + 1) : (pip[k + 1]?.value ?? "");
      const to = pip[k].value.includes("=") ? pip[k] : (pip[k + 1] ?? pip[k]);
      if (!isLocalHost(host.replace(/:\d+$/, ""))) out.push({ from: pip[0], to, written: `${programName(pip[0])} … ${span(pip.slice(k, pip.indexOf(to) + 1))}`, what: `pip accepts any certificate from ${host || "that host"}, and plain HTTP`, download: false });
    }
    const set = configSet(pip);
    if (set && /(?:^|\.)trusted-host$/.test(set.keyText) && set.valueText.trim() !== "") {
      out.push({ from: pip[0], to: set.value ?? set.key, written: `${programName(pip[0])} config set ${set.keyText} ${set.valueText}`, what: "pip accepts any certificate from those hosts, and plain HTTP", download: false });
    }
  }
  if (prog === "npm" || prog === "yarn" || prog === "pnpm") {
    const set = configSet(words);
    if (set && /^(?:strict-ssl|strictSsl|enableStrictSsl)$/.test(set.keyText) && FALSE.test(set.valueText)) {
      out.push({ from: first, to: set.value ?? set.key, written: `${prog} config set ${set.keyText} ${set.valueText}`, what: `${prog} accepts any registry certificate`, download: false });
    }
    for (let k = 1; k < words.length; k++) {
      const v = words[k].value;
      const inline = /^--strict-ssl=(.*)$/.exec(v);
      if (inline ? FALSE.test(inline[1]) : v === "--strict-ssl" && FALSE.test(words[k + 1]?.value ?? "") ) {
        const to = inline ? words[k] : words[k + 1];
        out.push({ from: words[k], to, written: span(words.slice(k, words.indexOf(to) + 1)), what: `${prog} accepts any registry certificate`, download: false });
      }
      if (v === "--no-strict-ssl") out.push({ from: words[k], to: words[k], written: v, what: `${prog} accepts any registry certificate`, download: false });
    }
  }
  if (prog === "git") {
    for (let k = 1; k < words.length; k++) {
      const v = words[k].value;
      // `git -c http.sslVerify=false …`, `git config --global http.https://host/.sslVerify false`
      const inline = k > 1 && words[k - 1].value === "-c" ? /^(http\.(?:.*\.)?sslverify)=(.*)$/i.exec(v) : null;
      if (inline && FALSE.test(inline[2])) out.push({ from: words[k - 1], to: words[k], written: `git -c ${v}`, what: "git accepts any certificate", download: false });
      if (words[1]?.value === "config" && /^http\.(?:.*\.)?sslverify$/i.test(v) && FALSE.test(words[k + 1]?.value ?? "")) {
        out.push({ from: first, to: words[k + 1], written: `git config ${v} ${words[k + 1].value}`, what: "git accepts any certificate", download: false });
      }
    }
  }
  if (prog === "composer") {
    const k = words.findIndex((w) => w.value === "config");
    const rest = k === -1 ? [] : words.slice(k + 1).filter((w) => !w.value.startsWith("-"));
    const [key, value] = rest;
    if (key && value && ((key.value === "disable-tls" && TRUE.test(value.value)) || (key.value === "secure-http" && FALSE.test(value.value)))) {
      out.push({ from: first, to: value, written: `composer config ${key.value} ${value.value}`, what: key.value === "disable-tls" ? "Composer downloads packages without TLS" : "Composer downloads over plain HTTP", download: false });
    }
  }
  if (prog === "conda" || prog === "mamba" || prog === "micromamba") {
    const k = words.findIndex((w) => w.value === "--set");
    if (k !== -1 && words[k + 1]?.value === "ssl_verify" && FALSE.test(words[k + 2]?.value ?? "")) {
      out.push({ from: first, to: words[k + 2], written: `${prog} config --set ssl_verify ${words[k + 2].value}`, what: `${prog} accepts any channel certificate`, download: false });
    }
  }
  for (const w of words.slice(1)) {
    const v = w.value;
    // Maven's wagon switches, and the generic flags of container and cluster tools.
    const generic =
      /^-Dmaven\.wagon\.http\.ssl\.(?:insecure|allowall|ignore\.validity\.dates)=true$/i.test(v) ||
      /^--(?:insecure-skip-tls-verify|skip-tls-verify|insecure-skip-verify)(?:=true)?$/i.test(v) ||
      /^--(?:src-|dest-)?tls-verify=false$/i.test(v) ||
      v === "--no-verify-ssl";
    if (generic) out.push({ from: w, to: w, written: v, what: `${prog} accepts any certificate`, download: false });
    // apt: `-o Acquire::https::Verify-Peer=false`, or the same written into apt.conf.d.
    if (/Acquire::https::(?:[^:\s]+::)?Verify-(?:Peer|Host)\s*(?:=\s*|\s+)"?(?:false|0|no)"?/i.test(v)) {
      out.push({ from: w, to: w, written: v.trim(), what: "apt accepts any repository certificate", download: false });
    }
  }
  // `echo insecure >> ~/.curlrc`, `echo 'check_certificate = off' >> /etc/wgetrc`
  const rc = found.command.redirects.find((r) => /^>>?$/.test(r.op) && r.target && /(?:^|\/)\.?(?:curlrc|wgetrc)$/.test(r.target.value));
  if (rc?.target && (prog === "echo" || prog === "printf")) {
    const text = words.slice(1).map((w) => w.value).join(" ");
    const curl = /curlrc$/.test(rc.target.value);
    if (curl ? /(?:^|\s|\\n)(?:--)?(?:insecure|-k)(?:\s|\\n|$)/.test(text) : /check_certificate\s*=\s*(?:off|no|0|false)/i.test(text)) {
      out.push({ from: first, to: rc.target, written: `${prog} … >> ${rc.target.value}`, what: `${curl ? "curl" : "wget"} accepts any certificate from then on`, download: false });
    }
  }
  return out;
}
