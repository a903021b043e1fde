import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Testing } from "cdktf";
import { StateBackendStack } from "../../stacks/state-backend-stack";
import { fixtureInputsWithLockTable, policyStatements, resourcesOf, synthJson } from "../helpers";

const { backend, project } = fixtureInputsWithLockTable();
const stackWith = (overrides: Partial<typeof project> = {}, backendOverrides: Partial<typeof backend> = {}) =>
  new StateBackendStack(Testing.app(), { backend: { ...backend, ...backendOverrides }, project: { ...project, ...overrides } });

describe("state-backend", () => {
  const stack = stackWith();
  const text = Testing.synth(stack);

  it("creates the bucket, lock table and KMS alias that backend.config names, all protected", () => {
    expect(stack.node.id).toBe("state-backend");
    expect(text).toHaveResourceWithProperties(S3Bucket, { bucket: backend.bucket, lifecycle: { prevent_destroy: true } });
    expect(text).toHaveResourceWithProperties(DynamodbTable, { name: backend.dynamodbTable, lifecycle: { prevent_destroy: true } });
    expect(text).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(text).toHaveResourceWithProperties(KmsAlias, { name: "alias/tfstate" });
  });

  it("deploys only to the state account and region", () => {
    expect(synthJson(stack).provider.aws?.[0]).toMatchObject({ region: backend.region, allowed_account_ids: [backend.accountId] });
  });

  it("keeps its own state locally until it is migrated, at a path that is the same on every machine", () => {
    expect(synthJson(stack).terraform.backend).toEqual({ local: { path: "../../../terraform.state-backend.tfstate" } });
  });

  it("keeps its own state in the bucket once stateBackendStorage is s3", () => {
    expect(synthJson(stackWith({ stateBackendStorage: "s3" })).terraform.backend.s3).toMatchObject({ bucket: backend.bucket, key: "state-backend/terraform.tfstate" });
  });

  it("lets the environments' state roles use the key only through S3 and DynamoDB", () => {
    const roles = ["arn:aws:iam::111111111111:role/plan", "arn:aws:iam::222222222222:role/plan"];
    const withAccess = new StateBackendStack(Testing.app(), { backend, project, access: [{ prefix: "dev/", readers: [roles[0]!] }, { prefix: "stage/", writers: [roles[1]!] }] });
    const json = synthJson(withAccess);
    const key = json.resource.aws_kms_key?.key as { policy: string };
    expect(policyStatements(json, key.policy)[1]).toEqual({
      Sid: "StateRolesThroughS3AndDynamoDB",
      Effect: "Allow",
      Principal: { AWS: roles },
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: ["*"],
      Condition: { StringEquals: { "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "dynamodb.eu-west-1.amazonaws.com"] } },
    });
  });

  it("records who reads or writes state: a trail of the state bucket's object events, into an encrypted, validated, delete-denied bucket", () => {
    const json = synthJson(new StateBackendStack(Testing.app(), { backend, project }));
    const trail = resourcesOf(json, "aws_cloudtrail")[0]!;
    expect(trail).toMatchObject({ name: "terraform-state-access", enable_log_file_validation: true, kms_key_id: "${aws_kms_key.access-trail_key.arn}", is_multi_region_trail: false });
    expect(trail.advanced_event_selector).toEqual([
      {
        name: "Reads and writes of Terraform state",
        field_selector: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
          { field: "resources.ARN", starts_with: [`arn:aws:s3:::${backend.bucket}/`] },
        ],
      },
    ]);
    expect(resourcesOf(json, "aws_s3_bucket").map((b) => b.bucket).sort()).toEqual([backend.bucket, `${backend.bucket}-access-log`].sort());
    const logPolicy = policyStatements(json, (json.resource.aws_s3_bucket_policy?.["access-trail_policy"] as { policy: string }).policy);
    expect(logPolicy.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "DenyDeletingRecords", "CloudTrailChecksTheBucket", "CloudTrailWritesThisTrailsFiles"]);
  });

  it("has no lock table when only S3-native locking is used", () => {
    expect(Testing.synth(stackWith({}, { dynamodbTable: undefined }))).not.toHaveResource(DynamodbTable);
  });

  describe("an account stack's operator, on its one state key", () => {
    const operator = "arn:aws:iam::101010101010:role/platform-deploy";
    const stateKey = "bootstrap/account-101010101010.tfstate";
    const json = synthJson(new StateBackendStack(Testing.app(), { backend, project, keyAccess: [{ key: stateKey, writers: [operator] }, { key: "bootstrap/account-202020202020.tfstate", writers: [] }] }));
    const policy = (address: string, type: string) => policyStatements(json, (json.resource[type]?.[address] as { policy: string }).policy);

    it("lists, reads and writes that key and its lock, as the S3 backend's documentation lists, and deletes only the lock", () => {
      const bucketArn = "${aws_s3_bucket.bucket.arn}";
      const writers = { AWS: [operator] };
      expect(policy("bucket_policy", "aws_s3_bucket_policy").filter((s) => s.Sid?.includes("Bootstrap"))).toEqual([
        { Sid: "ListBootstrapAccount101010101010State", Effect: "Allow", Principal: writers, Action: ["s3:ListBucket"], Resource: [bucketArn], Condition: { StringEquals: { "s3:prefix": [stateKey] } } },
        { Sid: "ReadWriteBootstrapAccount101010101010State", Effect: "Allow", Principal: writers, Action: ["s3:GetObject", "s3:PutObject"], Resource: [`${bucketArn}/${stateKey}`] },
        { Sid: "LockBootstrapAccount101010101010State", Effect: "Allow", Principal: writers, Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: [`${bucketArn}/${stateKey}.tflock`] },
      ]);
    });

    it("takes only that key's lock and digest items in the lock table, and uses the key only through S3 and DynamoDB", () => {
      expect(policy("lock-table_policy", "aws_dynamodb_resource_policy").find((s) => s.Sid === "LockBootstrapAccount101010101010State")?.Condition).toEqual({
        "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [`${backend.bucket}/${stateKey}`, `${backend.bucket}/${stateKey}-md5`] },
      });
      expect(policy("key", "aws_kms_key").find((s) => s.Sid === "StateRolesThroughS3AndDynamoDB")?.Principal).toEqual({ AWS: [operator] });
    });
  });

  describe("a retired lock table", () => {
    const retired = { retiredLockTable: "fixture-org-tfstate-lock" };

    it("is forgotten, never destroyed, once backend.config no longer names it", () => {
      const json = synthJson(stackWith(retired, { dynamodbTable: undefined })) as unknown as { removed: unknown };
      expect(json.removed).toEqual([
        { from: "aws_dynamodb_table.lock-table", lifecycle: { destroy: false } },
        { from: "aws_dynamodb_resource_policy.lock-table_policy", lifecycle: { destroy: false } },
      ]);
    });

    it("is refused while backend.config still locks with a table", () => {
      expect(() => stackWith(retired)).toThrow(
        `cdktf.json: context.retiredLockTable: retires a lock table while backend.config still locks with "${backend.dynamodbTable}"; drop dynamodb_table from backend.config first (README, "Moving to S3-native locking") (got "fixture-org-tfstate-lock")`,
      );
    });
  });
});
