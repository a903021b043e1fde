import path from "node:path";
import { ConfigError, loadBackendSettings, parseBackendConfig } from "../../config";
import { FIXTURE, ROOT } from "../helpers";

const VALID = `bucket = "acme-tfstate"
region = "eu-west-1"
dynamodb_table = "acme-tflock"
encrypt = true
kms_key_id = "arn:aws:kms:eu-west-1:123456789012:alias/tfstate"
`;

function errors(text: string): string[] {
  try {
    parseBackendConfig("backend.config", text);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split("\n");
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("backend.config", () => {
  it("parses a whole file, comments and all (the fixture's)", () => {
    expect(loadBackendSettings(path.join(FIXTURE, "backend.config"))).toEqual({
      bucket: "fixture-org-tfstate-909090909090-eu-west-1",
      region: "eu-west-1",
      accountId: "909090909090",
      dynamodbTable: undefined,
      useLockfile: true,
      kmsKeyId: "arn:aws:kms:eu-west-1:909090909090:alias/tfstate",
      kmsAliasName: "alias/tfstate",
    });
  });

  it("takes comments and defaults use_lockfile to false", () => {
    const settings = parseBackendConfig("backend.config", `# state\n${VALID}// more\n`);
    expect(settings.useLockfile).toBe(false);
    expect(settings.kmsAliasName).toBe("alias/tfstate");
  });

  it("accepts S3-native locking alone", () => {
    const settings = parseBackendConfig("backend.config", VALID.replace('dynamodb_table = "acme-tflock"\n', "use_lockfile = true\n"));
    expect(settings).toMatchObject({ useLockfile: true, dynamodbTable: undefined });
  });

  it("rejects state without any locking", () => {
    expect(errors(VALID.replace('dynamodb_table = "acme-tflock"\n', ""))).toEqual([
      "backend.config: use_lockfile: set dynamodb_table, use_lockfile = true, or both: state must be locked",
    ]);
  });

  it("rejects an unknown key", () => {
    expect(errors(`${VALID}profile = "admin"\n`)).toEqual([
      "backend.config:6: profile: unknown key; allowed keys: bucket, region, dynamodb_table, encrypt, kms_key_id, use_lockfile",
    ]);
  });

  it("rejects a line that is not key = value", () => {
    expect(errors(`${VALID}bucket "x"\n`)).toEqual(['backend.config:6: expected key = "string" or key = true|false (got "bucket \\"x\\"")']);
  });

  it("rejects encrypt = false", () => {
    expect(errors(VALID.replace("encrypt = true", "encrypt = false"))).toEqual(["backend.config:4: encrypt: must be true: state holds secrets (got false)"]);
  });

  it("rejects a missing bucket", () => {
    expect(errors(VALID.replace('bucket = "acme-tfstate"\n', ""))).toEqual(["backend.config: bucket: is required"]);
  });

  it("rejects a KMS key id that is not an alias ARN", () => {
    const [line] = errors(VALID.replace("alias/tfstate", "key/1234abcd-12ab-34cd-56ef-1234567890ab"));
    expect(line).toMatch(/^backend\.config:5: kms_key_id: must be a KMS alias ARN \(arn:aws:kms:<region>:<account>:alias\/<name>\): the state-backend stack creates that alias/);
  });

  it("rejects a KMS key in another region than the bucket", () => {
    expect(errors(VALID.replace("kms:eu-west-1", "kms:us-east-1"))).toEqual([
      'backend.config:5: kms_key_id: is in us-east-1, but the bucket is in eu-west-1; the key must be in the bucket\'s region (got "arn:aws:kms:us-east-1:123456789012:alias/tfstate")',
    ]);
  });

  it("rejects an unknown region", () => {
    expect(errors(VALID.replace('region = "eu-west-1"', 'region = "eu-west-9"'))).toEqual(['backend.config:2: region: must be a supported AWS region (got "eu-west-9")']);
  });

  it("rejects an invalid bucket name", () => {
    expect(errors(VALID.replace("acme-tfstate", "Acme_State"))).toEqual([
      'backend.config:1: bucket: must be a valid S3 bucket name (3–63 lowercase letters, digits, dots, hyphens) (got "Acme_State")',
    ]);
  });

  it("reports a missing file", () => {
    expect(() => loadBackendSettings(path.join(ROOT, "nope.config"))).toThrow("nope.config: not found; it holds the remote-state settings");
  });
});
