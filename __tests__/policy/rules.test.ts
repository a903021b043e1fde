import { ALL_RULES, inspectedBy, stackView, type Rule } from "../../policy";
import { FIXTURES } from "./fixtures";

/** What a rule reports over every block it inspects in a stack's JSON. */
function run(rule: Rule, tf: Record<string, unknown>): string[] {
  const view = stackView("test", tf);
  const blocks = inspectedBy(rule, view);
  if (blocks.length === 0) throw new Error(`${rule.id}: the fixture has no ${rule.types.join("/")} to inspect`);
  return blocks.flatMap((b) => rule.check(b, view) ?? []);
}

describe("the rule catalogue", () => {
  it("has at least 30 rules with unique, well-formed ids", () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^PI-[A-Z0-9]+-\d{3}$/);
  });

  it("documents every rule: title, rationale and fix", () => {
    for (const r of ALL_RULES) {
      expect([r.id, r.title.length > 10, r.rationale.length > 20, r.fix.length > 10]).toEqual([r.id, true, true, true]);
    }
  });

  it("has a firing and a quiet fixture for every rule", () => {
    expect(ALL_RULES.map((r) => r.id).filter((id) => !FIXTURES[id])).toEqual([]);
  });
});

describe.each(ALL_RULES.map((rule) => [rule.id, rule] as const))("%s", (id, rule) => {
  const fixture = FIXTURES[id];
  const maybe = fixture ? it : it.skip;

  maybe("fires on the bad configuration", () => {
    expect(run(rule, fixture!.bad).length).toBeGreaterThan(0);
  });

  maybe("stays quiet on the good configuration", () => {
    expect(run(rule, fixture!.good)).toEqual([]);
  });
});

describe("PI-IAM-002 and permissions boundaries", () => {
  const rule = ALL_RULES.find((r) => r.id === "PI-IAM-002") as Rule;
  const boundary = { Effect: "Allow", Action: ["ec2:*", "logs:*"], Resource: "*" };
  const tf = (boundaryRef?: string) => ({
    resource: {
      aws_iam_policy: { b: { name: "env-boundary", policy: JSON.stringify({ Version: "2012-10-17", Statement: [boundary] }) } },
      aws_iam_role: { r: { assume_role_policy: "{}", ...(boundaryRef ? { permissions_boundary: boundaryRef } : {}) } },
    },
  });

  it("exempts a policy used as a permissions boundary (a ceiling grants nothing)", () => {
    expect(run(rule, tf("${aws_iam_policy.b.arn}"))).toEqual([]);
    expect(run(rule, tf("arn:aws:iam::123456789012:policy/env-boundary"))).toEqual([]);
  });

  it("still flags the same document attached as a grant", () => {
    expect(run(rule, tf())).toEqual(['write actions on "*" without a condition: ec2:*, logs:*']);
  });
});

describe("Aurora instances", () => {
  const instance = (attrs: Record<string, unknown>) => ({
    resource: {
      aws_rds_cluster_instance: {
        i: { publicly_accessible: false, performance_insights_enabled: true, performance_insights_kms_key_id: "arn:k", monitoring_interval: 60, monitoring_role_arn: "arn:r", ...attrs },
      },
    },
  });
  const rule = (id: string) => ALL_RULES.find((r) => r.id === id)!;

  it.each([
    ["PI-RDS-002", { publicly_accessible: true }],
    ["PI-RDS-007", { performance_insights_enabled: false }],
    ["PI-RDS-008", { monitoring_interval: 0 }],
  ])("are held to %s like RDS instances", (id, bad) => {
    expect(run(rule(id), instance(bad)).length).toBeGreaterThan(0);
    expect(run(rule(id), instance({}))).toEqual([]);
  });
});
