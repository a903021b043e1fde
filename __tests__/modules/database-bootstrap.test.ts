import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { DatabaseBootstrap, type DatabaseBootstrapProps } from "../../modules/database/bootstrap";
import { dbBootstrapBundle } from "../../modules/database/function-bundle";
import { policyStatements, resourcesOf, synthScope, type SynthesizedStack } from "../helpers";

const props: DatabaseBootstrapProps = {
  identifier: "test-postgres",
  vpcId: "vpc-1",
  subnetIds: ["subnet-data-a", "subnet-data-b"],
  databaseSecurityGroupId: "sg-db",
  endpointSecurityGroupId: "sg-endpoints",
  host: "test.abc.eu-west-1.rds.amazonaws.com",
  port: 5432,
  database: "app",
  users: [{ name: "orders", service: "orders" }, { name: "app", service: "app" }],
  masterSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1-AbCdEf",
  masterSecretKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/db",
  databaseReady: [],
  accountId: "123456789012",
  region: "eu-west-1",
  permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/boundaries/test-platform-boundary",
};
const text = synthScope((scope) => new DatabaseBootstrap(scope, "bootstrap", props));
const json = JSON.parse(text) as SynthesizedStack;

describe("DatabaseBootstrap", () => {
  it("is a function of the shipped bundle, in the data subnets, one run at a time, its settings and logs encrypted", () => {
    const bundle = dbBootstrapBundle();
    expect(text).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "test-postgres-bootstrap",
      runtime: "nodejs24.x",
      handler: "index.handler",
      source_code_hash: bundle.sha256,
      reserved_concurrent_executions: 1,
      kms_key_arn: "${aws_kms_key.bootstrap_key.arn}",
      vpc_config: { subnet_ids: ["subnet-data-a", "subnet-data-b"], security_group_ids: ["${aws_security_group.bootstrap_security-group.id}"] },
      environment: { variables: { DB_HOST: props.host, DB_PORT: "5432", MASTER_SECRET_ARN: props.masterSecretArn } },
      logging_config: { log_format: "JSON", log_group: "${aws_cloudwatch_log_group.bootstrap_logs.name}" },
    });
    expect(resourcesOf(json, "aws_cloudwatch_log_group")).toEqual([expect.objectContaining({ name: "/aws/lambda/test-postgres-bootstrap", kms_key_id: "${aws_kms_key.bootstrap_key.arn}", retention_in_days: 90 })]);
  });

  it("may reach the database's port and the Secrets Manager endpoint only, and the database admits it on its port only", () => {
    // Its egress is the standalone rules alone: an inline `egress = []` beside them would revoke them on every apply.
    expect(resourcesOf(json, "aws_security_group")).toHaveLength(1);
    expect(resourcesOf(json, "aws_security_group")[0]).not.toHaveProperty("egress");
    expect(resourcesOf(json, "aws_vpc_security_group_egress_rule").map((r) => [r.referenced_security_group_id, r.from_port, r.to_port])).toEqual([["sg-db", 5432, 5432], ["sg-endpoints", 443, 443]]);
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual([
      expect.objectContaining({ security_group_id: "sg-db", referenced_security_group_id: "${aws_security_group.bootstrap_security-group.id}", ip_protocol: "tcp", from_port: 5432, to_port: 5432 }),
    ]);
  });

  it("reads the master secret and nothing else, decrypting only through Secrets Manager", () => {
    const [policy] = resourcesOf(json, "aws_iam_role_policy");
    expect(policyStatements(json, policy!.policy)).toEqual([
      { Sid: "ReadTheMasterSecretOnly", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [props.masterSecretArn] },
      { Sid: "DecryptItThroughSecretsManager", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [props.masterSecretKeyArn], Condition: { StringEquals: { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com"] } } },
      { Sid: "ItsOwnSettings", Effect: "Allow", Action: ["kms:Decrypt"], Resource: ["${aws_kms_key.bootstrap_key.arn}"], Condition: { StringEquals: { "kms:ViaService": ["lambda.eu-west-1.amazonaws.com"] } } },
      { Sid: "WriteItsLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/test-postgres-bootstrap:*"] },
      { Sid: "CreateItsNetworkInterface", Effect: "Allow", Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"], Resource: ["*"] },
      { Sid: "ManageItsNetworkInterface", Effect: "Allow", Action: ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], Resource: ["arn:aws:ec2:eu-west-1:123456789012:network-interface/*"] },
    ]);
    const [role] = resourcesOf(json, "aws_iam_role");
    expect(role).toMatchObject({ name: "test-postgres-bootstrap", permissions_boundary: props.permissionsBoundaryArn });
    expect(policyStatements(json, role!.assume_role_policy)).toEqual([
      expect.objectContaining({ Principal: { Service: ["lambda.amazonaws.com"] }, Condition: { StringEquals: { "aws:SourceAccount": ["123456789012"] }, ArnLike: { "aws:SourceArn": ["arn:aws:lambda:eu-west-1:123456789012:function:test-postgres-bootstrap"] } } }),
    ]);
  });

  it("is invoked with the user list and the code's hash, so a change of either runs it again, after the database admits it and its policy exists", () => {
    const [run] = resourcesOf(json, "aws_lambda_invocation");
    expect(JSON.parse(String(run!.input))).toEqual({ database: "app", users: [{ name: "app", service: "app" }, { name: "orders", service: "orders" }], codeSha256: dbBootstrapBundle().sha256 });
    expect(run).not.toHaveProperty("lifecycle_scope");
    expect(run!.depends_on).toEqual(["aws_vpc_security_group_ingress_rule.bootstrap_database-from-bootstrap", "aws_iam_role_policy.bootstrap_role_policy"]);
  });
});
