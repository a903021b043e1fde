import { Annotations, Aspects, type IAspect, TerraformStack } from "cdktf";
import { type IConstruct } from "constructs";
import { coveringSuppression, type Suppression, suppressionsIn } from "./suppress";
import { inspectedBy, stackView } from "./stack-view";
import { type Finding, type Rule, type Severity } from "./types";

/** Props of {@link PolicyPack}. */
export interface PolicyPackProps {
  /** The rules to run. */
  readonly rules: readonly Rule[];
  /**
   * Severity overrides for a stack (rule id → severity), e.g. from its environment's config.
   * @default - every rule at its own severity
   */
  readonly severityOverrides?: (stack: TerraformStack) => Readonly<Record<string, Severity>> | undefined;
}

/** Results for one stack. */
export interface StackReport {
  readonly stack: string;
  /** Ids of the rules that had something to inspect in this stack. */
  readonly rulesChecked: readonly string[];
  /** Every finding, suppressed ones included (they carry `suppressedBy`). */
  readonly findings: readonly Finding[];
  /** Every suppression declared in the stack, and how many findings it covered. */
  readonly suppressions: ReadonlyArray<Suppression & { readonly matched: number }>;
}

/** Id under which suppressions that match nothing are reported. */
export const UNUSED_SUPPRESSION = "PI-SUPPRESS-000";

/**
 * The policy pack: rules run over the resolved configuration of every stack, as a cdktf Aspect.
 *
 * Added to stacks as an Aspect (`pack.attachTo(app)`, or `Aspects.of(stack).add(pack)`: cdktf
 * runs aspects per stack, so adding it to the App alone does nothing), it annotates offending
 * constructs, and error annotations make cdktf refuse to synthesize. `checkApp(app)` runs it
 * over all stacks up front, so that a caller can stop before a single file is written and report
 * every stack's findings at once.
 */
export class PolicyPack implements IAspect {
  private readonly results = new Map<string, StackReport>();

  constructor(private readonly props: PolicyPackProps) {
    const ids = props.rules.map((r) => r.id);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate) throw new Error(`Policy pack: rule id ${duplicate} is defined twice`);
  }

  /** Adds the pack as an Aspect to every stack under `root`. */
  attachTo(root: IConstruct): void {
    for (const stack of root.node.findAll().filter(TerraformStack.isStack)) Aspects.of(stack).add(this);
  }

  /** Aspect entry point: evaluates each stack once. */
  visit(node: IConstruct): void {
    if (TerraformStack.isStack(node) && !this.results.has(node.node.path)) this.results.set(node.node.path, this.checkStack(node));
  }

  /** Evaluates every stack under `root` and returns the results, in stack order. */
  checkApp(root: IConstruct): StackReport[] {
    const stacks = root.node.findAll().filter(TerraformStack.isStack);
    for (const stack of stacks) {
      // Resolving in "preparing" mode first registers cross-stack references, as synth does.
      stack.prepareStack();
      this.visit(stack);
    }
    return stacks.map((stack) => this.results.get(stack.node.path) as StackReport);
  }

  private checkStack(stack: TerraformStack): StackReport {
    const view = stackView(stack.node.id, stack.toTerraform() as Record<string, unknown>);
    const overrides = this.props.severityOverrides?.(stack) ?? {};
    const declared = suppressionsIn(stack);
    const matched = new Map<Suppression, number>();
    const nodes = new Map(stack.node.findAll().map((n) => [n.node.path, n]));
    const findings: Finding[] = [];
    const rulesChecked = this.props.rules.filter((rule) => inspectedBy(rule, view).length > 0);

    for (const rule of rulesChecked) {
      const severity = overrides[rule.id] ?? rule.severity;
      for (const resource of inspectedBy(rule, view)) {
        const detail = rule.check(resource, view);
        if (detail === undefined) continue;
        const suppression = coveringSuppression(declared, rule.id, resource.path);
        if (suppression) matched.set(suppression, (matched.get(suppression) ?? 0) + 1);
        findings.push({
          ruleId: rule.id,
          severity,
          title: rule.title,
          fix: rule.fix,
          stack: stack.node.id,
          path: resource.path,
          address: resource.address,
          detail,
          suppressedBy: suppression && { path: suppression.path, reason: suppression.reason },
        });
        if (!suppression) annotate(nodes.get(resource.path) ?? stack, severity, `[${rule.id}] ${rule.title}: ${detail}. Fix: ${rule.fix}`);
      }
    }
    const known = new Set(this.props.rules.map((r) => r.id));
    for (const s of declared.filter((d) => !matched.has(d))) {
      const why = known.has(s.ruleId) ? "it matches no finding; remove it" : `${s.ruleId} is not a rule of this pack`;
      findings.push({
        ruleId: UNUSED_SUPPRESSION,
        severity: "warning",
        title: "Suppression matches nothing",
        fix: "Remove the suppression, or correct its rule id or scope",
        stack: stack.node.id,
        path: s.path,
        address: "-",
        detail: `suppression of ${s.ruleId} (${s.reason}): ${why}`,
      });
      annotate(nodes.get(s.path) ?? stack, "warning", `[${UNUSED_SUPPRESSION}] suppression of ${s.ruleId} matches nothing`);
    }
    return {
      stack: stack.node.id,
      rulesChecked: rulesChecked.map((r) => r.id),
      findings,
      suppressions: declared.map((s) => ({ ...s, matched: matched.get(s) ?? 0 })),
    };
  }
}

function annotate(node: IConstruct, severity: Severity, message: string): void {
  if (severity === "error") Annotations.of(node).addError(message);
  else Annotations.of(node).addWarning(message);
}

/** Findings that count: not suppressed, at the given severity. */
export function activeFindings(reports: readonly StackReport[], severity: Severity): Finding[] {
  return reports.flatMap((r) => r.findings).filter((f) => !f.suppressedBy && f.severity === severity);
}
