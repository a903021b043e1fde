import { readFileSync } from "node:fs";
import path from "node:path";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ALL_RULES, buildReport, errorTable, PolicyPack, reportMarkdown, ruleCatalogue, suppress, UNUSED_SUPPRESSION } from "../../policy";
import { ROOT } from "../helpers";

/** A stack with one key that breaks PI-KMS-001 (no rotation), nested two constructs deep. */
function stackWithBadKey(id = "test") {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const group = new Construct(stack, "group");
  const inner = new Construct(group, "inner");
  new KmsKey(inner, "key", { enableKeyRotation: false });
  return { app, stack, group, inner };
}

const pack = () => new PolicyPack({ rules: ALL_RULES });

describe("PolicyPack", () => {
  it("reports a finding with stack, construct path, Terraform address, rule and fix", () => {
    const { app } = stackWithBadKey();
    const [report] = pack().checkApp(app);
    expect(report?.findings).toEqual([
      expect.objectContaining({
        ruleId: "PI-KMS-001",
        severity: "error",
        stack: "test",
        path: "test/group/inner/key",
        address: expect.stringMatching(/^aws_kms_key\.group_inner_key_/),
        detail: "enable_key_rotation is not true",
        fix: "Set enable_key_rotation = true.",
      }),
    ]);
    expect(report?.rulesChecked).toContain("PI-KMS-001");
    expect(report?.rulesChecked).not.toContain("PI-S3-001");
  });

  it("works as a cdktf Aspect: errors are annotations that stop synthesis", () => {
    const { app } = stackWithBadKey();
    pack().attachTo(app);
    expect(() => app.synth()).toThrow(/\[PI-KMS-001\] KMS keys rotate automatically/);
  });

  it("evaluates each stack once, however often it is visited", () => {
    const { app, stack } = stackWithBadKey();
    const p = pack();
    p.visit(stack);
    expect(p.checkApp(app)[0]?.findings).toHaveLength(1);
  });

  it("applies a suppression to the construct and everything beneath it, and reports it", () => {
    const { app, group } = stackWithBadKey();
    suppress(group, "PI-KMS-001", "Short-lived test key, destroyed with the test account.");
    const [report] = pack().checkApp(app);
    expect(report?.findings[0]?.suppressedBy).toEqual({ path: "test/group", reason: "Short-lived test key, destroyed with the test account." });
    expect(report?.suppressions).toEqual([expect.objectContaining({ ruleId: "PI-KMS-001", path: "test/group", matched: 1 })]);
    expect(buildReport(ALL_RULES, [report!]).status).toBe("passed");
  });

  it("warns about a suppression that matches nothing", () => {
    const { app, inner } = stackWithBadKey();
    suppress(inner, "PI-S3-001", "There is no bucket here at all, so this is stale.");
    const findings = pack().checkApp(app)[0]?.findings ?? [];
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: UNUSED_SUPPRESSION, severity: "warning", path: "test/group/inner" }));
  });

  it("warns about a suppression naming a rule that does not exist", () => {
    const { app, inner } = stackWithBadKey();
    suppress(inner, "PI-XYZ-999", "Typo in the rule id of this suppression.");
    const unused = (pack().checkApp(app)[0]?.findings ?? []).find((f) => f.ruleId === UNUSED_SUPPRESSION);
    expect(unused?.detail).toMatch(/PI-XYZ-999 is not a rule of this pack/);
  });

  it("requires a reason for every suppression", () => {
    const { inner } = stackWithBadKey();
    expect(() => suppress(inner, "PI-KMS-001", "  ")).toThrow(/a reason a reviewer can accept is required/);
    expect(() => suppress(inner, "kms rotation", "A perfectly good reason here.")).toThrow(/is not a rule id/);
  });

  it("applies per-stack severity overrides", () => {
    const { app } = stackWithBadKey("lab");
    const relaxed = new PolicyPack({ rules: ALL_RULES, severityOverrides: (s) => (s.node.id === "lab" ? { "PI-KMS-001": "warning" } : undefined) });
    const [report] = relaxed.checkApp(app);
    expect(report?.findings[0]?.severity).toBe("warning");
    expect(buildReport(ALL_RULES, [report!])).toMatchObject({ status: "passed", counts: { errors: 0, warnings: 1 } });
  });

  it("rejects two rules with the same id", () => {
    expect(() => new PolicyPack({ rules: [ALL_RULES[0]!, ALL_RULES[0]!] })).toThrow(/defined twice/);
  });
});

describe("reports", () => {
  const { app } = stackWithBadKey();
  const report = buildReport(ALL_RULES, pack().checkApp(app));

  it("counts findings and fails on errors", () => {
    expect(report).toMatchObject({ status: "failed", counts: { errors: 1, warnings: 0, suppressed: 0 } });
    expect(report.rules).toHaveLength(ALL_RULES.length);
  });

  it("renders Markdown for a PR comment", () => {
    const md = reportMarkdown(report);
    expect(md).toMatch(/^## ❌ Policy pack: 1 error\(s\), 0 warning\(s\), 0 suppressed/);
    expect(md).toContain("| error | `test` | `aws_kms_key.group_inner_key_");
    expect(md).toContain("PI-KMS-001 KMS keys rotate automatically | enable_key_rotation is not true | Set enable_key_rotation = true. |");
  });

  it("prints a terminal table with stack, path, address, rule, title and fix", () => {
    const [header, , row] = errorTable(report.stacks.flatMap((s) => s.findings)).split("\n");
    expect(header).toMatch(/^stack\s+│ construct path\s+│ Terraform address\s+│ rule\s+│ title\s+│ fix$/);
    expect(row).toMatch(/^test\s+│ test\/group\/inner\/key\s+│ aws_kms_key\.group_inner_key_\w+\s+│ PI-KMS-001 │ KMS keys rotate/);
  });
});

describe("docs/policy-rules.md", () => {
  it("is generated from the rule definitions (run `npm run policy-docs` when this fails)", () => {
    expect(readFileSync(path.join(ROOT, "docs", "policy-rules.md"), "utf8")).toBe(ruleCatalogue(ALL_RULES));
  });
});
