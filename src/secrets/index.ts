// The shared secrets toolkit: what a secret-looking name is, which values are secrets (and why
// the others are not), credential file names, masking (of findings and of quoted text), and
// known token formats.
export { isSecretName, isSettingName, nameWords } from "./names.js";
export { isReference } from "./reference.js";
export { isPlaceholder, isVariableName } from "./placeholder.js";
export { whyNotSecret, isLiteralSecretValue, isPasswordHash, isDocumentationKey, isPublishableKey, decodedText, type NotSecret } from "./values.js";
export { urlWithPassword, urlPasswords, displayUrl } from "./urls.js";
export { credentialKind, isDotenvName, isDotenvExample, isCredentialDirName } from "./credentials.js";
export { maskSecret } from "./mask.js";
export { quote, redactSecrets, keyList, QUOTE_MAX } from "./redact.js";
export { scanTokens, mightHoldToken, entropy, isHighEntropy, findPrivateKeys, type TokenMatch } from "./tokens.js";
export { secretsInText, lineCounter, type EmbeddedSecret } from "./content.js";
