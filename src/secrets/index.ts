// The shared secrets toolkit: what a secret-looking name is, which values are literals,
// credential file names, masking, and known token formats.
export { isSecretName, isReference, isPlaceholder, isLiteralSecretValue, urlWithPassword, urlPasswords, nameWords } from "./names.js";
export { credentialKind, isDotenvName, isDotenvExample, isCredentialDirName } from "./credentials.js";
export { maskSecret } from "./mask.js";
export { quote, redactSecrets, QUOTE_MAX } from "./redact.js";
export { scanTokens, mightHoldToken, entropy, isHighEntropy, type TokenMatch } from "./tokens.js";
export { privateKeyBlocks } from "./extra-patterns.js";
