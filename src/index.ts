// The library API: `import { lint } from "bulkhead"`.
export { lint, failsAt, type LintOptions, type LintResult, type PolicySource, type RuleDescriptor } from "./engine/lint.js";
export type { PolicyText } from "./engine/policy-file.js";
export type { SuppressionRecord } from "./engine/suppressions.js";
export type { FailOn } from "./engine/config.js";
export type { Finding, Level, LevelSetting, PresetName, Region, Suppression } from "./types.js";
export { format, FORMATS } from "./reporters/index.js";
export { toSarif } from "./reporters/sarif.js";
export { UsageError, ConfigError } from "./errors.js";
export { VERSION } from "./version.js";
