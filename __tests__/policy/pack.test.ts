import { readFileSync } from "node:fs";
import path from "node:path";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ALL_RULES, buildReport, errorBlocks, PolicyPack, reportMarkdown, ruleCatalogue, suppress, UNUSED_SUPPRESSION } from "../../policy";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { PolicyDocument } from "../../modules/iam/policy-document";
import { SECRET_KEY } from "../../policy/secrets";
import { SECRET_KEY as REVIEW_SECRET_KEY } from "../../review/values";
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

  it("prints one block per finding for the terminal, wrapped so that the fix is never cut off", () => {
    const finding = { ...report.stacks.flatMap((s) => s.findings)[0]!, fix: `${"Rotate the key yearly. ".repeat(6)}End of fix.` };
    const lines = errorBlocks([finding], 80).split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "✖ [PI-KMS-001] KMS keys rotate automatically",
      "    stack:     test",
      expect.stringMatching(/^ {4}address: {3}aws_kms_key\.group_inner_key_\w+$/),
      "    construct: test/group/inner/key",
      "    problem:   enable_key_rotation is not true",
    ]);
    expect(lines.slice(5).every((line) => line.length <= 80)).toBe(true);
    expect(lines.slice(5).join(" ").replace(/\s+/g, " ")).toBe(` fix: ${finding.fix}`.replace(/\s+/g, " "));
  });
});

describe("docs/policy-rules.md", () => {
  it("is generated from the rule definitions (run `npm run policy-docs` when this fails)", () => {
    expect(readFileSync(path.join(ROOT, "docs", "policy-rules.md"), "utf8")).toBe(ruleCatalogue(ALL_RULES));
  });
});

describe("policies held in aws_iam_policy_document data sources", () => {
  it("are read back and checked like literal JSON policies", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "docs");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const document = new PolicyDocument(stack, "admin", { statements: [{ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" }] });
    new IamPolicy(stack, "policy", { name: "admin", policy: document.json });
    const [report] = pack().checkApp(app);
    expect(report?.findings.map((f) => [f.ruleId, f.detail])).toContainEqual(["PI-IAM-001", 'statement Everything allows "*" or uses NotAction']);
  });
});

describe("one definition of a secret's name", () => {
  it("catches a literal secret_string (Secrets Manager) as PI-SEC-001", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "secrets");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new SecretsmanagerSecretVersion(stack, "version", { secretId: "s", secretString: "hunter2" });
    const [report] = pack().checkApp(app);
    expect(report?.findings.map((f) => [f.ruleId, f.detail])).toContainEqual(["PI-SEC-001", "literal value in secret_string"]);
  });

  it("is the one the plan comment masks with", () => {
    expect(REVIEW_SECRET_KEY).toBe(SECRET_KEY);
  });
});
