import { GITHUB_COMMENT_LIMIT, GITHUB_SUMMARY_LIMIT, renderComment, renderSummary, type ResourceChange, type StackPlan, type StackStatus } from "../../review";

// Item 16: everything is budgeted, the details degrade stack by stack, and the job summary stays
// under GitHub's 1 MiB.
const digestKey = "scale-test-key";
const bytes = (text: string) => Buffer.byteLength(text, "utf8");

describe("211 failed stacks", () => {
  const statuses: StackStatus[] = Array.from({ length: 211 }, (_, i) => ({
    stack: `env${String(i).padStart(3, "0")}-network`,
    status: "failed",
    // Terraform's error text runs long: four lines of it are about a kilobyte per stack.
    detail: [
      `Error: configuring Terraform AWS Provider: no valid credential sources for Terraform AWS Provider found (stack ${i}).`,
      "Please see https://registry.terraform.io/providers/hashicorp/aws and the provider's authentication and configuration guide for more information about providing credentials, and the shared config and credentials files",
      "AWS Error: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, request canceled, context deadline exceeded, while assuming the role of the plan job",
      "  with provider[\"registry.terraform.io/hashicorp/aws\"], on cdk.tf.json line 1, in provider.aws: 1: {\"provider\": {\"aws\": [{\"allowed_account_ids\": [\"111111111111\"], \"region\": \"eu-west-1\"}]}}",
    ].join("\n"),
  }));
  const { markdown } = renderComment([], { digestKey, statuses });

  it("fit in one comment, which names how many failed", () => {
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown).toContain("> **211 of 211 stacks have no plan.**");
    expect(markdown).toMatch(/^> - …and \d+ more failed stacks: see the full rendering \(artifact `plan-rendering`\)$/m);
  });

  it("list as many as fit, and count exactly the rest", () => {
    const listed = markdown.split("\n").filter((l) => /^> - `env\d{3}-network`: \*\*planning failed\*\*/.test(l)).length;
    const rest = Number(/…and (\d+) more failed stacks/.exec(markdown)?.[1]);
    expect(listed).toBeGreaterThan(50);
    expect(listed + rest).toBe(211);
  });
});

/** Small changes, built in memory: 60,000 of them exceed both caps many times over (the 200,000 only take longer). */
function manyChanges(stacks: number, perStack: number): StackPlan[] {
  return Array.from({ length: stacks }, (_, s) => ({
    stack: `env${String(s).padStart(2, "0")}-network`,
    plan: {
      format_version: "1.2",
      resource_changes: Array.from({ length: perStack }, (_, i): ResourceChange => ({
        address: `aws_route.r${i}`,
        type: "aws_route",
        change: { actions: i % 3 ? ["create"] : ["update"], before: i % 3 ? null : { cidr: "10.0.0.0/24" }, after: { cidr: `10.${s}.${i % 256}.0/24`, id: null }, after_unknown: { id: true } },
      })),
    },
  }));
}

describe("60,000 changes", () => {
  const plans = manyChanges(20, 3_000);

  it("give a comment within GitHub's limit and a job summary within 1 MiB", () => {
    const comment = renderComment(plans, { digestKey });
    const summary = renderSummary(plans, { digestKey });
    expect(comment.markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(bytes(summary.markdown)).toBeLessThanOrEqual(GITHUB_SUMMARY_LIMIT);
    expect(summary.markdown).toContain("Trimmed to fit GitHub's 1 MiB job summary limit.");
    expect(summary.markdown).toContain("The full rendering is in the workflow's artifact `plan-rendering`.");
    // The summary spends its larger budget: the lists of whole stacks, which the comment cannot hold.
    const listed = (markdown: string) => (markdown.match(/<details><summary>/g) ?? []).length;
    expect(listed(comment.markdown)).toBe(0);
    expect(listed(summary.markdown)).toBeGreaterThanOrEqual(2);
    expect(bytes(summary.markdown)).toBeGreaterThan(10 * GITHUB_COMMENT_LIMIT);
  });
});

/** A stack of `n` creates whose diffs are long (not review-worthy, so their details go first). */
function createsStack(stack: string, n: number, width: number): StackPlan {
  const resource_changes: ResourceChange[] = Array.from({ length: n }, (_, i) => ({
    address: `aws_subnet.s${i}`,
    type: "aws_subnet",
    change: { actions: ["create"], before: null, after: Object.fromEntries(Array.from({ length: width }, (_, k) => [`attr_${k}`, `value-${i}-${k}`])) },
  }));
  return { stack, plan: { format_version: "1.2", resource_changes } };
}

describe("degrading gradually", () => {
  // One large stack and nine small ones: all-or-nothing levels dropped every create's details,
  // the small stacks' too, and left most of the budget unused.
  const plans = [createsStack("env00-network", 400, 12), ...Array.from({ length: 9 }, (_, i) => createsStack(`env0${i + 1}-network`, 20, 6))];
  const result = renderComment(plans, { digestKey, budget: 60_000 });
  const detailsOf = (stack: string) => new RegExp(`<b>${stack}</b>[\\s\\S]*?</details>`).exec(result.markdown)?.[0] ?? "";

  it("drops the details of the largest stack's creates, and keeps the small stacks'", () => {
    expect(result.markdown.length).toBeLessThanOrEqual(60_000);
    expect(detailsOf("env00-network")).not.toContain("```diff");
    for (let i = 1; i <= 9; i++) expect(detailsOf(`env0${i}-network`)).toContain("```diff");
  });

  it("says which stack lost what", () => {
    expect(result.omitted).toEqual(["attribute details of resources to be created (of 1 of 10 stacks: `env00-network`)"]);
  });

  it("fills the budget: a tighter one drops the next largest stack's details, not all of them", () => {
    const tighter = renderComment(plans, { digestKey, budget: result.markdown.length - 1_500 });
    const withDiffs = (markdown: string) => (markdown.match(/```diff/g) ?? []).length;
    expect(withDiffs(tighter.markdown)).toBeGreaterThan(0);
    expect(withDiffs(tighter.markdown)).toBeLessThan(withDiffs(result.markdown));
  });
});
