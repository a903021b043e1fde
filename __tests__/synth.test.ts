import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { run } from "../main";
import { ALL_RULES, type PolicyReport, type Rule } from "../policy";
import { ROOT, tempProject, validEnvironmentInput } from "./helpers";

/** Every file under a folder, as path → content. */
function readTree(dir: string, prefix = ""): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(files, readTree(dir, rel));
    else files[rel] = readFileSync(path.join(dir, rel), "utf8");
  }
  return files;
}

/** Runs the app like `node dist/main.js`, capturing stderr. */
function synth(args: string[], root: string, outdir: string): { code: number; stderr: string } {
  const errors: string[] = [];
  const spy = jest.spyOn(console, "error").mockImplementation((...parts: unknown[]) => void errors.push(parts.join(" ")));
  try {
    return { code: run(args, { CDKTF_OUTDIR: outdir }, root), stderr: errors.join("\n") };
  } finally {
    spy.mockRestore();
  }
}

const tmp = () => mkdtempSync(path.join(tmpdir(), "cdktf-out-"));

// The shipped project is synthesized once here and shared by the snapshot and determinism tests.
const first = tmp();
const firstRun = synth([], ROOT, first);
const output = readTree(first);

describe("synthesizing the shipped project", () => {
  it("succeeds and writes every stack of every environment", () => {
    expect(firstRun).toEqual({ code: 0, stderr: "" });
    expect(readdirSync(path.join(first, "stacks")).sort()).toEqual(["dev-network", "prod-network", "stage-network", "state-backend"]);
  });

  it.each(["state-backend", "dev-network", "stage-network", "prod-network"])("matches the committed snapshot of %s", (stack) => {
    expect(JSON.parse(output[path.join("stacks", stack, "cdk.tf.json")] ?? "null")).toMatchSnapshot();
  });

  it("is deterministic: a second synth is byte-identical", () => {
    const second = tmp();
    expect(synth([], ROOT, second).code).toBe(0);
    expect(readTree(second)).toEqual(output);
  });

  it("passes the policy pack with zero unsuppressed errors, and writes its report", () => {
    const report = JSON.parse(output["policy-report.json"] ?? "{}") as PolicyReport;
    expect(report.status).toBe("passed");
    expect(report.counts.errors).toBe(0);
    expect(report.stacks.map((s) => s.stack)).toEqual(["state-backend", "dev-network", "prod-network", "stage-network"]);
    expect(output["policy-report.md"]).toMatch(/^## ✅ Policy pack: 0 error\(s\)/);
  });

  it("contains no absolute paths of this machine", () => {
    for (const content of Object.values(output)) expect(content).not.toContain(ROOT);
  });
});

describe("selecting environments", () => {
  it("synthesizes only the environments asked for (plus the state backend) and removes stale stacks", () => {
    const outdir = tmp();
    mkdirSync(path.join(outdir, "stacks", "old-network"), { recursive: true });
    expect(synth(["--env", "prod"], ROOT, outdir).code).toBe(0);
    expect(readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["prod-network", "state-backend"]);
  });

  it("gives the state backend the same output whichever environments are selected", () => {
    const outdir = tmp();
    expect(synth(["--env", "dev"], ROOT, outdir).code).toBe(0);
    const file = path.join("stacks", "state-backend", "cdk.tf.json");
    expect(readFileSync(path.join(outdir, file), "utf8")).toBe(output[file]);
  });

  it("reads another config folder", () => {
    const project = tempProject({ "qa.yaml": validEnvironmentInput({ name: "qa" }) });
    const outdir = tmp();
    expect(synth(["--config-dir", path.join(project, "config")], project, outdir).code).toBe(0);
    expect(readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["qa-network", "state-backend"]);
  });
});

describe("bad input", () => {
  const project = tempProject({
    "bad.yaml": stringify({ ...validEnvironmentInput({ name: "bad" }), account: { id: "12", region: "eu-west-1" } }),
  });
  const outdir = tmp();
  const sentinel = path.join(outdir, "stacks", "bad-network", "cdk.tf.json");
  mkdirSync(path.dirname(sentinel), { recursive: true });
  writeFileSync(sentinel, "previous output");
  const result = synth([], project, outdir);

  it("exits non-zero with one line per problem", () => {
    expect(result.code).toBe(1);
    expect(result.stderr.split("\n")).toEqual([
      "Configuration is invalid; nothing was synthesized (1 problem):",
      'config/bad.yaml:4: [bad] account.id: must be exactly 12 digits, quoted (e.g. "123456789012") (got "12")',
    ]);
  });

  it("leaves the existing cdktf.out untouched", () => {
    expect(readFileSync(sentinel, "utf8")).toBe("previous output");
    expect(existsSync(path.join(outdir, "manifest.json"))).toBe(false);
  });
});

describe("policy errors", () => {
  // A rule every VPC breaks, added for this test only, stands in for a real violation.
  const failing: Rule = {
    id: "PI-TEST-001",
    severity: "error",
    title: "Test rule that every VPC breaks",
    rationale: "Exercises the failure path of the synth.",
    fix: "Nothing to fix: this rule exists only in a test.",
    types: ["aws_vpc"],
    check: () => "always",
  };
  const outdir = tmp();
  const sentinel = path.join(outdir, "stacks", "dev-network", "cdk.tf.json");
  mkdirSync(path.dirname(sentinel), { recursive: true });
  writeFileSync(sentinel, "previous output");
  (ALL_RULES as Rule[]).push(failing);
  const result = synth(["--env", "dev"], ROOT, outdir);
  (ALL_RULES as Rule[]).pop();

  it("exit non-zero and print a table of stack, construct path, address, rule, title and fix", () => {
    expect(result.code).toBe(1);
    const lines = result.stderr.split("\n");
    expect(lines[0]).toMatch(/^Policy pack: 1 error\(s\); no Terraform was written \(report: .*policy-report\.md\):$/);
    expect(lines[1]).toMatch(/^stack\s+│ construct path\s+│ Terraform address\s+│ rule\s+│ title\s+│ fix$/);
    expect(lines[3]).toMatch(/^dev-network │ dev-network\/network\/vpc │ aws_vpc\.network_vpc_\w+ │ PI-TEST-001 │ Test rule that every VPC breaks: always │ Nothing to fix/);
  });

  it("write no Terraform, but write the report with status failed", () => {
    expect(readFileSync(sentinel, "utf8")).toBe("previous output");
    expect(existsSync(path.join(outdir, "manifest.json"))).toBe(false);
    expect(existsSync(path.join(outdir, "stacks", "state-backend"))).toBe(false);
    const report = JSON.parse(readFileSync(path.join(outdir, "policy-report.json"), "utf8")) as PolicyReport;
    expect(report).toMatchObject({ status: "failed", counts: { errors: 1 } });
  });
});
