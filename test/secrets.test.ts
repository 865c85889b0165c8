// Unit tests of the shared secrets toolkit (src/secrets): secret-looking names, literals,
// placeholders, URL passwords, credential file names, masking, entropy and token scanning.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  credentialKind,
  entropy,
  isCredentialDirName,
  isDotenvExample,
  isDotenvName,
  isHighEntropy,
  isLiteralSecretValue,
  isPlaceholder,
  isReference,
  isSecretName,
  maskSecret,
  whyNotSecret,
  mightHoldToken,
  scanTokens,
  urlWithPassword,
  type TokenMatch,
} from "../src/secrets/index.ts";
import { PREFILTER_COMPLETE } from "../src/secrets/tokens.ts";
import { rules as presetRules } from "@secretlint/secretlint-rule-preset-recommend";

// Fake tokens are built from parts so this file holds nothing a secret scanner (bulkhead's own
// run over this repo, or a forge's push protection) would flag.
const j = (...parts: string[]) => parts.join("");

// ---------------------------------------------------------------- names

test("isSecretName: names that must look secret", () => {
  for (const name of [
    "DB_PASSWORD", "POSTGRES_PASSWORD", "API_KEY", "apiKey", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY",
    "CLIENT_SECRET", "PRIVATE_KEY", "DB_PWD", "secrets", "password", "SESSION_KEY", "stripe.secretKey",
    "MYSQL_ROOT_PASSWORD", "JWT_SECRET", "REDIS_PASS",
    // more of the same families
    "SECRET_KEY", "SIGNING_KEY", "ENCRYPTION_KEY", "MASTER_KEY", "AUTH_KEY", "CLIENT_KEY", "REDIS_AUTH", "POSTGRES_PW",
    "privateKey", "APIKEY", "apikey", "x-api-key", "AUTH", "BASIC_AUTH", "DB_PASSWD", "SSH_PASSPHRASE",
    "GOOGLE_APPLICATION_CREDENTIALS", "credential", "TOKENS", "oauth2Token", "dbPassword", "PASSWORD_2",
    "SECRET_KEY_BASE", "spring.datasource.password", "NEXTAUTH_SECRET", "slack-bot-token", "API_KEYS",
  ]) {
    assert.equal(isSecretName(name), true, name);
  }
});

test("isSecretName: names that must not look secret", () => {
  for (const name of [
    "SIGNAL_CLIENT_SECRETS_DIR", "POSTGRES_PASSWORD_FILE", "TOKEN_URL", "SECRET_NAME", "AWS_ACCESS_KEY_ID",
    "PUBLIC_KEY", "GPG_KEY", "PWD", "KEYBOARD", "PASSENGER", "MONKEY", "PASSPORT", "SIGNAL_PHONE_NUMBER", "API_URL",
    // bare KEY, non-secret KEY qualifiers, non-secret suffixes
    "KEY", "SORT_KEY", "CACHE_KEY", "PARTITION_KEY", "publicKey", "KEY_ID", "accessKeyId", "secretKeyRef",
    "SECRET_KEY_FILE", "API_KEY_HEADER", "PASSWORD_MIN_LENGTH", "TOKEN_TTL", "AUTH_ENABLED", "JWT_ALGORITHM",
    "JWT_ISSUER", "TOKEN_EXPIRY", "DB_USER", "DB_USERNAME", "SECRET_VERSION", "PASSWORD_PATH", "TOKEN_HOST",
    "AUTH_PORT", "SECRET_TYPE", "AUTH_MODE", "TOKEN_TIMEOUT", "AUTH_HEADER", "TOKEN_FIELD", "SECRET_REF",
    "SECRETS_COUNT", "BYPASS", "COMPASS", "OAUTH", "AUTHOR", "OLDPWD", "API", "", "---",
    // key ids (the public half: MinIO's and S3's access key), settings about a secret, public
    // or declared-fake values, AUTH before other words (a section of settings), file names
    "ACCESS_KEY", "MINIO_ACCESS_KEY", "AWS_ACCESS_KEY", "admin.passwordMtime", "PASSWORD_STRENGTH",
    "requestedIDTokenClaims", "secretEnv", "storageSecretNameAnnotation", "AUTH_PROXY_IMAGE", "secretUUID",
    "passwordSalt", "publicKeyToken", "NEXT_PUBLIC_API_KEY", "STRIPE_PUBLISHABLE_KEY", "fakePass",
    "mockJWTToken", "ZULIP_AUTH_BACKENDS", "AUTH_LDAP_USER_SEARCH", "secret.html", "credentials.json", "PW",
  ]) {
    assert.equal(isSecretName(name), false, name);
  }
});

// ---------------------------------------------------------------- values

test("isReference: the whole value resolved elsewhere", () => {
  for (const v of [
    "${VAR}", "${DB_PASSWORD:-default}", "${DB_PASSWORD?required}", "$VAR", "$$VAR", "$(DB_PASSWORD)",
    "{{ .Values.db.password }}", "{{- .Values.token | b64enc -}}", "${{ secrets.GITHUB_TOKEN }}",
    "  ${VAR}  ", "${DB_USER}:${DB_PASS}",
  ]) {
    assert.equal(isReference(v), true, v);
  }
  // Command substitutions, ERB, and the `$secret-key` / `$secret-name:key` references Argo CD resolves.
  for (const v of ["$(cat /run/secrets/x)", `$(echo "\${AUTH}" | sed -e 's/x/y/g');`, "`vault read -field=pw x`", "<%= ENV['PW'] %>", "$dex.github.clientSecret", "$slack-token", "$my-secret:password"]) {
    assert.equal(isReference(v), true, v);
  }
  for (const v of ["", "abc", "${VAR}abc", "prefix-$VAR", "$", "$1abc", "hunter2", "{VAR}", "$2y$10$abc"]) {
    assert.equal(isReference(v), false, v);
  }
});

test("isPlaceholder: obvious stand-ins", () => {
  for (const v of [
    "changeme", "CHANGEME", "change-me", "change_me", "replace-me", "your-api-key", "your_token_here",
    "YOUR_PASSWORD", "<password>", "<base64-encoded-content>", "{{ password }}", "xxx", "XXXXXXXX", "*****",
    "00000", "xxxx-xxxx-xxxx", "example", "Sample", "dummy", "test", "placeholder", "TODO", "redacted",
    "none", "null", "secret", "password", "secret-here", "password_here", "...", "AKIAXXXXXXXXXXXXXXXX",
    j("sk_live_", "********"),
    // values made of words that name what they stand for, counting, repetition, sentences, markers
    "mysecretpassword", "examplepassword", "secret123", "my-password", "yourpassword", "changePassword",
    "newRootPassword123", "supersecret", "OIDC_CLIENT_SECRET", "broker_keystore_creds", "mypass", "changeit",
    "CHANGEME00000000", "change-me-placeholder", "LICENSE_HERE", "GOOGLE_API_KEY_VAL", "testtest",
    "0123456789abcdef0123456789abcdef01234567", "abcd1234", "8312341g-5678-abcd-4a2b2c-33bcsd655",
    "the secret password", "**access token goes here**", "shhhh! it's a github secret", "nvapi-NVKEY",
    j("sk-ant-api03-", "PLACEHOLDER"), "[PASSWORD]", "<myemail>@gmail.com", "%DB_PASSWORD%", "hunter2",
    j("23JKqAD+um8ObHqzfIh+bfqwG9V8qs9tFY6M", "qeFR+xxx"),
  ]) {
    assert.equal(isPlaceholder(v), true, v);
  }
  for (const v of [
    "", "hunter2hunter2", "S3cr3tPa55word", "testing123", "yourself", "p4ssW0rd-Qz7Lk2Xv9Mn", "ab",
    "nextcloud", "whalehello", "passRT%^#234", "Harbor12345", "migration", "r3d1sP4ssw0rd", "mysql",
    // a file's content is judged line by line, never as a sentence
    "[db]\npassword = hunter2hunter2\n",
  ]) {
    assert.equal(isPlaceholder(v), false, v);
  }
});

test("isLiteralSecretValue: literals and everything that is not one", () => {
  const literal: Array<string> = ["hunter2hunter2", "S3cr3t!", "'quoted-s3cret'", "/K7MDENG+bPxRfiCY==", "p@ss word"];
  for (const v of literal) assert.equal(isLiteralSecretValue(v), true, v);
  const notLiteral: Array<string | number | boolean | null | undefined> = [
    42, true, false, null, undefined, "", "   ", '""', "${DB_PASSWORD}", "$DB_PASSWORD", "$(DB_PASSWORD)",
    "{{ .Values.pw }}", "/run/secrets/db_password", "./secrets/db.txt", "../x", "~/x", "true", "no", "OFF",
    "yes", "on", "12345", "3.14", "-1", "changeme", "<password>", "xxxxx", "*****",
  ];
  for (const v of notLiteral) assert.equal(isLiteralSecretValue(v), false, String(v));
  // A value that spells its own name, or several of its words, is not the secret; one word of a
  // longer name is (`WORDPRESS_DB_PASSWORD=wordpress` is a weak password).
  assert.equal(isLiteralSecretValue("adminTokenSecret", undefined, "adminTokenSecret"), false);
  assert.equal(isLiteralSecretValue("WebIdentityToken", undefined, "stsWebIdentityToken"), false);
  assert.equal(isLiteralSecretValue("admin.passwordMtime", undefined, "settingAdminPasswordMtimeKey"), false);
  assert.equal(isLiteralSecretValue("wordpress", undefined, "WORDPRESS_DB_PASSWORD"), true);
  assert.equal(isLiteralSecretValue("admin", undefined, "GF_SECURITY_ADMIN_PASSWORD"), true);
  // A value of several words ending in the word for what its name holds describes itself.
  assert.equal(isLiteralSecretValue("vEryS3cr3tReFre$hToken", undefined, "AuthToken"), false);
  assert.equal(isLiteralSecretValue("vEryS3cr3tReFre$hToken", undefined, "session"), true);
  const allow = (v: string) => /^dummy-/.test(v) || /EXAMPLE/.test(v);
  assert.equal(isLiteralSecretValue("dummy-abc123", allow), false);
  assert.equal(isLiteralSecretValue("AKIAIOSFODNN7EXAMPLE", allow), false);
  assert.equal(isLiteralSecretValue("real-abc123", allow), true);
});

test("whyNotSecret: each shape that is not a secret, and why", () => {
  const b64 = (t: string) => Buffer.from(t).toString("base64");
  const cases: Array<[string, string | undefined, string]> = [
    ["", undefined, "empty"],
    ["$dex.github.clientSecret", undefined, "reference"],
    ["$(cat /run/secrets/token)", undefined, "reference"],
    ["[]", undefined, "structure"],
    ['{"groups": {"essential": true}}', undefined, "structure"],
    ["|-", undefined, "structure"],
    ["2019-03-20T17:54:53Z", undefined, "boolean or number"],
    ["30s", undefined, "boolean or number"],
    ["required", "KAFKA_SSL_CLIENT_AUTH", "setting"],
    ["jwt", "access_token", "setting"],
    ["creds.txt", "KAFKA_SSL_KEYSTORE_CREDENTIALS", "path or file name"],
    ["https://vault.internal:8200/v1/secret", "SECRET", "location"],
    ["$2y$10$7O40CaY1yz7fu9O24k2/u.ct/wELYHRBsn25v/7AyuQ8E8hrLqpva", "password", "password hash"],
    ["loki:$apr1$H4yGiGNg$ssl5/NymaGFRUvxIV1Nyr.", "htpasswd", "password hash"],
    ["{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g0aBcD", "ldap_secret", "password hash"],
    ["ENC[AES256_GCM,data:Tr7o9vZ2Lq4xW8nB,iv:1Q2w,tag:Zx9c,type:str]", "password", "encrypted value"],
    ["-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n", "tls.key", "public key or certificate"],
    ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBq3Lk9Xv2Mn7Rt4Wz8Pc5Hy1Qs6Jd0Ge3Fa9Ub2Kv7 bot@x", "key", "public key or certificate"],
    [j("zuf+tfteSlswRu7BJ86wek", "itnifILbZam1KYY3TG"), "secretKey", "documentation key"],
    [j("phc_", "Rk3Lq8Wv2Nx7Bp4Rt9Ym6HcQ2wE5zT1yU8iO0pAsD"), "api_key", "publishable key"],
    ["changePassword", "password", "placeholder"],
    ["os.environ[\"HF_TOKEN\"]", "token", "code"],
    ["GCPServiceAccountKey", "GCPServiceAccountKey", "its own name"],
    ["WebIdentityToken", "stsWebIdentityToken", "placeholder"],
    ["GITHUB_PAT", "token", "variable name"],
    ["OIDC_CLIENT_SECRET", "secretEnv", "placeholder"],
    [b64("mypassword"), "key", "placeholder"],
    ["hunter2hunter2", "password", ""],
    ["nextcloud", "POSTGRES_PASSWORD", ""],
  ];
  for (const [value, name, why] of cases) assert.equal(whyNotSecret(value, name) ?? "", why, `${value} (${name})`);
});

test("urlWithPassword: offsets of a literal password in a URL's userinfo", () => {
  const AT = "@"; // kept out of the source so these URLs are not findings of a scan of this file
  const cases: Array<[string, string | undefined]> = [
    [`postgres://u:p4ss${AT}host/db`, "p4ss"],
    [`redis://:s3cret${AT}cache:6379/0`, "s3cret"],
    [`DATABASE_URL=postgres://app:Xk9mQ2vL${AT}db:5432/app?sslmode=require`, "Xk9mQ2vL"],
    [`mongodb+srv://u:p%40ss${AT}cluster0.mongodb.net/x`, "p%40ss"],
    [`amqp://guest:p${AT}ss${AT}rabbit:5672`, "p@ss"],
    [`postgres://\${DB_USER:-app}:pw7Rq2x9Lk${AT}h/db`, "pw7Rq2x9Lk"],
    [`see https://example.com then ftp://bob:t0ps3cret${AT}files.acme-corp.io/x`, "t0ps3cret"],
    [`postgres://u:\${DB_PASS}${AT}host`, undefined],
    [`postgres://u:\${DB_PASS:-x}${AT}host`, undefined],
    [`postgres://u:$DB_PASS${AT}host`, undefined],
    [`postgres://u:****${AT}host`, undefined],
    [`postgres://u:<password>${AT}host`, undefined],
    [`postgres://u:${AT}host`, undefined],
    [`https://user${AT}host/x`, undefined],
    [`https://example.com/a:b${AT}c`, undefined],
    // documentation hosts (RFC 2606) and elided values are examples, not credentials
    [`https://abc:xyz9Qw7${AT}example.com`, undefined],
    [`https://abc:xyz9Qw7${AT}api.example.org:8443/v1`, undefined],
    [`redis://:s3cretPw${AT}cache.test`, undefined],
    [`dotenv://:key_1234…${AT}dotenvx.com/vault`, undefined],
    // the loopback interface (a developer's local server), a product's default login (user equal
    // to password), a variable name where the password will go
    [`http://elastic:MagicWord${AT}127.0.0.1:9200`, undefined],
    [`http://minio:minio123${AT}localhost:\${PORT}/`, undefined],
    [`http://minio:minio123${AT}127.0.0.1:$((port + 1))`, undefined],
    [`http://minioadmin:minioadmin${AT}minio:9000`, undefined],
    [`http://minio:minio123${AT}\${SERVER_ENDPOINT}/`, undefined],
    [`mongodb://DB_USER:DB_PASSWORD${AT}mongodb:27017`, undefined],
    [`sms://[USER]:[SECRET]${AT}[PROVIDER]`, undefined],
    ["no url here", undefined],
  ];
  for (const [value, password] of cases) {
    const r = urlWithPassword(value);
    if (password === undefined) {
      assert.equal(r, undefined, value);
    } else {
      assert.ok(r, value);
      assert.equal(value.slice(r.start, r.end), password, value);
      assert.equal(r.start, value.indexOf(password), value);
    }
  }
});

// ---------------------------------------------------------------- credential names

test("credentialKind: credential file names", () => {
  const positive: Array<[string, string]> = [
    [".env", "dotenv file"],
    ["app/.env", "dotenv file"],
    [".env.local", "dotenv file"],
    ["deploy/.env.production", "dotenv file"],
    ["./.env", "dotenv file"],
    ["data/+15550100200/identity.json", "messaging identity key"],
    ["signal/data/+15550100200/account.json", "messaging account file"],
    ["data/+15550100200/sessions/4", "messaging session key"],
    ["data/+15550100200/sessions/a/b", "messaging session key"],
    ["home/.local/share/signal-api/data/+15550100200/identity.json", "messaging identity key"],
    ["id_rsa", "SSH private key"],
    ["home/.ssh/id_ed25519", "SSH private key"],
    ["id_ecdsa", "SSH private key"],
    ["id_dsa", "SSH private key"],
    ["keys/id_rsa_deploy", "SSH private key"],
    ["certs/server.pem", "PEM key file"],
    ["tls/server.key", "private key"],
    ["keystore.p12", "PKCS#12 keystore"],
    ["cert.pfx", "PKCS#12 keystore"],
    ["android/release.jks", "Java keystore"],
    ["credentials.json", "credentials file"],
    ["gcp/credentials.json", "credentials file"],
    ["kubeconfig", "kubeconfig"],
    ["ops/.kube/config", "kubeconfig"],
    [".npmrc", "npm credentials (.npmrc)"],
    [".pypirc", "PyPI credentials (.pypirc)"],
    [".netrc", "netrc credentials"],
    [".git-credentials", "git credentials"],
    ["terraform.tfstate", "Terraform state"],
    ["infra/terraform.tfstate.backup", "Terraform state"],
  ];
  for (const [p, kind] of positive) assert.equal(credentialKind(p), kind, p);
  for (const p of [
    ".env.example", ".env.sample", ".env.template", ".env.dist", ".env.production.example", "app/.env.example",
    "src/identity.json", "account.json", "data/identity.json", "sessions/abc", "data/sessions/x",
    "id_rsa.pub", "home/.ssh/id_ed25519.pub", "README.md", "env.ts", ".envrc", ".env.", "src/keys.ts",
    "config", "package.json", "identity.json.bak", "tfstate.md", "",
  ]) {
    assert.equal(credentialKind(p), undefined, p);
  }
});

test("isDotenvName / isDotenvExample", () => {
  for (const n of [".env", ".env.local", ".env.example", ".env.production.sample"]) assert.equal(isDotenvName(n), true, n);
  for (const n of ["env", ".envrc", "app.env", ".env.", "x.env.local"]) assert.equal(isDotenvName(n), false, n);
  for (const n of [".env.example", ".env.sample", ".env.template", ".env.dist", ".env.staging.example", ".env.EXAMPLE"]) {
    assert.equal(isDotenvExample(n), true, n);
  }
  for (const n of [".env", ".env.local", ".env.examples.local", "example"]) assert.equal(isDotenvExample(n), false, n);
});

test("isCredentialDirName", () => {
  for (const d of [".ssh", "home/.ssh", ".gnupg", "credentials", "app/secrets", "data/+15550100200", "data/+15550100200/sessions"]) {
    assert.equal(isCredentialDirName(d), true, d);
  }
  for (const d of ["", "sessions", "src", "data", "secret", "data/+15550100200/groups", "app/sessions"]) {
    assert.equal(isCredentialDirName(d), false, d);
  }
});

// ---------------------------------------------------------------- masking

test("maskSecret: at most the first 4 characters, then … and the length", () => {
  assert.equal(maskSecret("hunter2hunter2"), "hunt…(14 chars)");
  assert.equal(maskSecret("abc"), "…(3 chars)");
  assert.equal(maskSecret("abcd"), "…(4 chars)");
  assert.equal(maskSecret("a"), "…(1 char)");
  assert.equal(maskSecret(""), "…(0 chars)");
  assert.equal(maskSecret("abcdef"), "abc…(6 chars)"); // never more than half of a short value
  assert.equal(maskSecret("abcdefgh"), "abcd…(8 chars)");
  assert.equal(maskSecret("🔑🔑🔑🔑🔑🔑🔑🔑🔑"), "🔑🔑🔑🔑…(9 chars)"); // code points, no broken surrogates
});

test("maskSecret never contains the full value", () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[A-Za-z0-9+/=_.-]{2,120}$/), (s) => {
      // What is shown is a strict prefix of at most 4 characters; the rest is "…(N chars)"
      // (which may itself contain a short value such as "ha", so compare the parts).
      const masked = maskSecret(s);
      const suffix = `…(${s.length} chars)`;
      const shown = masked.slice(0, masked.length - suffix.length);
      return masked.endsWith(suffix) && shown.length <= 4 && shown.length < s.length && s.startsWith(shown);
    }),
    { seed: 20261122, numRuns: 2000 },
  );
});

// ---------------------------------------------------------------- entropy

test("entropy: Shannon bits per character", () => {
  assert.equal(entropy(""), 0);
  assert.equal(entropy("aaaa"), 0);
  assert.equal(entropy("ab"), 1);
  assert.equal(entropy("abcd"), 2);
  assert.equal(entropy("aabb"), 1);
});

test("isHighEntropy: random tokens yes, words, paths and sentences no", () => {
  for (const v of [
    "Xk9mQ2vL7pR4tW8zN3bC", "p4ssW0rd-Qz7Lk2Xv9Mn", j("wJa9rXUtnF3MI", "/K7MDENGbPxRfiCY", "q8Zt2Lw4Vbx"),
    "9fceb02d0ae598e95dc970b74767f193", "550e8400-e29b-41d4-a716-446655440000", "hK3jQ9zL2xW8mN4v",
  ]) {
    assert.equal(isHighEntropy(v), true, v);
  }
  for (const v of [
    "short1A", "my-super-secret-password", "abcdefghijklmnopqrstuvwxyz", "https://example.com/a1B2c3D4e5",
    "this is a sentence 12345", "xxxxxxxxxxxxxxxxxxxx", "postgres-primary-db", "application/json",
    "camelCaseIdentifierName", "1234-5678-9012-3456", "production-database-01", "aaaaaaaaaaaaaaaa1",
  ]) {
    assert.equal(isHighEntropy(v), false, v);
  }
});

// ---------------------------------------------------------------- token scanning

const AWS_KEY_ID = j("AKIA", "Z3MHQT7XVRK4P2LD");
const AWS_SECRET = j("wJa9rXUtnF3MI", "/K7MDENGbPxRfiCY", "q8Zt2Lw4Vbx"); // 40 chars
const GITHUB = j("ghp_", "R8mK2vQ9xL4tW7pZ3nB6yC1dF5gH0jS8aE2u"); // ghp_ + 36
const SLACK = j("xoxb-", "2741098357-4826153094718-", "Zk3Lq8Wv2Nx7Bp4Rt9Ym6Hc");
const STRIPE = j("sk_live_", "51HqT2aK9vL3mX8pR4tW7zN6");
const GITLAB = j("glpat-", "R8mK2vQ9xL4tW7pZ3nB6");
const GCP_API = j("AIza", "SyD4x9Kq2mL7vR8tW3zN6bC1fH5gJ0pQ4sE");
const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const JWT = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url({ sub: "1234567890", name: "Jo" })}.${j("SflKxwRJSMeKKF2QT4fw", "pMeJf36POk6yJV_adQssw5c")}`;

/** Deterministic base64 of plausible length (not a real key). */
function fakeBase64(n: number, seed = 1): string {
  const bytes = Buffer.alloc(Math.ceil((n * 3) / 4));
  let x = seed;
  for (let i = 0; i < bytes.length; i++) bytes[i] = x = (x * 1103515245 + 12345) & 0xff;
  return bytes.toString("base64").slice(0, n);
}
const lines64 = (s: string) => s.match(/.{1,64}/g)!.join("\n");
const pem = (label: string, body: string) => [`-----BEGIN ${label}-----`, lines64(body), `-----END ${label}-----`].join("\n");
const RSA_KEY = pem("RSA PRIVATE KEY", "MIIEow" + fakeBase64(1200));
const EC_KEY = pem("EC PRIVATE KEY", "MHcCAQEEI" + fakeBase64(151, 7)); // SEC1 P-256: "MHc…", 160 chars
const ED25519_KEY = pem("PRIVATE KEY", "MC4CAQAwBQYDK2VwBCIEI" + fakeBase64(43, 3)); // PKCS#8 Ed25519: 64 chars
const SHORT_KEY = pem("PRIVATE KEY", "MIIBfakeKeyBody");

function only(found: TokenMatch[], text: string, value: string, kind: string): void {
  assert.equal(found.length, 1, `${kind}: ${JSON.stringify(found)}`);
  const [m] = found;
  assert.equal(m!.kind, kind);
  assert.equal(m!.start, text.indexOf(value), `${kind} start`);
  assert.equal(m!.end, text.indexOf(value) + value.length, `${kind} end`);
  assert.equal(text.slice(m!.start, m!.end), value);
}

const SINGLE: Array<{ name: string; file: string; text: string; value: string; kind: string; ruleId?: string }> = [
  { name: "AWS secret access key (value offsets, not the name's)", file: "settings.py", text: `x = 1\nAWS_SECRET_ACCESS_KEY = "${AWS_SECRET}"\n`, value: AWS_SECRET, kind: "AWS secret access key" },
  { name: "GitHub token", file: "deploy.sh", text: `#!/bin/sh\nexport GITHUB_TOKEN=${GITHUB}\ngit push\n`, value: GITHUB, kind: "GitHub token", ruleId: "@secretlint/secretlint-rule-github" },
  { name: "Slack token", file: "bot.js", text: `const slack = new WebClient("${SLACK}");\n`, value: SLACK, kind: "Slack token", ruleId: "@secretlint/secretlint-rule-slack" },
  { name: "RSA private key block", file: "notes.txt", text: `key:\n${RSA_KEY}\n`, value: RSA_KEY, kind: "private key" },
  { name: "EC private key (MHc…, missed by the preset)", file: "ec.txt", text: `${EC_KEY}\n`, value: EC_KEY, kind: "private key", ruleId: "bulkhead/private-key" },
  { name: "Ed25519 PKCS#8 private key (64-char body)", file: "ed.txt", text: `${ED25519_KEY}\n`, value: ED25519_KEY, kind: "private key", ruleId: "bulkhead/private-key" },
  { name: "JWT", file: "client.ts", text: `const auth = "Bearer ${JWT}";\n`, value: JWT, kind: "JWT", ruleId: "bulkhead/jwt" },
  { name: "Stripe secret key", file: "Dockerfile", text: `FROM node:20\nENV STRIPE_SECRET_KEY=${STRIPE}\n`, value: STRIPE, kind: "Stripe secret key", ruleId: "bulkhead/stripe" },
  { name: "GitLab personal access token", file: ".gitlab-ci.yml", text: `variables:\n  GL_TOKEN: ${GITLAB}\n`, value: GITLAB, kind: "GitLab token", ruleId: "@secretlint/secretlint-rule-gitlab" },
  { name: "GCP API key", file: "maps.js", text: `const key = '${GCP_API}';\n`, value: GCP_API, kind: "GCP API key", ruleId: "bulkhead/gcp-api-key" },
  { name: "basic auth in URL", file: "a.py", text: `URL = "https://admin:${j("S3cr3tPa55", "word")}@db.acme-corp.io/x"\n`, value: j("S3cr3tPa55", "word"), kind: "basic auth in URL" },
  { name: "database URL password", file: "a.env.txt", text: `DATABASE_URL="postgres://app:${j("Xk9mQ2vL", "7pR4")}@db.internal:5432/app"\n`, value: j("Xk9mQ2vL", "7pR4"), kind: "password in database URL" },
  { name: "CRLF line endings", file: "win.ps1", text: `$a = 1\r\n$t = "${GITHUB}"\r\n`, value: GITHUB, kind: "GitHub token" },
];

for (const c of SINGLE) {
  test(`scanTokens: ${c.name}`, async () => {
    assert.equal(mightHoldToken(c.text), true, "prefilter must let it through");
    const found = await scanTokens(c.text, c.file);
    only(found, c.text, c.value, c.kind);
    if (c.ruleId) assert.equal(found[0]!.ruleId, c.ruleId);
  });
}

test("scanTokens: GCP service-account JSON is one finding, on its private_key value", async () => {
  const keyJson = JSON.stringify(RSA_KEY + "\n").slice(1, -1); // the PEM with \n escapes
  const text = JSON.stringify(
    { type: "service_account", project_id: "demo", private_key_id: "0123456789abcdef", private_key: RSA_KEY + "\n", client_email: "bot@demo.iam.gserviceaccount.com" },
    null,
    2,
  );
  const found = await scanTokens(text, "gcp/service-account.json");
  only(found, text, keyJson, "GCP service-account private key");
  // The same key embedded in another format is still a private key.
  const yaml = `sa: '${JSON.stringify({ private_key_id: "1", private_key: RSA_KEY })}'\n`;
  const inYaml = await scanTokens(yaml, "values.yaml");
  assert.equal(inYaml.length, 1);
  assert.match(inYaml[0]!.kind, /private key/);
});

test("scanTokens: .npmrc tokens, references excepted", async () => {
  const npmToken = j("npm_", "R8mK2vQ9xL4tW7pZ3nB6yC1dF5gH0jS8aE2u");
  const text = `//registry.npmjs.org/:_authToken=${npmToken}\n`;
  only(await scanTokens(text, ".npmrc"), text, npmToken, "npm token");
  assert.deepEqual(await scanTokens("//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", ".npmrc"), []);
  assert.deepEqual(await scanTokens('//registry.npmjs.org/:_authToken="${NPM_TOKEN}"\n', ".npmrc"), []);
});

test("scanTokens: one finding per place, the most specific format winning", async () => {
  const text = `git clone https://x-access-token:${GITHUB}@github.com/org/repo.git\n`;
  only(await scanTokens(text, "ci.sh"), text, GITHUB, "GitHub token");
});

test("scanTokens: many tokens in one file", async () => {
  const keys = Array.from({ length: 3000 }, (_, i) => j("ghp_", "R8mK2vQ9xL4tW7pZ3nB6yC1dF5gH0j", String(i).padStart(6, "Q").replace(/[0-9]/g, (d) => "ABCDEFGHJK"[Number(d)]!)));
  const text = keys.map((k, i) => `key_${i} = "${k}"`).join("\n");
  const found = await scanTokens(text, "keys.py");
  assert.equal(found.length, keys.length);
  assert.deepEqual(found.map((m) => text.slice(m.start, m.end)), keys);
});

test("scanTokens: several findings come back in text order", async () => {
  const text = [`a = "${SLACK}"`, `b = "${GITLAB}"`, `c = "${GITHUB}"`, ""].join("\n");
  const found = await scanTokens(text, "x.py");
  assert.deepEqual(
    found.map((m) => [m.kind, text.slice(m.start, m.end)]),
    [["Slack token", SLACK], ["GitLab token", GITLAB], ["GitHub token", GITHUB]],
  );
});

test("scanTokens: placeholders, references, short fake keys and look-alikes are not tokens", async () => {
  const texts = [
    `key:\n${SHORT_KEY}\n`,
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----\n",
    `-----BEGIN PRIVATE KEY-----\n<your private key here, base64 encoded, at least sixty-four chars long>\n-----END PRIVATE KEY-----\n`,
    `token: ghp_${"x".repeat(36)}\n`,
    "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n", // AWS's documented example key
    // an access key id alone is the public half of the pair
    `AWS_ACCESS_KEY_ID = "${AWS_KEY_ID}"\n`,
    // vendors' documentation values and keys made to be public
    `token = "${j("ghs_16C7e42F292c69", "12E7710c838347Ae178B4a")}" # docs.github.com's example\n`,
    `x = "${j("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.", "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")}"\n`,
    `anon = "${b64url({ alg: "HS256", typ: "JWT" })}.${b64url({ iss: "supabase", role: "anon" })}.${j("Zk3Lq8Wv2Nx7Bp4R", "t9Ym6HcQ2wE5")}"\n`,
    `posthog.init("${j("phc_", "6AT2D3sP5u4fkUZtSqgtmoKmcx8rEX8f86lpISOpAhx")}")\n`,
    // a fixed-length format matching the start of a value elided further on
    `"SecretAccessKey": "${j("23JKqAD+um8ObHqzfIh+bfqwG9V8qs9tFY6M", "qeFR+xxx")}"\n`,
    "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app\n",
    "REDIS_URL=redis://:****@cache:6379\n",
    // base64 JSON in a k8s Secret is not a JWT (no dots)
    "  account.json: eyJ1c2VybmFtZSI6IisxNTU1MDEwMDIwMCIsInBhc3N3b3JkIjoiaDRrOFBxMld6WDdtTjN2QiJ9\n",
    // eyJ….eyJ….sig whose header is not JSON with an alg
    `x = "eyJub3RhbGciOjF9.eyJzdWIiOiIxIn0.${"A".repeat(8)}${"b".repeat(8)}c"\n`,
    `const pk = "${j("pk_live_", "51HqT2aK9vL3mX8pR4tW7zN6")}"; // publishable, public by design\n`,
    // public material is not a secret
    pem("PUBLIC KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + fakeBase64(300, 5)),
    pem("CERTIFICATE", "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa" + fakeBase64(800, 9)),
    `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${fakeBase64(43, 4)} bot@example.com\n`,
  ];
  for (const t of texts) assert.deepEqual(await scanTokens(t, "x.txt"), [], t);
});

test("scanTokens: secretlint-disable comments do not hide findings (bulkhead has its own suppressions)", async () => {
  const text = `const t = "${GITHUB}"; // secretlint-disable-line\n`;
  only(await scanTokens(text, "x.ts"), text, GITHUB, "GitHub token");
});

const ORDINARY_CODE = `import { readFile } from "node:fs/promises";
import path from "node:path";

const API_URL = "https://api.example.com/v1/users";
const password = process.env.DB_PASSWORD ?? "";
const token = req.headers["authorization"]?.slice(7);
const sha = "9fceb02d0ae598e95dc970b74767f19372d61af8";
const re = /^[A-Za-z0-9+/=]{16,}$/;

export async function loadConfig(file: string): Promise<Config> {
  const raw = await readFile(path.resolve(file), "utf8");
  logger.info(\`connected to \${host}:\${port} (see http://example.com/docs)\`);
  return JSON.parse(raw) as Config;
}
`;

test("scanTokens: ordinary code holds no token and never reaches secretlint", async () => {
  assert.equal(mightHoldToken(ORDINARY_CODE), false);
  assert.deepEqual(await scanTokens(ORDINARY_CODE, "src/config.ts"), []);
});

test("scanTokens: the prefilter knows every rule of the installed secretlint preset", () => {
  assert.equal(PREFILTER_COMPLETE, true, `preset rules: ${presetRules.map((r) => r.meta.id).join(", ")}`);
});

test("scanTokens: secretlint's profiler does not pile up performance entries", async () => {
  for (let i = 0; i < 50; i++) await scanTokens(`t = "${GITHUB}"\n`, `f${i}.ts`);
  const marks = performance.getEntriesByType("mark").filter((e) => e.name.startsWith("@core>"));
  assert.equal(marks.length, 0);
});
