import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FIXTURE, ROOT } from "../helpers";

// The review CLIs as a user runs them: compiled (jest's global setup builds dist/), as processes,
// in the fixture project, so that what they read of config is the fixture's, never the user's.

// plan-digest needs a key (PLAN_DIGEST_KEY); any fixed one does, digests are compared with each other only.
const cli = (script: string, args: string[]) =>
  spawnSync("node", [path.join(ROOT, "dist", "scripts", `${script}.js`), ...args], { cwd: FIXTURE, encoding: "utf8", env: { ...process.env, PLAN_DIGEST_KEY: "cli-test-key" } });
const plan = path.join(ROOT, "__tests__", "fixtures", "plans", "basic.json");

describe.each(["stacks", "plan-digest", "plan-guard", "plan-comment", "kube-check"])("%s", (script) => {
  it("answers --help with its usage and exit 0", () => {
    const result = cli(script, ["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: npm run (-s )?${script} --`));
  });

  it("rejects an unknown option with the usage, exit 2", () => {
    const result = cli(script, ["--no-such-option"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: Unknown option '--no-such-option'[^\n]*\n\nUsage: /);
  });
});

describe("plan files given as stack=path", () => {
  it("keep a path that itself contains '='", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "a=b-"));
    copyFileSync(plan, path.join(dir, "p=1.json"));
    const direct = cli("plan-digest", [`dev-network=${plan}`]);
    const withEquals = cli("plan-digest", [`dev-network=${path.join(dir, "p=1.json")}`]);
    expect(withEquals.status).toBe(0);
    expect(withEquals.stdout).toBe(direct.stdout);
  });
});

it("npm run stacks builds before it runs, so a fresh clone gets an answer, not a stack trace", () => {
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  expect(scripts.stacks).toMatch(/^tsc -p tsconfig\.build\.json && node dist\/scripts\/stacks\.js$/);
});

describe("a mistyped name is an error that lists what exists, never an empty answer", () => {
  const manifest = path.join(ROOT, "__tests__", "fixtures", "cdktf.out", "manifest.json");

  it("stacks --env with an environment the manifest does not have: exit 2, the known ones listed", () => {
    const result = cli("stacks", ["--env", "deb", "--manifest", manifest]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`error: --env "deb": no such environment in ${manifest} (did you mean "dev"?); environments: shared, dev\n`);
    expect(cli("stacks", ["--env", "dev", "--manifest", manifest]).stdout).toBe('["dev-network","dev-database"]\n');
  });

  it("plan-guard --allow naming a stack that does not exist: exit 2, not ignored", () => {
    const result = cli("plan-guard", [`dev-network=${plan}`, "--allow", "dev-netwrk:aws_vpc.network_vpc", "--manifest", manifest, "--config-dir", path.join(FIXTURE, "config")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('error: --allow dev-netwrk:aws_vpc.network_vpc: no such stack (did you mean "dev-network"?)\n');
  });
});

describe("kube-check", () => {
  it("refuses to run without the schemas it checks against, exit 2, rather than passing", () => {
    const result = cli("kube-check", ["--crds", path.join(ROOT, "no-such-crds"), "--openapi", path.join(ROOT, "no-such-openapi")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`error: ${path.join(ROOT, "no-such-openapi")}: no such file or folder\n`);
  });

  it("prints where CI downloads Kubernetes' OpenAPI of each environment's version, the annotation reference and the CRDs EKS installs", () => {
    expect(cli("kube-check", ["--print-sources"]).stdout).toBe(
      [
        "openapi 1.36.2 https://raw.githubusercontent.com/kubernetes/kubernetes/v1.36.2/api/openapi-spec/swagger.json",
        "annotations v3.5.0 https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/docs/guide/ingress/annotations.md",
        // No chart brings SecurityGroupPolicy's CRD: EKS installs it.
        "crd amazon-vpc-resource-controller-k8s-1.7.19 https://raw.githubusercontent.com/aws/amazon-vpc-resource-controller-k8s/v1.7.19/config/crd/bases/vpcresources.k8s.aws_securitygrouppolicies.yaml",
        "",
      ].join("\n"),
    );
  });
});
