// Environment variables that turn TLS certificate verification off, shared by the Dockerfile
// (ENV, `VAR=… cmd`), compose (`environment:`) and Kubernetes (`env:`) rules.

const TRUE = /^(?:1|t|true|y|yes|on)$/i;
const FALSE = /^(?:0|f|false|n|no|off)$/i;

/** Variables that tools read, with the values that turn verification off and what then happens. */
const KNOWN: { name: RegExp; off: (value: string) => boolean; what: string }[] = [
  // Node compares the value with the string "0" (lib/_tls_wrap.js); anything else keeps verification on.
  { name: /^NODE_TLS_REJECT_UNAUTHORIZED$/, off: (v) => v === "0", what: "Node.js accepts any certificate on every TLS connection the process makes" },
  // PEP 493: "0" makes http.client and urllib skip verification.
  { name: /^PYTHONHTTPSVERIFY$/, off: (v) => v === "0", what: "Python's http.client and urllib accept any certificate" },
  // git reads only whether the variable is set (http.c: `if (getenv("GIT_SSL_NO_VERIFY"))`): even "false" turns it off.
  { name: /^GIT_SSL_NO_VERIFY$/, off: (v) => v !== "", what: "git accepts any certificate (git only checks that the variable is set, so any value does)" },
  { name: /^npm_config_strict_ssl$/i, off: (v) => FALSE.test(v), what: "npm accepts any registry certificate" },
  { name: /^YARN_ENABLE_STRICT_SSL$/, off: (v) => FALSE.test(v), what: "Yarn accepts any registry certificate" },
  { name: /^PIP_TRUSTED_HOST$/, off: (v) => v.trim() !== "", what: "pip accepts any certificate from those hosts, and plain HTTP" },
  { name: /^GOINSECURE$/, off: (v) => v.trim() !== "", what: "go fetches those modules without certificate checks, and over plain HTTP" },
  { name: /^VAULT_SKIP_VERIFY$/, off: (v) => TRUE.test(v), what: "the Vault client accepts any certificate from the server it sends its token to" },
  { name: /^CONSUL_HTTP_SSL_VERIFY$/, off: (v) => FALSE.test(v), what: "the Consul client accepts any certificate" },
  { name: /^NOMAD_SKIP_VERIFY$/, off: (v) => TRUE.test(v), what: "the Nomad client accepts any certificate" },
];

/**
 * An application's own switch, named for what it does: `…_INSECURE_SKIP_VERIFY`, `…_TLS_SKIP_VERIFY`,
 * `…_SKIP_TLS_VERIFY` set true; `…_SSL_VERIFY`, `…_TLS_VERIFY`, `…_VERIFY_SSL` set false;
 * `…_SSL_VERIFICATION_MODE` set to none. DOCKER_TLS_VERIFY is not one: the Docker CLI verifies
 * whenever it is set, whatever its value.
 */
const SKIP_NAME = /(?:^|_)(?:INSECURE_SKIP_(?:TLS_)?VERIFY|SKIP_(?:TLS|SSL)_VERIFY(?:ICATION)?|(?:TLS|SSL)_SKIP_VERIFY|(?:TLS|SSL)_NO_VERIFY|(?:TLS|SSL)_INSECURE(?:_SKIP_VERIFY)?)$/i;
const VERIFY_NAME = /(?:^|_)(?:(?:SSL|TLS)_VERIFY(?:_PEER|_CERTS?|_CERTIFICATES?)?|VERIFY_(?:SSL|TLS)(?:_CERTS?)?)$/i;
const MODE_NAME = /(?:^|_)(?:SSL|TLS)_VERIFICATION_?MODE$/i;

/** Why setting `name` to `value` turns certificate verification off; undefined when it does not. */
export function tlsOffByEnv(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const known = KNOWN.find((k) => k.name.test(name));
  if (known) return known.off(v) ? known.what : undefined;
  if (/^DOCKER_TLS_VERIFY$/i.test(name)) return undefined;
  // A skip switch is read as one before the VERIFY_NAME test: `SKIP_TLS_VERIFY=false` also ends in `_TLS_VERIFY`.
  if (SKIP_NAME.test(name)) return TRUE.test(v) ? "the application skips certificate verification, as the variable's name says" : undefined;
  if (VERIFY_NAME.test(name) && FALSE.test(v)) return "the application skips certificate verification, as the variable's name says";
  if (MODE_NAME.test(name) && /^none$/i.test(v)) return "the application skips certificate verification";
  return undefined;
}
