import { defineRule, type TextContext } from "../../../src/rule.js";
import type { SourceFile } from "../../../src/types.js";
import { isHighEntropy, isLiteralSecretValue, isSecretName, maskSecret, mightHoldToken, quote, scanTokens, urlWithPassword } from "../../../src/secrets/index.js";
import { assignments, credentialFile, isFormatPlaceholder, isGeneratedText, isRealDotenv, isShellScript, isSourceCode, SECRET_NAME_HINT } from "../../../src/selectors/repo.js";

/** A URL-ish run of text; `urlWithPassword` decides whether its userinfo holds a literal password. */
const URL_LIKE = /[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s"'`<>]+/g;

export default defineRule({
  meta: {
    id: "repo/hardcoded-secret",
    level: "error",
    summary:
      "A text file holds a secret: a known token format (AWS, GitHub, GitLab, Slack, Stripe, private key, JWT, …), a secret-named assignment with a high-entropy literal, or a URL with a password.",
    remediation:
      "Remove the value, read it at run time from an environment variable or a secret store, and revoke it: it stays in the git history.",
    tags: ["security", "CWE-798"],
    // In test data and vendored code only known token formats are reported: a live token is as
    // leaked there as anywhere, a secret-named test value is not a finding.
    testData: "high-confidence",
    // These rules report the same value more precisely (the object, service or instruction it
    // belongs to); on a line one of them reports, this rule stays silent.
    yieldsTo: [
      "k8s/committed-secret",
      "k8s/configmap-secret",
      "k8s/secret-in-env",
      "compose/literal-secret-env",
      "docker/secret-in-env",
      "repo/committed-credentials",
    ],
  },
  async text(file, ctx) {
    // A `.env` is where these values belong: committing it or not ignoring it is reported on the
    // file by repo/committed-dotenv and repo/dotenv-not-ignored. A credential file (a key, a
    // kubeconfig, an .npmrc with a token) is one whole secret: repo/committed-credentials and
    // repo/credential-permissions report it.
    if (isRealDotenv(file.path) || credentialFile(file)) return;
    const text = file.text;
    const found = new Found(file, ctx);

    // Known token formats first: their description ("GitHub token") wins over the generic
    // ones below for the same value.
    if (mightHoldToken(text)) {
      for (const t of await scanTokens(text, file.path)) found.report(t.start, t.end, t.kind, t.kind, t.generic ? undefined : "high");
    }

    // A URL with a literal password in its userinfo, whatever it is assigned to.
    if (text.includes("://")) {
      for (const m of text.matchAll(URL_LIKE)) {
        const pw = urlWithPassword(m[0]);
        if (pw) found.report(m.index! + pw.start, m.index! + pw.end, "password in a URL", "url");
      }
    }

    // Secret-named assignments with a high-entropy literal. In program source a bare value is
    // code (`password = get_password()`); only string literals count there. Lockfiles and
    // minified bundles are full of hashes and mangled names: only the checks above run on them.
    if (isGeneratedText(file)) return;
    const bareValues = !isSourceCode(file.path) || isShellScript(file.path);
    for (const a of assignments(text, SECRET_NAME_HINT)) {
      // A value built at run time (`"ghp_${token()}"`, `"#{prefix}…"`) is not a literal.
      if ((!a.quoted && !bareValues) || /[$#]\{/.test(a.value)) continue;
      // Outside program source a bare value can still be code quoted in prose (`auth = createAuth(…)`).
      if (!a.quoted && CODE_EXPRESSION.test(a.value)) continue;
      if (!isSecretName(a.name) || !isHighEntropy(a.value) || !isLiteralSecretValue(a.value, (v) => ctx.isAllowedSecret(v), a.name)) continue;
      if (inMeetingInvite(text, a.nameStart) || inCommentLine(text, a.nameStart)) continue;
      found.report(a.valueStart, a.valueEnd, `secret in "${quote(a.name)}"`, quote(a.name));
    }
  },
});

/**
 * Whether an offset lies on a line that is a comment (`#`, `//`, `;`, `--`): a commented-out
 * setting in a values file or a sample configuration documents its shape (`#   client_secret: …`).
 * Known token formats are still reported there.
 */
function inCommentLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*(?:#|\/\/|;|--)/.test(text.slice(lineStart, offset));
}

/** Video-meeting hosts whose invite links carry the meeting's passcode (`…/j/123?pwd=…`) on purpose. */
const MEETING_INVITE = /^https?:\/\/(?:[\w-]+\.)*(?:zoom\.us|zoom-lfx\.platform\.linuxfoundation\.org|zoomgov\.com|webex\.com|teams\.microsoft\.com|meet\.google\.com)\//i;

/** Whether an offset lies in the query of a meeting invite link: a passcode shared with the invitation. */
function inMeetingInvite(text: string, offset: number): boolean {
  const lineStart = Math.max(text.lastIndexOf("\n", offset - 1) + 1, offset - 2048);
  const before = text.slice(lineStart, offset);
  // The URL the offset is in: the first `http(s)://` after the last character a URL cannot hold
  // (found by scanning, not by `/https?:\/\/[^\s"'`<>()]*$/`, which reads to the end from every `http`).
  let from = before.length;
  while (from > 0 && !/[\s"'`<>()]/.test(before[from - 1]!)) from--;
  const tail = before.slice(from);
  const http = tail.search(/https?:\/\//);
  const url = http < 0 ? undefined : tail.slice(http);
  return url !== undefined && url.includes("?") && MEETING_INVITE.test(url);
}

/** A call or member access (`createTokenAuth(`, `config.secrets.token`), not a literal. */
const CODE_EXPRESSION = /^[A-Za-z_$][\w$.]*\(|^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;

/** Reports each secret once (the first description of an overlapping range wins), masked. */
class Found {
  private readonly taken: [number, number][] = [];
  constructor(
    private readonly file: SourceFile,
    private readonly ctx: TextContext,
  ) {}

  report(start: number, end: number, what: string, name: string, confidence?: "high"): void {
    // Three characters or fewer (`postgres://u:p@host`, `u:pw@db`) illustrate, they do not authenticate.
    if (end - start <= 3 || this.taken.some(([s, e]) => start < e && s < end)) return;
    this.taken.push([start, end]);
    const value = this.file.text.slice(start, end);
    // `{password}`, `%(password)s`: a format string that program source fills in at run time.
    if (this.ctx.isAllowedSecret(value) || isFormatPlaceholder(value)) return;
    const shown = maskSecret(value);
    this.ctx.report({
      region: this.file.regionOf(start, end),
      message: `hardcoded ${what} (${shown}); read it at run time from an environment variable or a secret store, and revoke it if it was ever committed: it stays in the git history`,
      logicalLocation: name,
      snippet: `${name} ${shown}`,
      ...(confidence ? { confidence } : {}),
    });
  }
}
