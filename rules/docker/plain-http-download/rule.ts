import { defineRule } from "../../../src/rule.js";
import { displayUrl } from "../../../src/secrets/index.js";
import { keywordOf, runCommands } from "../../../src/selectors/docker.js";
import { isLocalHost, urlHost, verifiesDownloads } from "../../../src/selectors/downloads.js";
import { powershellScript } from "../../../src/selectors/powershell.js";
import { programName } from "../../../src/selectors/shell.js";

/**
 * Programs that fetch what a URL argument names: downloaders, git, and the language package
 * managers that install from a URL or index without a signature (apt, apk, dnf check
 * signatures, so their http:// mirrors are not reported).
 */
const FETCHERS = /^(?:curl|curl\.exe|wget|wget2|aria2c|git|pip[0-9.]*|npm|yarn|pnpm|gem|bundle|composer|go)$/;

/** PowerShell's downloads. */
const PS_DOWNLOAD = /\b(?:Invoke-WebRequest|Invoke-RestMethod|iwr|irm|DownloadFile|DownloadString|DownloadData|Start-BitsTransfer|curl\.exe|wget)\b/i;

/** `http://` URLs in a word (also after `--index-url=`), on hosts other than local ones. */
function plainHttpUrls(text: string): { index: number; url: string }[] {
  const out: { index: number; url: string }[] = [];
  for (const m of text.matchAll(/http:\/\/[^\s'"`)(;|]+/gi)) {
    const host = urlHost(m[0]);
    if (host === undefined || isLocalHost(host)) continue;
    out.push({ index: m.index ?? 0, url: m[0] });
  }
  return out;
}

/** Options whose value is a URL the command does not fetch from: a proxy, a header, a form field. */
const NOT_FETCHED_OPTION = /^(?:-[xHeduFAbU]|--(?:proxy|header|referer|data|data-raw|data-binary|data-urlencode|form|user-agent|cookie|proxy-user))$/;

/** A word that names a proxy (`--proxy=http://…`, `http_proxy=http://…`, `git config http.proxy http://…`) or is an option's value that is not fetched. */
function isNotFetched(word: string, previous: string): boolean {
  return /proxy/i.test(word.split("http://")[0] ?? "") || /proxy/i.test(previous) || NOT_FETCHED_OPTION.test(previous) || /^--(?:header|referer|data[a-z-]*|form)=/.test(word);
}

export default defineRule({
  meta: {
    id: "docker/plain-http-download",
    level: "warning",
    summary: "A RUN downloads over plain http:// (curl, wget, git, pip, npm, PowerShell) and nothing checks what arrives.",
    remediation:
      "Use the https:// URL; if the server has none, check the download against a pinned checksum (`echo \"<sha256>  file\" | sha256sum -c -`) or its signature before using it.",
    tags: ["security", "supply-chain", "CWE-319", "CWE-494"],
    yieldsTo: ["docker/curl-pipe-shell", "docker/tls-verification-disabled"],
  },
  dockerfile(doc, ctx) {
    for (const ins of doc.instructions) {
      if (ins.keyword !== "RUN" || verifiesDownloads(doc, ins)) continue;
      const seen = new Set<number>();
      const report = (start: number, end: number, url: string, by: string) => {
        if (seen.has(start)) return;
        seen.add(start);
        ctx.report({
          region: doc.file.regionOf(start, end),
          message: `${keywordOf(ins)} fetches ${displayUrl(url)} with ${by} over plain HTTP and nothing checks it: anyone on the path can replace what goes into the image; use https://, or check the file against a pinned checksum`,
          logicalLocation: `stage ${ins.stage}`,
        });
      };
      for (const found of runCommands(doc, ins)) {
        const words = found.unwrapped.words;
        const prog = programName(words[0]);
        if (!FETCHERS.test(prog)) continue;
        for (let k = 1; k < words.length; k++) {
          const w = words[k];
          if (isNotFetched(w.value, words[k - 1].value)) continue;
          for (const u of plainHttpUrls(w.value)) {
            const start = w.at[u.index] ?? w.start;
            report(start, (w.at[u.index + u.url.length - 1] ?? w.end - 1) + 1, u.url, `\`${prog}\``);
          }
        }
      }
      const ps = powershellScript(doc, ins);
      if (!ps) continue;
      for (const statement of ps.text.split(/[;\n]/).reduce<{ text: string; from: number }[]>((acc, text) => {
        const from = acc.length === 0 ? 0 : acc[acc.length - 1].from + acc[acc.length - 1].text.length + 1;
        acc.push({ text, from });
        return acc;
      }, [])) {
        const d = PS_DOWNLOAD.exec(statement.text);
        if (!d) continue;
        for (const u of plainHttpUrls(statement.text)) {
          const i = statement.from + u.index;
          report(ps.at[i] ?? ps.end, (ps.at[i + u.url.length - 1] ?? ps.end - 1) + 1, u.url, `\`${d[0]}\``);
        }
      }
    }
  },
});
