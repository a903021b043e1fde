import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { githubSettings } from "../../config/github-settings";
import { checkGithub, checkTools, doctor, type Probe } from "../../scripts/doctor";
import { FIXTURE, fixtureInputs } from "../helpers";

// `npm run doctor`, on the fixture project and copies of it, with the tools faked: no process runs.
const inputs = fixtureInputs();
const envs = inputs.environments;
const expected = githubSettings(inputs);
/** `gh … --json name,value` output. */
const listed = (values: Readonly<Record<string, string>>) => JSON.stringify(Object.entries(values).map(([name, value]) => ({ name, value })));
const tools = (missing: readonly string[] = [], outputs: Record<string, string> = {}): Probe => (command, args) => {
  const key = [command, ...args].join(" ");
  if (missing.some((m) => key.startsWith(m))) return { status: 1, stdout: "" };
  // As gh does: a secret has no value field to ask for.
  if (key.startsWith("gh secret list") && key.includes("value")) return { status: 1, stdout: 'Unknown JSON field: "value"' };
  const found = Object.entries(outputs).find(([k]) => key.startsWith(k));
  return { status: 0, stdout: found?.[1] ?? (command === "terraform" ? '{"terraform_version":"1.11.4"}' : command === "aws" ? "aws-cli/2.27.0 Python/3.13" : "") };
};
function report(root: string, probe: Probe): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = doctor(root, probe, (l) => lines.push(...l.split("\n")));
  return { code, lines };
}
/** A copy of the fixture project with one file's text edited. */
function copyWith(file: string, edit: (text: string) => string): string {
  const root = mkdtempSync(path.join(tmpdir(), "doctor-"));
  cpSync(FIXTURE, root, { recursive: true });
  writeFileSync(path.join(root, file), edit(readFileSync(path.join(root, file), "utf8")));
  return root;
}

describe("npm run doctor", () => {
  it("reports the placeholders left in config, each with its file, line and fix, and fails", () => {
    const { code, lines } = report(FIXTURE, tools(["gh auth status"]));
    expect(code).toBe(1);
    // The fixture keeps the all-zero connection of the shipped files.
    expect(lines.filter((l) => l.startsWith("✖"))).toEqual(["✖ config/dev.yaml:31: ci.connectionArn is the all-zero placeholder", "✖ config/prod.yaml:31: ci.connectionArn is the all-zero placeholder", "✖ config/stage.yaml:31: ci.connectionArn is the all-zero placeholder"]);
    expect(lines).toContain('    fix: make the GitHub connection in 101010101010/eu-west-1 and write its ARN (docs/first-deployment.md, "The runner\'s connection")');
    expect(lines.at(-1)).toBe("doctor: 3 thing(s) to fix before a first deployment");
  });

  it("names the example accounts, bucket and repository of the shipped files", () => {
    const root = copyWith("config/dev.yaml", (t) => t.replaceAll("101010101010", "111111111111"));
    // The example values the shipped backend.config carries (written here: the user's own file may be adopted already).
    writeFileSync(path.join(root, "backend.config"), ['bucket = "example-org-tfstate-000000000000-eu-west-1"', 'region = "eu-west-1"', "encrypt = true", 'kms_key_id = "arn:aws:kms:eu-west-1:000000000000:alias/tfstate"', "use_lockfile = true", ""].join("\n"));
    writeFileSync(path.join(root, "cdktf.json"), readFileSync(path.join(root, "cdktf.json"), "utf8").replaceAll("fixture-org", "example-org").replace(/"githubRepositoryId": \d+/, '"githubRepositoryId": 123456789'));
    const found = report(root, tools()).lines.filter((l) => l.startsWith("✖"));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^✖ backend\.config:1: names the example state bucket example-org-tfstate-000000000000-eu-west-1 \(account 000000000000\)$/),
        "✖ cdktf.json:12: githubRepository is the example example-org/platform-infra",
        "✖ cdktf.json:13: githubRepositoryId is the example 123456789",
        "✖ config/dev.yaml:7: account.id 111111111111 is an example",
        expect.stringMatching(/^✖ config\/dev\.yaml:\d+: arn:aws:iam::111111111111:role\/platform-admin is in an example account$/),
      ]),
    );
  });

  it("passes a project with nothing missing", () => {
    const root = copyWith("config/dev.yaml", (t) => t);
    for (const env of ["dev", "stage", "prod"]) {
      const file = path.join(root, "config", `${env}.yaml`);
      writeFileSync(file, readFileSync(file, "utf8").replace("00000000-0000-0000-0000-000000000000", "4f6b2c1e-8d3a-4b5c-9e7f-0a1b2c3d4e5f"));
    }
    const envVars = Object.fromEntries(expected.environments.map((e) => [`gh variable list --env ${e.name}`, listed(e.variables)]));
    const envSecrets = Object.fromEntries(expected.environments.map((e) => [`gh secret list --env ${e.name}`, JSON.stringify(e.secrets.map((name) => ({ name })))]));
    const gh = tools([], { ...envVars, ...envSecrets, "gh variable list --json": listed({ ...expected.variables, PLAN_PUBLIC_KEY: "-----BEGIN PUBLIC KEY-----" }) });
    expect(report(root, gh)).toEqual({ code: 0, lines: ["doctor: nothing missing that can be checked here"] });
  });

  it("names each missing tool and what it is needed for", () => {
    expect(checkTools(envs, tools(["terraform", "session-manager-plugin", "gh"])).map((f) => `${f.where}: ${f.problem}`)).toEqual([
      "terraform: not found on PATH",
      "session-manager-plugin: not installed: `npm run kube` tunnels through the access host with it",
      "gh: the GitHub CLI is not installed: the GitHub settings cannot be checked or set from here",
    ]);
    expect(checkTools(envs, tools([], { terraform: '{"terraform_version":"1.9.8"}', aws: "aws-cli/1.45.11 Python/3.11" })).map((f) => `${f.where}: ${f.problem}`)).toEqual([
      "terraform: version 1.9 has no S3-native locking (use_lockfile)",
      "aws: is not version 2 (aws-cli/1.45.11 Python/3.11)",
    ]);
  });

  it("checks GitHub only with a logged-in gh, against the settings config makes, naming each one missing or wrong", () => {
    expect(checkGithub(expected, tools(["gh auth status"]))).toEqual({ findings: [], skipped: "gh is not logged in: GitHub variables not checked (gh auth login, then run again)" });
    const missing = checkGithub(expected, tools()).findings.map((f) => f.where);
    expect(missing).toEqual([
      ...Object.keys(expected.variables).map((v) => `GitHub variable ${v}`),
      "GitHub variable PLAN_PUBLIC_KEY",
      "GitHub environment plan-review, secret PLAN_PRIVATE_KEY",
      ...expected.environments.filter((e) => e.gates === "apply").flatMap((e) => [`GitHub environment ${e.name}, variable APPLY_ROLE_ARN`, `GitHub environment ${e.name}, secret PLAN_PRIVATE_KEY`]),
    ]);
    expect(expected.environments.map((e) => e.name)).toEqual(["plan-review", "shared", "dev", "stage", "prod", "plan-prod"]);
    // A value left from the example, or another environment's role, is named with the right one.
    const wrong = { ...expected.variables, AWS_REGION: "us-east-1" };
    const found = checkGithub(expected, tools([], { "gh variable list --json": listed(wrong) })).findings.find((f) => f.where === "GitHub variable AWS_REGION");
    expect(found).toEqual({ where: "GitHub variable AWS_REGION", problem: `is us-east-1, but config makes ${expected.variables.AWS_REGION}`, fix: `gh variable set AWS_REGION --body '${expected.variables.AWS_REGION}'` });
  });
});
