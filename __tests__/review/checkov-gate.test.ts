import { readFileSync } from "node:fs";
import path from "node:path";
import { checkovFailures, gate, gateReport, readAccepted, stackOfPath } from "../../review/checkov-gate";
import { ROOT } from "../helpers";

// Checkov's JSON output (`-o json`): one report per framework, or a list of them.
const report = (checkType: string, failed: Array<{ check_id: string; file_path: string; resource: string }>) => ({
  check_type: checkType,
  results: { passed_checks: [], failed_checks: failed.map((f) => ({ ...f, check_name: `name of ${f.check_id}`, check_result: { result: "FAILED" } })), skipped_checks: [], parsing_errors: [] },
  summary: { passed: 0, failed: failed.length, skipped: 0, parsing_errors: 0 },
});
const output = [
  report("terraform_json", [
    { check_id: "CKV_AWS_111", file_path: "/dev-iam/cdk.tf.json", resource: "aws_iam_role_policy.karpenter_policy" },
    { check_id: "CKV_AWS_111", file_path: "/prod-iam/cdk.tf.json", resource: "aws_iam_role_policy.karpenter_policy" },
  ]),
  report("terraform_plan", [{ check_id: "CKV2_AWS_30", file_path: "/dev-database.json", resource: "aws_db_instance.postgres_instance" }]),
];

describe("the Checkov gate", () => {
  it("reads the failures of every framework's report, each with its stack", () => {
    expect(stackOfPath("/dev-iam/cdk.tf.json")).toBe("dev-iam");
    expect(stackOfPath("/dev-database.json")).toBe("dev-database");
    expect(checkovFailures(output).map((f) => `${f.check} ${f.stack} ${f.resource}`)).toEqual([
      "CKV_AWS_111 dev-iam aws_iam_role_policy.karpenter_policy",
      "CKV_AWS_111 prod-iam aws_iam_role_policy.karpenter_policy",
      "CKV2_AWS_30 dev-database aws_db_instance.postgres_instance",
    ]);
    expect(checkovFailures(output[0])).toHaveLength(2);
  });

  it("passes only when every failure is accepted and every accepted entry still fails", () => {
    const accepted = [
      { check: "CKV_AWS_111", stack: "*-iam", resource: "aws_iam_role_policy.karpenter_policy", reason: "Karpenter's upstream policy (modules/iam/policies/karpenter.ts)" },
      { check: "CKV2_AWS_30", stack: "*-database", resource: "aws_db_instance.postgres_instance", reason: "pgaudit instead of log_statement (PI-RDS-012)" },
    ];
    expect(gate(checkovFailures(output), accepted)).toEqual({ failures: 3, unaccepted: [], stale: [] });
    const partial = gate(checkovFailures(output), [accepted[0]!, { ...accepted[1]!, check: "CKV_AWS_16" }]);
    expect(partial.unaccepted.map((f) => f.check)).toEqual(["CKV2_AWS_30"]);
    expect(partial.stale.map((a) => a.check)).toEqual(["CKV_AWS_16"]);
    expect(gateReport(partial, "checkov-accepted.yaml")).toContain('  - { check: CKV2_AWS_30, stack: dev-database, resource: aws_db_instance.postgres_instance, reason: "<why>" }  # name of CKV2_AWS_30');
  });

  it("refuses an accepted entry without its reason", () => {
    expect(() => readAccepted("accepted:\n  - { check: CKV_AWS_1, stack: dev-iam, resource: aws_x.y }\n", "list.yaml")).toThrow(
      "list.yaml: accepted[0] lacks reason: every accepted failure names its check, stack, resource and the reason a reviewer accepts it",
    );
    expect(() => readAccepted("nothing: here\n", "list.yaml")).toThrow('list.yaml: expected "accepted:" with a list of { check, stack, resource, reason }');
  });

  it("reads the committed list", () => {
    expect(readAccepted(readFileSync(path.join(ROOT, "checkov-accepted.yaml"), "utf8"), "checkov-accepted.yaml")).toEqual(expect.any(Array));
  });
});
