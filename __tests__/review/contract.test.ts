import { allowLine, bindingFields, markStale, ORPHANED_STATE, type PlanBinding, readBinding, renderComment, type ResourceChange, type StackPlan, statusesOf } from "../../review";

// What the renderer promises the review and apply jobs: the binding in the marker, the exact
// allow lines, orphaned states, and the operator's stacks (docs/review-workflow.md).
const digestKey = "contract-test-key";
const sha = (c: string) => c.repeat(64);

const change = (address: string, type: string, actions: ResourceChange["change"]["actions"], extra: Partial<ResourceChange["change"]> = {}): ResourceChange => ({
  address,
  type,
  change: { actions, before: actions[0] === "create" ? null : { retention: 35 }, after: actions[0] === "delete" ? null : { retention: 7 }, ...extra },
});
const plans: StackPlan[] = [
  { stack: "prod-database", plan: { format_version: "1.2", resource_changes: [change("aws_rds_cluster.db", "aws_rds_cluster", ["update"]), change("aws_db_subnet_group.db", "aws_db_subnet_group", ["delete"])] } },
  { stack: "prod-network", plan: { format_version: "1.2", resource_changes: [change("aws_nat_gateway.nat", "aws_nat_gateway", ["delete"])] } },
];
const binding: PlanBinding = { run: "4242", pr: 17, base: "b".repeat(40), head: "a".repeat(40), plans: { "prod-database": sha("1"), "prod-network": sha("2") }, changed: ["prod-database", "prod-network"], orphans: sha("3") };
const blocked = [
  { stack: "prod-database", address: "aws_rds_cluster.db", why: "decrease of backup_retention_period: 35 → 7" },
  { stack: "prod-network", address: "aws_nat_gateway.nat", why: "protected by config: prod-network/network/nat" },
];

describe("the binding", () => {
  const { markdown } = renderComment(plans, { digestKey, binding, blocked });

  it("is in the marker, after sha= and digest=, and readBinding reads back what was rendered", () => {
    const [, digest] = /^<!-- plan-comment sha=a{40} digest=(sha256:[0-9a-f]{64}) /.exec(markdown) ?? [];
    expect(markdown.split("\n")[0]).toBe(`<!-- plan-comment sha=${binding.head} digest=${digest}${bindingFields(binding)} -->`);
    expect(readBinding(markdown)).toEqual(binding);
  });

  it("is dropped when the comment goes stale: a stale comment vouches for no plan", () => {
    const stale = markStale(markdown, "c".repeat(40));
    expect(stale.split("\n")[0]).toMatch(new RegExp(`^<!-- plan-comment sha=a{40} digest=sha256:[0-9a-f]{64} stale=c{40} -->$`));
    expect(() => readBinding(stale)).toThrow("the plan comment's marker has no run, pr, base, head, plans");
  });

  it("must cover exactly the plans rendered", () => {
    expect(() => renderComment(plans.slice(0, 1), { digestKey, binding })).toThrow("the binding does not match the plans: the binding lists prod-network, whose plans were not given");
    const { "prod-network": _, ...one } = binding.plans;
    expect(() => renderComment(plans, { digestKey, binding: { ...binding, plans: one } })).toThrow("the binding does not match the plans: plans of prod-network have no sha256 in the binding");
  });

  it("must be for the commit the comment names", () => {
    expect(() => renderComment(plans, { digestKey, binding, sha: "d".repeat(40) })).toThrow(`the comment is for ${"d".repeat(40)}, but its binding is for the head ${"a".repeat(40)}`);
  });

  it("a commit that would close the marker is refused", () => {
    expect(() => renderComment(plans, { digestKey, sha: "abc --> <img src=x>" })).toThrow('the comment\'s sha must be a commit or a digest (letters, digits, . _ : -); got "abc --> <img src=x>"');
    expect(() => markStale(markdown, "x -->")).toThrow('the new commit must be a commit (letters, digits, . _ : -); got "x -->"');
  });
});

describe("verdicts", () => {
  const items = renderComment(plans, { digestKey, binding, blocked }).markdown.split("\n").filter((l) => l.startsWith("> - "));

  it("list every refused change first, a data-destroying update too, each with why and its exact allow line", () => {
    expect(items.slice(0, 2)).toEqual([
      `> - 🛑 **STATEFUL: Aurora cluster** \`prod-database\` \`aws_rds_cluster.db\`: **update that destroys data** — ⛔ **plan-guard will refuse this** (decrease of backup\\_retention\\_period: 35 → 7); to allow it, an approver adds this line to an approving review: \`${allowLine("prod-database", "aws_rds_cluster.db", sha("1"))}\``,
      `> - \`prod-network\` \`aws_nat_gateway.nat\`: **delete** — ⛔ **plan-guard will refuse this** (protected by config: prod-network/network/nat); to allow it, an approver adds this line to an approving review: \`${allowLine("prod-network", "aws_nat_gateway.nat", sha("2"))}\``,
    ]);
    expect(items[2]).toBe("> - `prod-database` `aws_db_subnet_group.db`: **delete**");
  });

  it("name what to paste without a binding only in words, never a line for some other plan", () => {
    const unbound = renderComment(plans, { digestKey, blocked }).markdown;
    expect(unbound).toContain("to allow it, an approver adds its `/allow` line to an approving review (the review job's comment names the plan's sha256)");
    expect(unbound).not.toContain("/allow prod");
  });

  it("that match no change are listed all the same", () => {
    const comment = renderComment(plans, { digestKey, binding, blocked: [{ stack: "prod-network", address: "aws_vpc.gone", why: "protected by config: prod-network/network/vpc" }] }).markdown;
    expect(comment).toContain("> - `prod-network` `aws_vpc.gone` — ⛔ **plan-guard will refuse this** (protected by config: prod-network/network/vpc); to allow it, an approver adds this line to an approving review: `/allow prod-network aws_vpc.gone sha256:");
  });
});

describe("orphaned states", () => {
  const orphans = [
    { stack: "prod-database", key: "prod/database.tfstate", resources: 40 },
    { stack: "prd-network", key: "prd/network.tfstate", resources: undefined },
  ];
  const { markdown } = renderComment(plans, { digestKey, binding, orphans, blocked: [{ stack: "prod-database", address: ORPHANED_STATE, why: "orphaned state" }] });

  it("show in a caution of their own, each key with its stack, count and allow line", () => {
    expect(markdown).toContain("> [!CAUTION]\n> **Orphaned: 40+ resources will no longer be managed (nothing is destroyed)**");
    expect(markdown).toContain(`> - \`prod/database.tfstate\` (stack \`prod-database\`): 40 resources; to allow it, an approver adds this line to an approving review: \`${allowLine("prod-database", ORPHANED_STATE, sha("3"))}\``);
    expect(markdown).toContain("> - `prd/network.tfstate` (stack `prd-network`): not counted; to allow it");
  });

  it("are not listed twice when the guard refuses them", () => {
    expect(markdown.match(/orphaned-state sha256:/g)).toHaveLength(2);
  });

  it("are never dropped, even when the budget is tight", () => {
    const tight = renderComment(plans, { digestKey, binding, orphans, budget: 3_000 }).markdown;
    expect(tight.length).toBeLessThanOrEqual(3_000);
    expect(tight).toContain("**Orphaned: 40+ resources will no longer be managed (nothing is destroyed)**");
  });
});

describe("the operator's stacks", () => {
  const expected = ["account-111111111111", "prod-network", "prod-database"];
  const statuses = statusesOf(expected, plans, []);

  it("are named in one neutral line, and never counted as stacks without a plan", () => {
    const { markdown } = renderComment(plans, { digestKey, statuses, operatorStacks: ["account-111111111111"] });
    expect(markdown).toContain("Applied by an operator, not by CI: `account-111111111111`");
    expect(markdown).not.toContain("have no plan");
    expect(markdown).not.toContain("[!WARNING]");
  });

  it("are rendered like any other stack when they have a plan", () => {
    const account: StackPlan = { stack: "account-111111111111", plan: { format_version: "1.2", resource_changes: [change("aws_iam_role.ci", "aws_iam_role", ["update"])] } };
    const { markdown } = renderComment([...plans, account], { digestKey, statuses: statusesOf(expected, [...plans, account], []), operatorStacks: ["account-111111111111"] });
    expect(markdown).toContain("Applied by an operator, not by CI: `account-111111111111` (its plan is below)");
    expect(markdown).toContain("| `account-111111111111` |");
  });

  it("still count when another stack has no plan", () => {
    const { markdown } = renderComment(plans.slice(0, 1), { digestKey, statuses: statusesOf(expected, plans.slice(0, 1), []), operatorStacks: ["account-111111111111"] });
    expect(markdown).toContain("> **1 of 2 stacks have no plan.**");
    expect(markdown).toContain("> - `prod-network`: **missing**");
  });
});
