import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Testing } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { loadBackendSettings, loadEnvironments, loadProjectSettings } from "../config";
import { run } from "../main";
import { ALL_RULES, type PolicyReport, type Rule } from "../policy";
import { dependencyOrder } from "../review";
import { buildPlatform, consumesOf, dependenciesOf, expectedStackIds, LAYER_REGISTRY, layersOf, PlatformStack, STATE_BACKEND_STACK_ID } from "../stacks";
import { FIXTURE, fixtureSynth, ROOT, secretsIn, tempProject, TEST_NOW, validEnvironmentInput } from "./helpers";

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

/** Runs the app like `node dist/main.js`, capturing what it prints (warnings apart: config, policy and output-folder notes). */
function synth(args: string[], root: string, outdir: string): { code: number; stdout: string; stderr: string; warnings: string[] } {
  const out: string[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((...parts: unknown[]) => void out.push(parts.join(" ")));
  const error = jest.spyOn(console, "error").mockImplementation((...parts: unknown[]) => void errors.push(parts.join(" ")));
  const warn = jest.spyOn(console, "warn").mockImplementation((...parts: unknown[]) => void warnings.push(parts.join(" ")));
  try {
    return { code: run(args, { CDKTF_OUTDIR: outdir }, root, TEST_NOW), stdout: out.join("\n"), stderr: errors.join("\n"), warnings };
  } finally {
    log.mockRestore();
    error.mockRestore();
    warn.mockRestore();
  }
}

const tmp = () => mkdtempSync(path.join(tmpdir(), "cdktf-out-"));
/** A value computed on first use, and shared by the tests that read it. */
const once = <T>(make: () => T): (() => T) => {
  let value: { made: T } | undefined;
  return () => (value ??= { made: make() }).made;
};
const fixture = loadEnvironments({ configDir: path.join(FIXTURE, "config"), now: TEST_NOW });
const expectedStacks = expectedStackIds(fixture, loadBackendSettings(path.join(FIXTURE, "backend.config")).accountId);

// The fixture project is synthesized once here and shared by the tests that read its output.
const first = tmp();
const firstRun = synth([], FIXTURE, first);
const output = readTree(first);
const stackJson = (stack: string) => JSON.parse(output[path.join("stacks", stack, "cdk.tf.json")] ?? "null") as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
const manifest = JSON.parse(output["manifest.json"] ?? "{}") as { stacks: Record<string, { dependencies: string[] }> };

describe("synthesizing the fixture project", () => {
  it("succeeds and writes every stack of every environment, as the layer registry says", () => {
    expect(firstRun.code).toBe(0);
    expect(firstRun.stderr).toBe("");
    expect(readdirSync(path.join(first, "stacks")).sort()).toEqual([...expectedStacks].sort());
  });

  it("says what it wrote: each stack with its size, the policy result, where, and how long it took", () => {
    const lines = firstRun.stdout.split("\n");
    expect(lines[0]).toMatch(new RegExp(`^Synthesized ${expectedStacks.length} stacks into .*stacks in \\d+\\.\\d s:$`));
    for (const stack of expectedStacks) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  ${stack} +\\d+ resources, +\\d+ data sources`)));
    expect(lines.at(-1)).toMatch(/^Policy pack: \d+ of \d+ rules applied, 0 errors, \d+ warnings, \d+ suppressed \(.*policy-report\.md\)$/);
  });

  it("declares each stack's dependencies (the layers it consumes or follows, or the state backend) in the manifest", () => {
    for (const env of fixture) {
      for (const entry of layersOf(env)) {
        const consumed = dependenciesOf(entry, env);
        const deps = consumed.length ? consumed.map((layer) => `${env.name}-${layer}`) : [STATE_BACKEND_STACK_ID];
        expect(manifest.stacks[`${env.name}-${entry.layer}`]?.dependencies).toEqual(deps);
      }
    }
    const order = dependencyOrder(Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) => [name, s.dependencies])));
    // The account stacks (CI's roles, which the state's policies name; the state account's too) first, then state-backend, then the environments.
    const backendAt = order.indexOf(STATE_BACKEND_STACK_ID);
    expect(order.slice(0, backendAt).every((s) => /^account-\d{12}$/.test(s))).toBe(true);
    expect(order.slice(0, backendAt)).toHaveLength(new Set([...fixture.map((e) => e.account.id), loadBackendSettings(path.join(FIXTURE, "backend.config")).accountId]).size);
    expect(manifest.stacks[STATE_BACKEND_STACK_ID]?.dependencies.sort()).toEqual(order.slice(0, backendAt).sort());
  });

  it("orders each environment network → eks → iam → data → platform → app, from the manifest; destroy runs it backwards", () => {
    const order = dependencyOrder(Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) => [name, s.dependencies])));
    for (const env of fixture) {
      const mine = order.filter((s) => s.startsWith(`${env.name}-`));
      const at = (layer: string) => mine.indexOf(`${env.name}-${layer}`);
      expect(at("network")).toBe(0);
      expect(at("eks")).toBeLessThan(at("iam"));
      expect(at("iam")).toBeLessThan(at("platform"));
      for (const data of ["database", "streaming"]) if (at(data) >= 0) expect(at(data)).toBeLessThan(at("app"));
      // The app (its Ingress, and so its ALB) goes before the controller that deletes the ALB.
      expect(at("platform")).toBeLessThan(at("app"));
      expect([...mine].reverse().indexOf(`${env.name}-app`)).toBeLessThan([...mine].reverse().indexOf(`${env.name}-platform`));
    }
  });

  it("writes, frozen after one resolution, exactly what an unfrozen stack resolves to", () => {
    // dev and prod hold every kind of layer between them (prod: Kafka; dev: a zone of its own).
    const inputs = { environments: fixture.filter((e) => e.name !== "stage"), allEnvironments: fixture, backend: loadBackendSettings(path.join(FIXTURE, "backend.config")), project: loadProjectSettings(path.join(FIXTURE, "cdktf.json")) };
    const frozen = buildPlatform(Testing.app(), inputs);
    const fresh = buildPlatform(Testing.app(), inputs);
    const stacksOf = (p: typeof frozen) => [p.stateBackend, ...p.accounts, ...Object.values(p.environments).flatMap((l) => Object.values(l))];
    stacksOf(frozen).forEach((stack) => stack.freeze());
    const pairs = stacksOf(frozen).map((stack, i) => [stack, stacksOf(fresh)[i]!] as const);
    for (const [a, b] of pairs) {
      b.prepareStack();
      expect([a.node.id, JSON.stringify(a.toTerraform())]).toEqual([b.node.id, JSON.stringify(b.toTerraform())]);
    }
  });

  it("makes no stack for a layer an environment turns off: dev has no Kafka", () => {
    expect(manifest.stacks["dev-streaming"]).toBeUndefined();
    expect(existsSync(path.join(first, "stacks", "dev-streaming"))).toBe(false);
    expect(manifest.stacks["dev-database"]).toBeDefined();
    expect(manifest.stacks["prod-streaming"]?.dependencies).toEqual(["prod-network", "prod-eks", "prod-iam"]);
  });

  it("names no role for any provider to assume but the deploy_role_arn variable, unset by default (CI's jobs are the role their OIDC token gives)", () => {
    for (const stack of expectedStacks) {
      const tf = stackJson(stack) as unknown as { provider: { aws: Array<{ assume_role?: Array<{ role_arn: string }> }> }; variable: Record<string, { default: unknown }> };
      // Every AWS provider of the stack (a second region's too) assumes only that variable.
      for (const provider of tf.provider.aws) expect([stack, provider.assume_role?.map((a) => a.role_arn)]).toEqual([stack, ["${var.deploy_role_arn}"]]);
      expect(tf.variable.deploy_role_arn).toMatchObject({ default: null, nullable: true });
    }
  });

  it("writes no password or secret value into any stack: managed secrets are referenced by ARN only", () => {
    expect(expectedStacks.flatMap((stack) => secretsIn(stackJson(stack), stack))).toEqual([]);
  });

  it("reads other stacks only through named outputs: no cdktf cross-stack output anywhere", () => {
    for (const stack of expectedStacks) expect(Object.keys(stackJson(stack).output ?? {}).filter((o) => o.startsWith("cross-stack-output-"))).toEqual([]);
  });

  it("reads exactly the layers the registry says each layer consumes", () => {
    for (const env of fixture) {
      for (const entry of layersOf(env)) {
        expect(Object.keys(stackJson(`${env.name}-${entry.layer}`).data?.terraform_remote_state ?? {}).sort()).toEqual(consumesOf(entry, env).sort());
      }
    }
  });

  it("names every block by its construct path below the stack, joined with _, with no hash", () => {
    for (const stack of expectedStacks) {
      const json = stackJson(stack);
      for (const kind of ["resource", "data"] as const) {
        for (const [type, byName] of Object.entries(json[kind] ?? {})) {
          for (const [name, body] of Object.entries(byName)) {
            // cdktf writes no metadata for remote-state data sources: their name is the layer they read.
            const meta = body["//"] as { metadata: { path: string } } | undefined;
            if (!meta) {
              expect([type, (LAYER_REGISTRY.map((e) => e.layer) as string[]).includes(name)]).toEqual(["terraform_remote_state", true]);
              continue;
            }
            const constructPath = meta.metadata.path.split("/").slice(1).filter((id) => id !== "Default");
            expect(`${type}.${name}`).toBe(`${type}.${constructPath.join("_").replace(/[^A-Za-z0-9_-]/g, "_")}`);
            expect(name).not.toMatch(/_[0-9A-F]{8}$/);
          }
        }
      }
    }
  });

  it("is deterministic: a second synth is byte-identical", () => {
    // The second synth is the global setup's, of the same project in another process (the
    // compiled app, with --quiet): byte-identical to this one, with no third synth to pay for.
    expect(readTree(fixtureSynth.dir)).toEqual(output);
  });

  it("passes the policy pack with zero unsuppressed errors, and writes its report", () => {
    const report = JSON.parse(output["policy-report.json"] ?? "{}") as PolicyReport;
    expect(report.status).toBe("passed");
    expect(report.counts.errors).toBe(0);
    expect(report.stacks.map((s) => s.stack).sort()).toEqual([...expectedStacks].sort());
    expect(output["policy-report.md"]).toMatch(/^## ✅ Policy pack: 0 error\(s\)/);
  });

  it("contains no absolute paths of this machine", () => {
    for (const content of Object.values(output)) expect(content).not.toContain(ROOT);
  });
});

describe("readable addresses", () => {
  class Stack extends PlatformStack {}

  it("refuse two constructs that would get the same Terraform name", () => {
    const stack = new Stack(Testing.app(), "clash");
    new Construct(stack, "a.b");
    new Construct(stack, "a_b");
    new Vpc(stack.node.findChild("a.b"), "vpc", { cidrBlock: "10.0.0.0/16" });
    new Vpc(stack.node.findChild("a_b"), "vpc", { cidrBlock: "10.0.0.0/16" });
    expect(() => Testing.synth(stack)).toThrow('clash: constructs a.b/vpc and a_b/vpc would both get the Terraform name "a_b_vpc"; rename one of them');
  });
});

describe("selecting environments", () => {
  const [one, two] = fixture.map((env) => env.name) as [string, string];

  // One synth of one environment into a folder holding another environment's work, a stack no
  // config has any more and HCL left by `cdktf synth --hcl`; the tests below read its parts.
  const selected = once(() => {
    const outdir = tmp();
    mkdirSync(path.join(outdir, "stacks", `${two}-network`, ".terraform"), { recursive: true });
    writeFileSync(path.join(outdir, "stacks", `${two}-network`, "plan.tfplan"), "saved plan");
    mkdirSync(path.join(outdir, "stacks", "gone-network"), { recursive: true });
    writeFileSync(path.join(outdir, "stacks", "gone-network", "cdk.tf.json"), "{}");
    mkdirSync(path.join(outdir, "stacks", `${one}-network`), { recursive: true });
    writeFileSync(path.join(outdir, "stacks", `${one}-network`, "cdk.tf"), 'resource "aws_vpc" "network_vpc" {}');
    return { outdir, result: synth(["--env", one, "--quiet"], FIXTURE, outdir) };
  });
  const synthWarnings = (warnings: string[]) => warnings.filter((w) => w.startsWith("synth:")).sort();

  it("synthesizes only the environments asked for (plus the state backend), keeping other environments' folders", () => {
    const { outdir, result } = selected();
    expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
    // The removals, said even with --quiet; the unselected environment's folder is not touched, so not mentioned.
    expect(synthWarnings(result.warnings)).toEqual([
      expect.stringMatching(new RegExp(`^synth: removed .*stacks/${one}-network/cdk\\.tf: `)),
      expect.stringMatching(/^synth: removed .*stacks\/gone-network: the stack is in no environment of the config any more/),
    ]);
    const left = readdirSync(path.join(outdir, "stacks")).sort();
    expect(left).toContain(`${one}-network`);
    expect(left).not.toContain("gone-network");
    expect(readFileSync(path.join(outdir, "stacks", `${two}-network`, "plan.tfplan"), "utf8")).toBe("saved plan");
    expect(existsSync(path.join(outdir, "stacks", `${two}-network`, ".terraform"))).toBe(true);
  });

  it("removes a cdk.tf left by `cdktf synth --hcl` beside the cdk.tf.json it writes, and says so", () => {
    const { outdir, result } = selected();
    expect(existsSync(path.join(outdir, "stacks", `${one}-network`, "cdk.tf"))).toBe(false);
    expect(synthWarnings(result.warnings)).toContainEqual(expect.stringMatching(new RegExp(`^synth: removed .*stacks/${one}-network/cdk\\.tf: HCL left by \`cdktf synth --hcl\` would declare every block a second time`)));
  });

  it("gives the state backend the same output whichever environments are selected", () => {
    const file = path.join("stacks", STATE_BACKEND_STACK_ID, "cdk.tf.json");
    expect(readFileSync(path.join(selected().outdir, file), "utf8")).toBe(output[file]);
  });

  // One synth of another config folder (environment qa only) into a folder holding another
  // folder's prod, with work in it, and a stack with only old output.
  const other = once(() => {
    const project = tempProject({ "qa.yaml": validEnvironmentInput({ name: "qa" }) });
    const outdir = tmp();
    mkdirSync(path.join(outdir, "stacks", "prod-network", ".terraform"), { recursive: true });
    for (const [file, content] of Object.entries({ "cdk.tf.json": "{}", ".terraform.lock.hcl": "lock", "plan.tfplan": "saved plan" })) writeFileSync(path.join(outdir, "stacks", "prod-network", file), content);
    mkdirSync(path.join(outdir, "stacks", "old-network"), { recursive: true });
    writeFileSync(path.join(outdir, "stacks", "old-network", "cdk.tf.json"), "{}");
    return { project, outdir, result: synth(["--config-dir", path.join(project, "config"), "--quiet"], project, outdir) };
  });

  it("keeps, and says so, the folder of a stack missing from the config read when it holds work: .terraform, a lock file, a saved plan", () => {
    const { outdir, result } = other();
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(outdir, "stacks", "prod-network", "plan.tfplan"), "utf8")).toBe("saved plan");
    expect(existsSync(path.join(outdir, "stacks", "old-network"))).toBe(false);
    expect(synthWarnings(result.warnings)).toEqual([
      expect.stringMatching(/^synth: kept .*stacks\/prod-network: the stack is in no environment of the config read, but its folder holds \.terraform, \.terraform\.lock\.hcl, plan\.tfplan; delete it yourself/),
      expect.stringMatching(/^synth: removed .*stacks\/old-network: the stack is in no environment of the config any more/),
    ]);
  });

  it("reads another config folder", () => {
    const { project, outdir, result } = other();
    expect(result.code).toBe(0);
    const written = readdirSync(path.join(outdir, "stacks")).filter((s) => s !== "prod-network").sort();
    expect(written).toEqual(expectedStackIds(loadEnvironments({ configDir: path.join(project, "config"), now: TEST_NOW }), loadBackendSettings(path.join(project, "backend.config")).accountId).sort());
  });

  it("prints the usage, not a configuration error, for an option it does not know, and exits 2", () => {
    const result = synth(["--environment", "prod"], FIXTURE, tmp());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Unknown option '--environment'\n\nUsage: npm run synth/);
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

  it("refuses a protect entry that matches no construct, naming the near matches", () => {
    const typo = tempProject({ "qa.yaml": { ...validEnvironmentInput({ name: "qa" }), protect: ["qa-network/network/natt"] } });
    const bad = synth([], typo, tmp());
    expect(bad.code).toBe(1);
    expect(bad.stderr.split("\n")).toEqual([
      "Configuration is invalid; nothing was synthesized (1 problem):",
      'config/qa.yaml:43: [qa] protect.0: matches no construct of qa\'s stacks, so it would protect nothing (did you mean "qa-network/network/nat"?) (got "qa-network/network/natt")',
    ]);
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
  const [one] = fixture.map((env) => env.name) as [string];
  const outdir = tmp();
  const sentinel = path.join(outdir, "stacks", `${one}-network`, "cdk.tf.json");
  mkdirSync(path.dirname(sentinel), { recursive: true });
  writeFileSync(sentinel, "previous output");
  (ALL_RULES as Rule[]).push(failing);
  const result = synth(["--env", one], FIXTURE, outdir);
  (ALL_RULES as Rule[]).pop();

  it("exit non-zero and print each finding as a block: rule, stack, address, construct, problem, fix", () => {
    expect(result.code).toBe(1);
    const lines = result.stderr.split("\n");
    expect(lines[0]).toMatch(/^Policy pack: 1 error\(s\); no Terraform was written \(report: .*policy-report\.md\):$/);
    expect(lines.slice(2)).toEqual([
      "✖ [PI-TEST-001] Test rule that every VPC breaks",
      `    stack:     ${one}-network`,
      "    address:   aws_vpc.network_vpc",
      `    construct: ${one}-network/network/vpc`,
      "    problem:   always",
      "    fix:       Nothing to fix: this rule exists only in a test.",
    ]);
  });

  it("write no Terraform, but write the report with status failed", () => {
    expect(readFileSync(sentinel, "utf8")).toBe("previous output");
    expect(existsSync(path.join(outdir, "manifest.json"))).toBe(false);
    expect(existsSync(path.join(outdir, "stacks", STATE_BACKEND_STACK_ID))).toBe(false);
    const report = JSON.parse(readFileSync(path.join(outdir, "policy-report.json"), "utf8")) as PolicyReport;
    expect(report).toMatchObject({ status: "failed", counts: { errors: 1 } });
  });
});

describe("README's sample synth output", () => {
  it("is what a synth of the project prints (the fixture's, with the shipped example account ids)", () => {
    const block = /```text\n(Synthesized [\s\S]*?)\n```/.exec(readFileSync(path.join(ROOT, "README.md"), "utf8"))?.[1];
    // The fixture is the shipped project with account ids of its own; time and folder vary by run.
    const shipped = (text: string) =>
      text
        .replace(/\b(101010101010|202020202020|303030303030)\b/g, (id: string) => id[0]!.repeat(12))
        .replace(/\b909090909090\b/g, "000000000000")
        .replace(/ into \S+ in \d+\.\d s:/, " into cdktf.out/stacks in N s:")
        .replace(/\(\S*policy-report\.md\)/, "(cdktf.out/policy-report.md)");
    expect(block && shipped(block)).toBe(shipped(firstRun.stdout));
  });
});
