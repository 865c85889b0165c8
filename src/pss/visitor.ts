// The k8s visitor of a rule that is a Pod Security Standards control and nothing else
// (k8s/host-ports, k8s/apparmor-profile, …): in the recommended and strict presets it reports the
// violations of its controls as admission evaluates them at one level and the run's version. In
// the pss-* presets and for labelled namespaces the engine reports them instead (src/engine/pss.ts).
import type { Level } from "../types.js";
import type { Rule, RuleMeta, RuleVisitors } from "../rule.js";
import { podSpecOf } from "../selectors/k8s.js";
import { CONTROLS, type PssControl, type PssLevel } from "./controls.js";
import { evaluatePod } from "./registry.js";
import type { PssViolation } from "./fields.js";

export function pssVisitor(controls: readonly PssControl[], level: PssLevel, levelOf?: (v: PssViolation) => Level | undefined): NonNullable<RuleVisitors["k8s"]> {
  return (obj, ctx) => {
    const pod = podSpecOf(obj);
    if (!pod) return;
    for (const v of evaluatePod(pod, level, ctx.pssVersion)) {
      if (!controls.includes(v.control)) continue;
      const findingLevel = levelOf?.(v);
      ctx.report({
        node: v.node,
        message: `${v.detail}: ${CONTROLS[v.control].why}; ${v.fix}`,
        logicalLocation: v.logical,
        ...(findingLevel ? { level: findingLevel } : {}),
      });
    }
  };
}

/** A rule that is Pod Security Standards controls and nothing else: its metadata, and in the recommended and strict presets the controls as admission evaluates them at `level`. */
export function definePssRule(meta: RuleMeta & { pss: PssControl[] }, level: PssLevel, levelOf?: (v: PssViolation) => Level | undefined): Rule {
  return { meta, k8s: pssVisitor(meta.pss, level, levelOf) };
}
