import { stringify } from "yaml";
import { formatProblem, loadEnvironmentFile } from "../../config";
import { TEST_NOW, validEnvironmentInput } from "../helpers";

/** Formatted problem lines for an environment file with the given content. */
function problems(content: unknown): string[] {
  const text = typeof content === "string" ? content : stringify(content);
  return loadEnvironmentFile("config/test.yaml", text, TEST_NOW).problems.map(formatProblem);
}

const valid = validEnvironmentInput();

describe("environment file validation: one message per kind of bad input", () => {
  it("accepts the valid baseline", () => {
    expect(problems(valid)).toEqual([]);
  });

  it("rejects an unknown key, suggests the near match and lists the allowed keys", () => {
    expect(problems({ ...valid, network: { ...valid.network, natMod: "single" } })).toEqual([
      'config/test.yaml:13: [test] network.natMod: unknown key (did you mean "natMode"?); allowed keys here: vpcCidr, publicCidrReason, azCount, natMode, subnetPrefixLength, flowLogRetentionDays',
    ]);
  });

  it("reports a misspelt required key once, as the misspelling of the missing key", () => {
    const { natMode, ...network } = valid.network;
    expect(problems({ ...valid, network: { ...network, natMod: natMode } })).toEqual([
      'config/test.yaml:12: [test] network.natMod: unknown key (did you mean "natMode"?); network.natMode is required and missing',
    ]);
  });

  it("says a file is empty, and what it needs", () => {
    expect(problems("# nothing yet\n")).toEqual(["config/test.yaml: is empty; an environment file needs name, production, account, tags and network (copy config/dev.yaml to start)"]);
  });

  it("refuses a second YAML document in one file, at the line where it starts", () => {
    expect(problems(`${stringify(valid)}---\nname: other\n`)).toEqual(["config/test.yaml:42: holds a second YAML document (after a --- line); keep one environment per file"]);
  });

  it("points an unclosed quote at where it opens, with the lines around it", () => {
    const text = stringify(valid).replace('id: "123456789012"', 'id: "123456789012');
    expect(problems(text)).toEqual([
      [
        'config/test.yaml:4: YAML does not parse: a "-quoted string opens here and is never closed',
        "    2 | production: false",
        "    3 | account:",
        '  > 4 |   id: "123456789012',
        "      |       ^",
        "    5 |   region: eu-west-1",
        "    6 | tags:",
      ].join("\n"),
    ]);
  });

  it("requires the environment's name to match its file name", () => {
    expect(loadEnvironmentFile("config/qa.yaml", stringify({ ...valid, name: "qa2" }), TEST_NOW).problems.map(formatProblem)).toEqual([
      'config/qa.yaml:1: [qa2] name: must match the file name ("qa"): people, CI and the stack ids find an environment by it; rename the file to qa2.yaml or set name: qa (got "qa2")',
    ]);
  });

  it("refuses a VPC block outside private address space unless a reason is given", () => {
    expect(problems({ ...valid, network: { ...valid.network, vpcCidr: "11.50.0.0/16" } })).toEqual([
      'config/test.yaml:10: [test] network.vpcCidr: is not in private address space; allowed: a block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918), or set network.publicCidrReason to say why this VPC needs public space (got "11.50.0.0/16")',
    ]);
    expect(problems({ ...valid, network: { ...valid.network, vpcCidr: "11.50.0.0/16", publicCidrReason: "Acquired company's range, routed over Direct Connect." } })).toEqual([]);
  });

  it("requires a reason to lower an error rule to a warning", () => {
    expect(problems({ ...valid, policy: { severity: { "PI-RDS-004": "warning" } } })).toEqual([
      'config/test.yaml:44: [test] policy.severity.PI-RDS-004: lowers an error rule ("RDS has deletion protection") to a warning, which needs a reason a reviewer can accept: write PI-RDS-004: { severity: warning, reason: "..." } (got "warning")',
    ]);
    expect(problems({ ...valid, policy: { severity: { "PI-RDS-004": { severity: "warning", reason: "Scratch databases, rebuilt nightly from fixtures." } } } })).toEqual([]);
  });

  it("rejects a missing required field", () => {
    const { production: _omit, ...rest } = valid;
    expect(problems(rest)).toEqual(["config/test.yaml:1: [test] production: is required (boolean)"]);
  });

  it("rejects a missing required tag", () => {
    expect(problems({ ...valid, tags: { owner: "platform-team" } })).toEqual(["config/test.yaml:6: [test] tags.cost-center: is required (string)"]);
  });

  it("rejects an empty tag value", () => {
    expect(problems({ ...valid, tags: { ...valid.tags, owner: " " } })).toEqual(['config/test.yaml:7: [test] tags.owner: must not be empty (got " ")']);
  });

  it("rejects tags the project sets itself", () => {
    expect(problems({ ...valid, tags: { ...valid.tags, environment: "x" } })).toEqual([
      'config/test.yaml:9: [test] tags.environment: is set by the project on every resource; remove it (reserved: environment, managed-by, repository) (got "x")',
    ]);
  });

  it("rejects an account id that is not 12 digits", () => {
    expect(problems({ ...valid, account: { ...valid.account, id: "12345" } })).toEqual([
      'config/test.yaml:4: [test] account.id: must be exactly 12 digits, quoted (e.g. "123456789012") (got "12345")',
    ]);
  });

  it("rejects an unquoted account id (YAML reads it as a number and would drop leading zeros)", () => {
    const text = stringify(valid).replace('id: "123456789012"', "id: 012345678901");
    expect(problems(text)).toEqual([
      'config/test.yaml:4: [test] account.id: is a number, but must be a string: YAML reads the unquoted 012345678901 as the number 12345678901, dropping its leading zero; quote it: id: "012345678901" (got 12345678901)',
    ]);
    const plain = stringify(valid).replace('id: "123456789012"', "id: 123456789012");
    expect(problems(plain)).toEqual(['config/test.yaml:4: [test] account.id: is a number, but must be a string: quote it: id: "123456789012" (got 123456789012)']);
  });

  it("reports an empty required tag once", () => {
    expect(problems({ ...valid, tags: { ...valid.tags, owner: "" } })).toEqual(['config/test.yaml:7: [test] tags.owner: must not be empty (got "")']);
  });

  it("rejects an unknown region and lists the supported ones", () => {
    const [line] = problems({ ...valid, account: { ...valid.account, region: "eu-middle-9" } });
    expect(line).toMatch(/^config\/test\.yaml:5: \[test\] account\.region: allowed: "af-south-1", .*"eu-west-1".*"us-west-2" \(got "eu-middle-9"\)$/);
  });

  it("rejects a deploy role that is not an IAM role ARN", () => {
    expect(problems({ ...valid, account: { ...valid.account, deployRoleArn: "deploy" } })).toEqual([
      'config/test.yaml:6: [test] account.deployRoleArn: must be an IAM role ARN such as arn:aws:iam::123456789012:role/deploy (got "deploy")',
    ]);
  });

  it("rejects a state role that is not an IAM role ARN", () => {
    expect(problems({ ...valid, account: { ...valid.account, stateWriterArns: ["arn:aws:iam::123456789012:user/alice"] } })).toEqual([
      'config/test.yaml:7: [test] account.stateWriterArns.0: must be an IAM role ARN such as arn:aws:iam::123456789012:role/deploy (got "arn:aws:iam::123456789012:user/alice")',
    ]);
  });

  it("rejects a deploy role in another account", () => {
    const arn = "arn:aws:iam::999999999999:role/deploy";
    expect(problems({ ...valid, account: { ...valid.account, deployRoleArn: arn } })).toEqual([
      `config/test.yaml:6: [test] account.deployRoleArn: the role is in account 999999999999, but this environment deploys to 123456789012; use a role in 123456789012 (got "${arn}")`,
    ]);
  });

  it("rejects a malformed CIDR", () => {
    expect(problems({ ...valid, network: { ...valid.network, vpcCidr: "10.50.0/16" } })).toEqual([
      'config/test.yaml:10: [test] network.vpcCidr: is not an IPv4 CIDR block such as 10.20.0.0/16 (got "10.50.0/16")',
    ]);
  });

  it("rejects a CIDR with host bits set", () => {
    expect(problems({ ...valid, network: { ...valid.network, vpcCidr: "10.50.1.0/16" } })).toEqual([
      'config/test.yaml:10: [test] network.vpcCidr: has host bits set; the block starting there is 10.50.0.0/16 (got "10.50.1.0/16")',
    ]);
  });

  it.each([
    ["10.0.0.0/8", 8],
    ["10.50.0.0/26", 26],
  ])("rejects a VPC CIDR outside /16–/24 (%s)", (cidr, prefix) => {
    expect(problems({ ...valid, network: { ...valid.network, vpcCidr: cidr } })).toEqual([
      `config/test.yaml:10: [test] network.vpcCidr: prefix /${prefix} is outside the allowed /16–/24 (got "${cidr}")`,
    ]);
  });

  it("rejects fewer than two AZs", () => {
    expect(problems({ ...valid, network: { ...valid.network, azCount: 1 } })).toEqual([
      "config/test.yaml:11: [test] network.azCount: must be at least 2: EKS and Multi-AZ RDS need subnets in two zones (got 1)",
    ]);
  });

  it("rejects more AZs than the region has", () => {
    expect(problems({ ...valid, network: { ...valid.network, azCount: 4 } })).toEqual([
      "config/test.yaml:11: [test] network.azCount: eu-west-1 has 3 usable zones (eu-west-1a, eu-west-1b, eu-west-1c); allowed: 2–3 (got 4)",
    ]);
  });

  it("rejects an unknown NAT mode", () => {
    expect(problems({ ...valid, network: { ...valid.network, natMode: "none" } })).toEqual([
      'config/test.yaml:12: [test] network.natMode: allowed: "single", "per-az" (got "none")',
    ]);
  });

  it("rejects a single NAT gateway in a production environment", () => {
    expect(problems({ ...valid, production: true, network: { ...valid.network, natMode: "single" } })).toEqual([
      'config/test.yaml:12: [test] network.natMode: a production environment needs a NAT gateway per zone, so one zone failing cannot cut egress for all; allowed: "per-az" (got "single")',
    ]);
  });

  it("rejects subnets that do not fit in the VPC CIDR", () => {
    const network = { ...valid.network, vpcCidr: "10.50.0.0/20", subnetPrefixLength: { public: 24, private: 20, data: 24 } };
    expect(problems({ ...valid, network })).toEqual([
      "config/test.yaml:13: [test] network.subnetPrefixLength: subnets do not fit in 10.50.0.0/20: 6 × /24 public + 6 × /20 private + 6 × /24 data " +
        "(every tier reserves 6 zone slots, so adding a zone never renumbers a subnet) needs 27648 addresses, the VPC has 4096; use longer prefixes or a larger VPC " +
        '(got {"public":24,"private":20,"data":24})',
    ]);
  });

  it("counts the control-plane tier's six slots when checking that the subnets fit", () => {
    const network = { ...valid.network, vpcCidr: "10.50.0.0/17" };
    expect(problems({ ...valid, network: { ...network, subnetPrefixLength: { public: 24, private: 20, data: 24, controlPlane: 28 } } })).toEqual([]);
    expect(problems({ ...valid, network: { ...network, subnetPrefixLength: { public: 24, private: 20, data: 24, controlPlane: 22 } } })).toEqual([
      "config/test.yaml:13: [test] network.subnetPrefixLength: subnets do not fit in 10.50.0.0/17: 6 × /24 public + 6 × /20 private + 6 × /24 data + 6 × /22 controlPlane " +
        "(every tier reserves 6 zone slots, so adding a zone never renumbers a subnet) needs 33792 addresses, the VPC has 32768; use longer prefixes or a larger VPC " +
        '(got {"public":24,"private":20,"data":24,"controlPlane":22})',
    ]);
  });

  it("rejects a control-plane prefix AWS does not allow, saying what EKS needs of the tier", () => {
    const network = { ...valid.network, subnetPrefixLength: { public: 24, private: 20, data: 24, controlPlane: 29 } };
    expect(problems({ ...valid, network })).toEqual([
      "config/test.yaml:17: [test] network.subnetPrefixLength.controlPlane: must be between 16 and 28 (AWS subnet sizes; a /28 leaves 11 free addresses, above the 6 EKS needs in each cluster subnet) (got 29)",
    ]);
  });

  it("rejects a subnet prefix AWS does not allow", () => {
    const network = { ...valid.network, subnetPrefixLength: { public: 29, private: 20, data: 24 } };
    expect(problems({ ...valid, network })).toEqual(["config/test.yaml:14: [test] network.subnetPrefixLength.public: must be between 16 and 28 (AWS subnet sizes) (got 29)"]);
  });

  it("rejects a flow-log retention CloudWatch does not offer", () => {
    const [line] = problems({ ...valid, network: { ...valid.network, flowLogRetentionDays: 10 } });
    expect(line).toBe(
      "config/test.yaml:13: [test] network.flowLogRetentionDays: allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 10)",
    );
  });

  it("rejects an environment name that cannot be part of stack ids", () => {
    expect(problems({ ...valid, name: "Prod_EU" })).toEqual([
      'config/test.yaml:1: [Prod_EU] name: must be 2–10 lowercase letters or digits, starting with a letter (got "Prod_EU")',
    ]);
  });

  it("rejects a severity override for a rule that does not exist", () => {
    expect(problems({ ...valid, policy: { severity: { "PI-NOPE-001": "error" } } })).toEqual([
      'config/test.yaml:44: [test] policy.severity.PI-NOPE-001: names no rule of the policy pack; see docs/policy-rules.md for the rule ids (got "error")',
    ]);
    expect(problems({ ...valid, policy: { severity: { "PI-RDS-03": "error" } } })).toEqual(['config/test.yaml:44: [test] policy.severity.PI-RDS-03: must be a rule id such as PI-RDS-003 (got "PI-RDS-03")']);
    expect(problems({ ...valid, policy: { severity: { "PI-RSD-003": "error" } } })).toEqual([
      'config/test.yaml:44: [test] policy.severity.PI-RSD-003: names no rule of the policy pack (did you mean "PI-MSK-003" or "PI-RDS-003" or "PI-S3-003"?); see docs/policy-rules.md for the rule ids (got "error")',
    ]);
  });

  it("rejects switching a rule off: only error and warning exist", () => {
    expect(problems({ ...valid, policy: { severity: { "PI-RDS-003": "off" } } })).toEqual([
      'config/test.yaml:44: [test] policy.severity.PI-RDS-003: allowed: "error", "warning", or { severity: warning, reason: "..." }; rules are never switched off (got "off")',
    ]);
  });

  it("reports YAML that does not parse, with its line number", () => {
    // The indented line turns line 2 into a broken multi-line key: YAML reports it there.
    const lines = problems("name: test\nproduction: false\n  region: eu-west-1\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^config\/test\.yaml:2: YAML does not parse: /);
  });

  it("reports a key given twice", () => {
    expect(problems("name: test\nname: other\n")).toEqual([expect.stringMatching(/^config\/test\.yaml:2: YAML does not parse: Map keys must be unique/)]);
  });

  it("reports every problem of a file at once, not just the first", () => {
    const result = problems({ ...valid, account: { id: "1", region: "nowhere" } });
    expect(result).toHaveLength(2);
  });
});
