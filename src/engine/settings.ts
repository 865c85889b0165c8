// Rule settings: the level and options of each rule for each file, from the preset, the
// configuration's `rules:` and `overrides:` (later wins), then `--rule`.
import type { DocumentKind, Rule, RuleMeta } from "../rule.js";
import type { Level, LevelSetting, PresetName } from "../types.js";
import type { ResolvedConfig } from "./config.js";
import { UNUSED_SUPPRESSION } from "./builtin.js";
import { pssPresetLevel, pssPresetRuleLevel } from "./pss.js";
import { hasVisitor } from "./rules.js";

/** A level as the strict preset raises it: a note becomes a warning, the rest an error. */
export function raiseForStrict(level: Level): Level {
  return level === "note" ? "warning" : "error";
}

/** The kinds of documents the rules that may run read: their own visitors', and what they read of other files (RuleMeta.reads). */
export function documentsRead(settings: SettingsResolver, rules: readonly Rule[]): Set<DocumentKind> {
  const out = new Set<DocumentKind>();
  for (const rule of rules) {
    if (!settings.mayRun(rule.meta)) continue;
    if (hasVisitor(rule, "dockerfile")) out.add("dockerfile");
    if (hasVisitor(rule, "compose")) out.add("compose");
    if (hasVisitor(rule, "k8s")) out.add("k8s");
    for (const kind of rule.meta.reads ?? []) out.add(kind);
  }
  return out;
}

/** A rule's setting for a file; shared by every file the same overrides apply to. */
export interface Setting {
  level: LevelSetting;
  explicit: boolean;
  /** The rule's options: its defaults, then the configuration's (frozen: rules only read them). */
  options: Readonly<Record<string, unknown>>;
}

/** Per-file rule settings: preset, config rules, overrides (later wins), then --rule. */
export class SettingsResolver {
  /** Per file, which overrides apply (their indices); per rule and that list, the setting. */
  private readonly applying = new Map<string, string>();
  private readonly settings = new Map<RuleMeta, Map<string, Setting>>();

  constructor(
    private readonly config: ResolvedConfig,
    private readonly cli: Record<string, LevelSetting>,
    private readonly preset: PresetName,
  ) {}

  for(meta: RuleMeta, absPath: string): Setting {
    const applying = this.overridesFor(absPath);
    let byOverrides = this.settings.get(meta);
    if (!byOverrides) this.settings.set(meta, (byOverrides = new Map()));
    let setting = byOverrides.get(applying);
    if (!setting) {
      const overrides = applying === "" ? [] : applying.split(",").map((i) => this.config.overrides[Number(i)]);
      setting = this.resolve(meta, overrides);
      byOverrides.set(applying, setting);
    }
    return setting;
  }

  /** The overrides that apply to a file, as a key: files with equal keys have equal settings. */
  overridesFor(absPath: string): string {
    const overrides = this.config.overrides;
    if (overrides.length === 0) return "";
    let applying = this.applying.get(absPath);
    if (applying === undefined) {
      applying = overrides.flatMap((o, i) => (o.matches(absPath) ? [i] : [])).join(",");
      this.applying.set(absPath, applying);
    }
    return applying;
  }

  private resolve(meta: RuleMeta, overrides: ResolvedConfig["overrides"]): Setting {
    let level: LevelSetting | undefined;
    let options: Record<string, unknown> = { ...(meta.options?.defaults ?? {}) };
    const apply = (s: { level?: LevelSetting; options?: Record<string, unknown> } | undefined) => {
      if (!s) return;
      if (s.level) level = s.level;
      if (s.options) options = { ...options, ...s.options };
    };
    apply(this.config.rules[meta.id]);
    for (const o of overrides) apply(o.rules[meta.id]);
    if (this.cli[meta.id]) level = this.cli[meta.id];
    Object.freeze(options);
    if (level) return { level, explicit: true, options };
    return { level: this.presetLevel(meta), explicit: false, options };
  }

  /** The rule's level in the preset: strict raises it; a pss-* preset runs only the rules of its level, as errors. */
  presetLevel(meta: RuleMeta): LevelSetting {
    const pss = pssPresetLevel(this.preset);
    // The engine's own findings stay, except unused suppressions: the other rules do not run.
    if (pss) return meta.id === UNUSED_SUPPRESSION.id ? "off" : meta.id.startsWith("bulkhead/") ? meta.level : pssPresetRuleLevel(meta, pss);
    return this.preset === "strict" ? raiseForStrict(meta.level) : meta.level;
  }

  /** Whether the rule runs on some file: it is on for the run, or an override turns it on (--rule wins over both). */
  mayRun(meta: RuleMeta): boolean {
    const cli = this.cli[meta.id];
    if (cli !== undefined) return cli !== "off";
    const on = (level: LevelSetting | undefined) => level !== undefined && level !== "off";
    return this.summaryLevel(meta) !== "off" || this.config.overrides.some((o) => on(o.rules[meta.id]?.level));
  }

  /** The rule's level for the run as a whole (ignoring per-file overrides). */
  summaryLevel(meta: RuleMeta): LevelSetting {
    return this.cli[meta.id] ?? this.config.rules[meta.id]?.level ?? this.presetLevel(meta);
  }
}
