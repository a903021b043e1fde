import { spawnSync } from "node:child_process";
import path from "node:path";
import { isSecretName, lineMasker, maskSecretShapes } from "../../policy/secrets";
import { ROOT } from "../helpers";

// Item 14: every secret shape is masked, in plan values, in the comment and in logs. The secrets
// below are made up, in the documented formats.
const PEM = ["-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEAq7BFUpkGp3+LQmlQ", "-----END RSA PRIVATE KEY-----"];
const PGP = ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "", "lQOYBGZ7f2gBCADP9kLx1y2mQ", "=Ab3D", "-----END PGP PRIVATE KEY BLOCK-----"];
const OPENSSH = ["-----BEGIN OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU", "-----END OPENSSH PRIVATE KEY-----"];

/** [shape, text holding a secret, the text masked, the secret]. One test each. */
const SHAPES: ReadonlyArray<readonly [string, string, string, string]> = [
  ["a PEM private key", `key: ${PEM.join("\n")} end`, "key: (sensitive private key) end", "MIIEowIBAAKCAQEAq7BFUpkGp3"],
  ["a PGP private key block", `k=${PGP.join("\n")}`, "k=(sensitive private key)", "lQOYBGZ7f2gBCADP9kLx1y2mQ"],
  ["an OpenSSH private key", OPENSSH.join("\n"), "(sensitive private key)", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU"],
  ["a private key cut off before its END line", "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBs3cr3t", "(sensitive private key)", "MHcCAQEEIBs3cr3t"],
  ["a URL's user and password", "postgres://app:hunter2@db.internal:5432/app", "postgres://app:(sensitive)@db.internal:5432/app", "hunter2"],
  ["a URL's password without a user", "redis://:Redis-Pw-1@cache.internal:6379/0", "redis://:(sensitive)@cache.internal:6379/0", "Redis-Pw-1"],
  ["a password query parameter", "https://api.example.com/x?user=app&password=Qu3ry-Pw", "https://api.example.com/x?user=app&password=(sensitive)", "Qu3ry-Pw"],
  ["a token query parameter", "wss://events.example.com/?channel=a&token=tok-123456", "wss://events.example.com/?channel=a&token=(sensitive)", "tok-123456"],
  ["an AWS presigned URL's signature", "https://b.s3.amazonaws.com/k?X-Amz-Expires=60&X-Amz-Signature=abcdef0123456789", "https://b.s3.amazonaws.com/k?X-Amz-Expires=60&X-Amz-Signature=(sensitive)", "abcdef0123456789"],
  ["a bearer token", "Authorization: Bearer eyA1b2c3d4e5f6g7h8.x", "Authorization: Bearer (sensitive)", "eyA1b2c3d4e5f6g7h8"],
  ["basic credentials", "Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: Basic (sensitive)", "dXNlcjpwYXNzd29yZA"],
  ["a GitHub token", "token ghp_0123456789abcdefghijABCDEFGHIJ012345", "token (sensitive token)", "ghp_0123456789abcdefghij"],
  ["a fine-grained GitHub token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "(sensitive token)", "github_pat_11ABCDEFG"],
  ["a GitLab token", "glpat-AbCdEfGhIjKlMnOpQrSt", "(sensitive token)", "glpat-AbCdEfGh"],
  ["a Slack token", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp", "(sensitive token)", "AbCdEfGhIjKlMnOp"],
  ["a Slack webhook URL", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "https://hooks.slack.com/services/(sensitive)", "XXXXXXXXXXXXXXXXXXXXXXXX"],
  ["an npm token", "npm_abcdefghijklmnopqrstuvwxyz0123456789", "(sensitive token)", "npm_abcdefghijklmnop"],
  ["a Vault token", "VAULT_TOKEN hvs.CAESIABcDeFgHiJkLmNoPqRsTuVwXyZ", "VAULT_TOKEN (sensitive token)", "CAESIABcDeFgHiJkLmNoPqRs"],
  ["a JSON Web Token", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIz", "(sensitive token)", "eyJzdWIiOiIxMjM0In0"],
  ["an AWS access key id", "AKIAIOSFODNN7EXAMPLE", "(sensitive access key id)", "AKIAIOSFODNN7EXAMPLE"],
  ["a Google API key", "key=AIzaSyA-0123456789abcdefghijklmnopqrstu", "key=(sensitive token)", "AIzaSyA-0123456789"],
];

describe.each(SHAPES)("%s", (_shape, input, masked, secret) => {
  it("is masked in a value, and in a log line by line", () => {
    expect(maskSecretShapes(input)).toBe(masked);
    const mask = lineMasker();
    const log = input.split("\n").map(mask).join("\n");
    expect(log).not.toContain(secret);
  });
});

describe("what is not a secret stays readable", () => {
  it.each([
    ["prose about schemes", "Basic authentication and Bearer tokens are refused"],
    ["a URL without credentials", "https://example.com/a?page=2&sort=name"],
    ["a key block's public half", "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"],
  ])("%s", (_what, input) => {
    expect(maskSecretShapes(input)).toBe(input);
  });
});

describe("names like a secret", () => {
  it.each(["DB_PASSWORD", "AWS_SECRET_ACCESS_KEY", "secret_string", "secrets", "apiKeys", "passwords", "tokens", "grafana_admin_password", "client_key"])("%s is one", (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each(["http_tokens", "httpTokens", "existingSecret", "externalSecretName", "name", "token_ttl"])("%s is not", (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe("logs, line by line", () => {
  const maskAll = (lines: readonly string[]) => {
    const mask = lineMasker();
    return lines.map(mask);
  };

  it("masks a value assigned to a name like a secret, in Terraform's, JSON's and the shell's syntax", () => {
    expect(maskAll(['      + master_password = "hunter2"', '  "api_token": "tok-1",', "DB_PASSWORD=hunter2 ./run", '      ~ password = "old-pw" -> "new-pw"'])).toEqual([
      "      + master_password = (sensitive)",
      '  "api_token": (sensitive),',
      "DB_PASSWORD=(sensitive) ./run",
      "      ~ password = (sensitive)",
    ]);
  });

  it("masks the value of an env entry whose name says it is a secret, and only that one", () => {
    const plan = ["      + env {", '          + name  = "DB_PASSWORD"', '          + value = "hunter2"', "        }", "      + env {", '          + name  = "LOG_LEVEL"', '          + value = "info"', "        }"];
    expect(maskAll(plan)).toEqual([plan[0], plan[1], "          + value = (sensitive)", plan[3], plan[4], plan[5], plan[6], plan[7]]);
  });

  it("masks every line of a private key block, and goes back to normal after it", () => {
    expect(maskAll(["private_key_pem = <<-EOT", ...PEM.map((l) => `    ${l}`), "EOT", "Plan: 1 to add"])).toEqual([
      "private_key_pem = <<-EOT",
      "    (sensitive private key)",
      "    (sensitive private key)",
      "(sensitive private key)",
      "EOT",
      "Plan: 1 to add",
    ]);
  });

  it("masks YAML's `password: …`, but not a colon in prose", () => {
    expect(maskAll(["  password: hunter2", "Error: creating token: AccessDenied"])).toEqual(["  password: (sensitive)", "Error: creating token: AccessDenied"]);
  });

  it("leaves Terraform's own masking alone", () => {
    expect(maskAll(["      + password = (sensitive value)"])).toEqual(["      + password = (sensitive value)"]);
  });
});

describe("mask-log", () => {
  it("copies standard input to standard output with every secret masked", () => {
    const input = ['Error: connecting to "postgres://app:hunter2@db:5432/app"', "  token = ghp_0123456789abcdefghijABCDEFGHIJ012345", "done", ""].join("\n");
    const result = spawnSync("node", [path.join(ROOT, "dist", "scripts", "mask-log.js")], { input, encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(['Error: connecting to "postgres://app:(sensitive)@db:5432/app"', "  token = (sensitive token)", "done", ""].join("\n"));
  });
});
