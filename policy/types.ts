/** How bad a finding is: errors fail the synth, warnings are reported and pass. */
export type Severity = "error" | "warning";

/** One block of the synthesized Terraform a rule looks at. */
export interface ResourceView {
  /** `resource`, `data` or `provider`. */
  readonly kind: "resource" | "data" | "provider";
  /** Terraform type (`aws_s3_bucket`), or `provider.<name>` for providers. */
  readonly type: string;
  /** Logical id in the synthesized JSON (or the provider alias / index). */
  readonly name: string;
  /** Terraform address: `aws_s3_bucket.x`, `data.aws_x.y`, `provider.helm`. */
  readonly address: string;
  /** Construct path (`dev-network/network/vpc`), from cdktf's `//` metadata. */
  readonly path: string;
  /** The resolved configuration, as it will be synthesized (without the `//` metadata). */
  readonly attrs: Readonly<Record<string, unknown>>;
}

/** Everything of one stack, for rules that look across resources (e.g. a bucket's versioning). */
export interface StackView {
  readonly id: string;
  readonly resources: readonly ResourceView[];
  /** Blocks of one type. */
  ofType(type: string): readonly ResourceView[];
  /**
   * Blocks of `type` that point at `target`: any of their attributes interpolates the target's
   * address (`${aws_s3_bucket.x.id}`) or, for literal wiring, equals one of the target's
   * identifying attributes (`bucket`, `name`, `id`).
   */
  linkedTo(target: ResourceView, type: string): readonly ResourceView[];
}

/** A rule of the pack. */
export interface Rule {
  /** Stable id, `PI-<AREA>-<NNN>`. Never reuse or renumber one: suppressions name it. */
  readonly id: string;
  /** Default severity; an environment may override it. */
  readonly severity: Severity;
  /** One line: what must hold. */
  readonly title: string;
  /** Why it matters. */
  readonly rationale: string;
  /** How to make the finding go away properly. */
  readonly fix: string;
  /** The Checkov check it corresponds to, where one exists. */
  readonly checkov?: string;
  /** How that Checkov check differs from the rule, where it does (it checks less, or passes vacuously on this output). */
  readonly checkovNote?: string;
  /** Block types the rule inspects (`aws_kms_key`, `provider.helm`). */
  readonly types: readonly string[];
  /** Returns why a block breaks the rule, or undefined when it complies. */
  check(resource: ResourceView, stack: StackView): string | undefined;
}

/** A rule broken by one block. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly fix: string;
  readonly stack: string;
  readonly path: string;
  readonly address: string;
  /** What exactly is wrong with this block. */
  readonly detail: string;
  /** Set when a suppression covers the finding: it is then listed but does not count. */
  readonly suppressedBy?: { readonly path: string; readonly reason: string };
}
