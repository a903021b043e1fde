import fc from "fast-check";
import { type Action, countChanges, GITHUB_COMMENT_LIMIT, KINDS, renderComment, type ResourceChange, type StackPlan } from "../../review";

// Secrets are unique marker strings, so "never appears" can be checked by substring.
const secret = fc.stringMatching(/^[0-9a-f]{12}$/).map((h) => `S3CR3T${h}`);
const plain = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.boolean(), fc.constant(null));
const ACTIONS: Action[][] = [["create"], ["update"], ["delete"], ["delete", "create"], ["create", "delete"], ["no-op"], ["forget"], ["read"]];

const resourceChange = fc
  .record({
    type: fc.constantFrom("aws_subnet", "aws_db_instance", "aws_s3_bucket", "helm_release", "aws_iam_role", "aws_route"),
    name: fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/),
    actions: fc.constantFrom(...ACTIONS),
    attrs: fc.dictionary(fc.stringMatching(/^[a-z_]{1,12}$/), plain, { maxKeys: 6 }),
    sensitiveValue: secret,
    namedSecret: secret,
    yamlSecret: secret,
    moved: fc.boolean(),
    imported: fc.boolean(),
    data: fc.boolean(),
  })
  .map(({ type, name, actions, attrs, sensitiveValue, namedSecret, yamlSecret, moved, imported, data }): ResourceChange => {
    const value = { ...attrs, hidden: sensitiveValue, db_password: namedSecret, values: [`app:\n  apiToken: ${yamlSecret}\n`] };
    return {
      address: `${type}.${name}`,
      previous_address: moved ? `${type}.old_${name}` : undefined,
      mode: data ? "data" : "managed",
      type,
      name,
      change: {
        actions,
        before: actions[0] === "create" && actions.length === 1 ? null : value,
        after: actions[0] === "delete" && actions.length === 1 ? null : { ...value, hidden: `${sensitiveValue}x` },
        after_unknown: { id: true },
        before_sensitive: { hidden: true },
        after_sensitive: { hidden: true },
        importing: imported ? { id: "i-1" } : undefined,
      },
    };
  });

const stackPlans = fc.uniqueArray(
  fc.record({
    stack: fc.stringMatching(/^[a-z]{2,6}-(network|eks|database)$/),
    changes: fc.array(resourceChange, { maxLength: 60 }),
    output: secret,
  }),
  { selector: (s) => s.stack, minLength: 1, maxLength: 8 },
).map((stacks): StackPlan[] =>
  stacks.map(({ stack, changes, output }) => ({
    stack,
    plan: {
      format_version: "1.2",
      resource_changes: changes,
      output_changes: { token: { actions: ["update"], before: `${output}a`, after: `${output}b`, before_sensitive: true, after_sensitive: true } },
    },
  })),
);

/** Every secret planted in a generated plan. */
function plantedSecrets(plans: readonly StackPlan[]): string[] {
  return JSON.stringify(plans).match(/S3CR3T[0-9a-f]{12}/g) ?? [];
}

const digestKey = "properties-test-key";

describe("plan-comment properties (fast-check)", () => {
  it("never exceeds the budget, whatever the plans", () => {
    fc.assert(
      fc.property(stackPlans, fc.integer({ min: 3_000, max: GITHUB_COMMENT_LIMIT }), (plans, budget) => {
        expect(renderComment(plans, { budget, digestKey }).markdown.length).toBeLessThanOrEqual(budget);
      }),
      { numRuns: 60 },
    );
  });

  it("never shows a value marked sensitive or named like a secret", () => {
    fc.assert(
      fc.property(stackPlans, (plans) => {
        const markdown = renderComment(plans, { budget: 10_000_000, digestKey }).markdown;
        for (const s of plantedSecrets(plans)) expect(markdown).not.toContain(s);
      }),
      { numRuns: 60 },
    );
  });

  it("reports summary counts equal to the counts in the input", () => {
    fc.assert(
      fc.property(stackPlans, (plans) => {
        const expected = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<string, number>;
        for (const { plan } of plans) {
          for (const rc of plan.resource_changes ?? []) {
            if (rc.mode === "data") continue;
            const a = rc.change.actions;
            if (a.length === 2) expected.replace = (expected.replace ?? 0) + 1;
            else if (["create", "update", "delete", "forget"].includes(a[0] as string)) expected[a[0] as string] = (expected[a[0] as string] ?? 0) + 1;
            if (rc.previous_address) expected.move = (expected.move ?? 0) + 1;
            if (rc.change.importing) expected.import = (expected.import ?? 0) + 1;
          }
        }
        const summary = renderComment(plans, { digestKey }).markdown.split("\n")[1] ?? "";
        const shown = Object.fromEntries([...summary.matchAll(/(\d+) to (\w+)/g)].map((m) => [m[2], Number(m[1])]));
        expect(shown).toEqual(expected);
        expect(countChanges(plans.flatMap((p) => p.plan.resource_changes ?? []))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});
