import { diffChange, renderComment, type StackPlan, statusWarning } from "../../review";

// Item 14 in the comment: secrets that the plan does not mark sensitive are masked all the same.
const digestKey = "masking-test-key";
const created = (after: unknown) => diffChange({ actions: ["create"], before: null, after }).map((l) => `${l.path} = ${l.after}`);

describe("values named secret by a sibling, or by a plural key", () => {
  it("masks env[n].value when env[n].name is DB_PASSWORD, and only that one", () => {
    expect(created({ env: [{ name: "DB_PASSWORD", value: "hunter2" }, { name: "LOG_LEVEL", value: "info" }] })).toEqual([
      'env[0].name = "DB_PASSWORD"',
      "env[0].value = (sensitive)",
      'env[1].name = "LOG_LEVEL"',
      'env[1].value = "info"',
    ]);
  });

  it("masks the value of AWS_SECRET_ACCESS_KEY", () => {
    expect(created({ env: [{ name: "AWS_SECRET_ACCESS_KEY", value: "wJalrXUtnFEMI" }] })).toContain("env[0].value = (sensitive)");
  });

  it("masks a Helm set whose dotted name ends in a secret's name", () => {
    expect(created({ set: [{ name: "auth.password", value: "pw-1" }] })).toContain("set[0].value = (sensitive)");
  });

  it("masks a key/value pair whose key names a secret", () => {
    expect(created({ parameter: [{ key: "api_token", value: "tok-1" }] })).toContain("parameter[0].value = (sensitive)");
  });

  it("masks plural keys: secrets[0], apiKeys, passwords, tokens", () => {
    expect(created({ secrets: ["s-1"], apiKeys: { a: "k-1" }, passwords: ["p-1"], tokens: "t-1" })).toEqual(["secrets = (sensitive)", "apiKeys = (sensitive)", "passwords = (sensitive)", "tokens = (sensitive)"]);
  });
});

describe("a secret used as a map key", () => {
  it("is masked in the path, and the entry still diffs as itself", () => {
    const token = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
    const lines = diffChange({ actions: ["update"], before: { users: { [token]: "alice" } }, after: { users: { [token]: "bob" } } });
    expect(lines).toEqual([{ op: "~", path: 'users["(sensitive token)"]', before: '"alice"', after: '"bob"' }]);
  });
});

describe("identifiers from the plan", () => {
  const plan = (importId: string): StackPlan => ({
    stack: "dev-app",
    plan: { format_version: "1.2", resource_changes: [{ address: "aws_secretsmanager_secret.x", type: "aws_secretsmanager_secret", change: { actions: ["no-op"], before: {}, after: {}, importing: { id: importId } } }] },
  });

  it("masks an import id that holds a secret", () => {
    const { markdown } = renderComment([plan("https://hooks.slack.com/services/T0/B0/SECRETPATH")], { digestKey });
    expect(markdown).toContain("(import id `https://hooks.slack.com/services/(sensitive)`)");
    expect(markdown).not.toContain("SECRETPATH");
  });

  it("masks a secret in a status detail (Terraform's error text)", () => {
    const warning = statusWarning([{ stack: "dev-app", status: "failed", detail: 'Error: dial "postgres://app:hunter2@db:5432": refused' }]) as string;
    expect(warning).toContain('`Error: dial "postgres://app:(sensitive)@db:5432": refused`');
    expect(warning).not.toContain("hunter2");
  });
});
