import { Testing } from "cdktf";
import { grafanaAdminSecretName } from "../../config";
import { CI_BOUNDARY_NAME } from "../../modules/ci/github-roles";
import { evaluate, type IamRequest, type NamedPolicies } from "../../policy/iam-evaluation";
import { type Statement } from "../../policy/rules/helpers";
import { AccountStack } from "../../stacks/account-stack";
import { fixtureInputsWithLockTable, fixtureSynth, policyStatements, resourcesOf, type SynthesizedStack, synthJson } from "../helpers";

// Pull-request code runs as the plan role, and the scheduled drift check as the drift role. Each
// read is evaluated against the synthesized policies (the role's own, the CI boundary) and the
// part of ReadOnlyAccess that reads values, with IAM's evaluation logic (policy/iam-evaluation.ts).
const inputs = fixtureInputsWithLockTable();
const { backend } = inputs;

// The actions of AWS's ReadOnlyAccess that read values, not configuration, as it publishes them,
// and the configuration reads a plan needs (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ReadOnlyAccess.html).
const readOnlyAccess: Statement[] = [
  {
    Effect: "Allow",
    Action: ["s3:Get*", "s3:List*", "ssm:Get*", "dynamodb:Get*", "dynamodb:BatchGet*", "dynamodb:Query", "dynamodb:Scan", "logs:Get*", "logs:FilterLogEvents", "logs:StartQuery", "rds:Download*", "sqs:Receive*", "kinesis:Get*", "ec2:Get*"],
    Resource: "*",
  },
  { Effect: "Allow", Action: ["secretsmanager:Describe*", "secretsmanager:List*", "kms:Describe*", "kms:Get*", "eks:Describe*", "ec2:Describe*", "rds:Describe*"], Resource: "*" },
];

const inline = (json: SynthesizedStack, role: string): Statement[] => policyStatements(json, json.resource.aws_iam_role_policy?.[`${role}_policy`]?.policy);
const accountJson = (accountId: string) => synthJson(new AccountStack(Testing.app(), { accountId, environments: inputs.environments.filter((e) => e.account.id === accountId), backend, project: inputs.project }));

describe.each(inputs.environments.map((env) => [env.name, env] as const))("%s's plan and drift roles", (_name, env) => {
  const json = accountJson(env.account.id);
  const boundary: NamedPolicies = { "CI boundary": policyStatements(json, resourcesOf(json, "aws_iam_policy").find((p) => p.name === CI_BOUNDARY_NAME)?.policy) };
  const { id: account, region } = env.account;
  const secret = (name: string) => `arn:aws:secretsmanager:${region}:${account}:secret:${name}-AbCdEf`;
  const grafana = secret(grafanaAdminSecretName(env));
  const viaSecretsManager = (arn: string) => ({ "kms:ViaService": `secretsmanager.${region}.amazonaws.com`, "kms:EncryptionContext:SecretARN": arn });
  const key = `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const stateKey = `arn:aws:kms:${backend.region}:${backend.accountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

  it("name, as the one secret their refresh reads, the secret the platform stack makes", () => {
    expect(resourcesOf(fixtureSynth.stack(`${env.name}-platform`), "aws_secretsmanager_secret").map((r) => r.name)).toContain(grafanaAdminSecretName(env));
  });

  describe.each(["plan", "drift"])("the %s role", (kind) => {
    const own: NamedPolicies = { [`${kind} role`]: inline(json, `github_${env.name}-${kind}`) };
    const as = (request: IamRequest) => evaluate(request, { ...own, ReadOnlyAccess: readOnlyAccess }, boundary);
    const asIfGrantedEverything = (request: IamRequest) => evaluate(request, { ...own, everything: [{ Effect: "Allow", Action: "*", Resource: "*" }] }, boundary);

    it("reads no secret value but Grafana's admin secret, which its refresh reads back, and decrypts no other", () => {
      for (const arn of [secret(`rds!db-${env.name}`), secret(`${env.name}/app/database`), secret(`${env.name}/platform/other`)]) {
        expect({ arn, ...as({ action: "secretsmanager:GetSecretValue", resource: arn }) }).toMatchObject({ decision: "ExplicitDeny", by: expect.arrayContaining([`${kind} role: DenySecretValuesButRefreshedOnes`]) });
        expect({ arn, ...asIfGrantedEverything({ action: "secretsmanager:GetSecretValue", resource: arn }) }).toMatchObject({ decision: "ExplicitDeny" });
        expect({ arn, ...asIfGrantedEverything({ action: "kms:Decrypt", resource: key, context: { "kms:ViaService": `ssm.${region}.amazonaws.com` } }) }).toMatchObject({ decision: "ExplicitDeny" });
      }
      expect(as({ action: "secretsmanager:GetSecretValue", resource: grafana }).decision).toBe("Allow");
      expect(as({ action: "kms:Decrypt", resource: key, context: viaSecretsManager(grafana) }).decision).toBe("Allow");
      expect(as({ action: "kms:Decrypt", resource: key, context: viaSecretsManager(secret(`${env.name}/app/database`)) }).decision).not.toBe("Allow");
      expect(as({ action: "secretsmanager:BatchGetSecretValue", resource: "*" }).decision).not.toBe("Allow");
      // A direct decrypt carries no kms:ViaService: denied, whatever is granted.
      expect(asIfGrantedEverything({ action: "kms:Decrypt", resource: key }).decision).toBe("ExplicitDeny");
    });

    it("reads its own state (through S3, decrypted there) and nothing else's objects, parameters, items, logs or messages", () => {
      expect(as({ action: "s3:GetObject", resource: `arn:aws:s3:::${backend.bucket}/${env.name}/network.tfstate` }).decision).toBe("Allow");
      expect(as({ action: "kms:Decrypt", resource: stateKey, context: { "kms:ViaService": `s3.${backend.region}.amazonaws.com` } }).decision).toBe("Allow");
      expect(as({ action: "dynamodb:GetItem", resource: `arn:aws:dynamodb:${backend.region}:${backend.accountId}:table/${backend.dynamodbTable}`, context: { "dynamodb:LeadingKeys": `${backend.bucket}/${env.name}/network.tfstate-md5` } }).decision).toBe("Allow");
      for (const [action, resource] of [
        ["s3:GetObject", `arn:aws:s3:::${backend.bucket}/other/network.tfstate`],
        ["s3:GetObject", `arn:aws:s3:::${backend.bucket}/bootstrap/account-${account}.tfstate`],
        ["s3:GetObjectVersion", `arn:aws:s3:::aws-waf-logs-${env.name}/AWSLogs/x`],
        ["ssm:GetParameter", `arn:aws:ssm:${region}:${account}:parameter/${env.name}/db-password`],
        ["ssm:GetParametersByPath", `arn:aws:ssm:${region}:${account}:parameter/${env.name}`],
        ["dynamodb:Scan", `arn:aws:dynamodb:${region}:${account}:table/orders`],
        ["logs:GetLogEvents", `arn:aws:logs:${region}:${account}:log-group:/aws/eks/${env.name}-platform/containers:log-stream:x`],
        ["logs:StartQuery", `arn:aws:logs:${region}:${account}:log-group:/aws/eks/${env.name}-platform/containers`],
        ["rds:DownloadDBLogFilePortion", `arn:aws:rds:${region}:${account}:db:${env.name}-postgres`],
        ["sqs:ReceiveMessage", `arn:aws:sqs:${region}:${account}:${env.name}-platform-karpenter`],
        ["ec2:GetPasswordData", `arn:aws:ec2:${region}:${account}:instance/i-0123456789abcdef0`],
      ] as const) {
        expect({ action, ...as({ action, resource }) }).toMatchObject({ decision: "ExplicitDeny" });
      }
    });

    it("still reads configuration, which is all a refresh needs, and AWS's public parameters", () => {
      for (const [action, resource] of [
        ["eks:DescribeCluster", `arn:aws:eks:${region}:${account}:cluster/${env.name}-platform`],
        ["secretsmanager:DescribeSecret", secret(`rds!db-${env.name}`)],
        ["s3:GetBucketPolicy", `arn:aws:s3:::${backend.bucket}`],
        ["ssm:GetParameters", `arn:aws:ssm:${region}::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64`],
        ["rds:DescribeDBInstances", `arn:aws:rds:${region}:${account}:db:${env.name}-postgres`],
      ] as const) {
        expect({ action, ...as({ action, resource }) }).toMatchObject({ decision: "Allow" });
      }
    });

    it("can neither take nor delete a lock, in S3 or the lock table (a running apply's lock holds)", () => {
      const lockItem = { "dynamodb:LeadingKeys": `${backend.bucket}/${env.name}/network.tfstate` };
      for (const action of ["s3:PutObject", "s3:DeleteObject"]) expect({ action, ...as({ action, resource: `arn:aws:s3:::${backend.bucket}/${env.name}/network.tfstate.tflock` }) }).not.toMatchObject({ decision: "Allow" });
      for (const action of ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"]) {
        expect({ action, ...as({ action, resource: `arn:aws:dynamodb:${backend.region}:${backend.accountId}:table/${backend.dynamodbTable}`, context: lockItem }) }).not.toMatchObject({ decision: "Allow" });
      }
    });
  });
});
