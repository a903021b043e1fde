import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Layer } from "../config";
import { stateKeyOfStack } from "../review/orphans";
import { realDate } from "../config/clock";
import { run as synth } from "../main";
import { CONTRACTS } from "../stacks/contracts/registry";
import { type AttributeTypes, type FullPlan, planIsEmpty, stateFromPlan, trimPlan } from "./verify/fake-state";
import { planWork, type TerraformRun, writeWork } from "./verify/plan-stack";
import { contractMockState, referencedMapKeys } from "./verify/mocks";
import { type Preparation, prepareStack, type StackJson, useLocalState } from "./verify/prepare";
import { terraform } from "./verify/terraform";
import { findProviderSource, findTerraform, writeCliConfig } from "./verify/toolchain";
import { ORPHAN_SCENARIOS, type OrphanScenario, SCENARIOS, type Scenario } from "./real-plans/scenarios";

// `npm run real-plans`: regenerates the real Terraform plans the review tools are tested on
// (__tests__/fixtures/real-plans/). For each scenario: synthesize the tests' fixture project
// (__tests__/fixtures/project, never the user's config, so a company's edits change no test
// fixture), plan a stack offline, build a state from that plan (placeholders for what only apply
// would know), re-plan until Terraform says "No changes", then change the config and plan again.
// The result is the plan a reviewer would see for that change on deployed infrastructure.

const ROOT = process.cwd();
const FIXTURES = path.join(ROOT, "__tests__", "fixtures", "real-plans");
const PROJECT = path.join(ROOT, "__tests__", "fixtures", "project");

/** A copy of the project's inputs in a temporary folder, edited, then synthesized there. */
function synthCopy(...edits: ReadonlyArray<((project: string) => void) | undefined>): string {
  const project = mkdtempSync(path.join(tmpdir(), "real-plans-"));
  for (const item of ["cdktf.json", "backend.config", "config"]) cpSync(path.join(PROJECT, item), path.join(project, item), { recursive: true });
  for (const change of edits) change?.(project);
  if (synth(["--quiet"], { ...process.env, CDKTF_OUTDIR: path.join(project, "cdktf.out") }, project, realDate()) !== 0) throw new Error(`synth failed in ${project}`);
  return project;
}

/**
 * Points each remote state a stack reads at a state holding its producer's contract, every
 * output mocked (as the verify harness does for outputs its producer's plan cannot know).
 */
function mockUpstreams(prepared: Preparation, work: string, where: { account: string; region: string }): Preparation {
  for (const layer of Object.keys(prepared.remoteStates)) {
    const file = path.join(work, `upstream-${layer}.tfstate`);
    writeFileSync(file, JSON.stringify(contractMockState(CONTRACTS[layer as Layer]?.outputs ?? {}, where, 3, (output) => referencedMapKeys(prepared.json, layer, output)), null, 2));
    useLocalState(prepared.json, layer, file);
  }
  return prepared;
}

const readStack = (project: string, stack: string) => JSON.parse(readFileSync(path.join(project, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8")) as StackJson;

/** Attribute types of every resource type in a stack, from the provider's schema. */
async function attributeTypes(tf: TerraformRun, work: string): Promise<AttributeTypes> {
  const file = path.join(work, "schema.json");
  await terraform(tf.binary, ["providers", "schema", "-json"], work, tf.env, path.join(work, "terraform.log"), file);
  type Block = { attributes?: Record<string, { type?: unknown }>; block_types?: Record<string, { nesting_mode: string }> };
  const schema = JSON.parse(readFileSync(file, "utf8")) as { provider_schemas: Record<string, { resource_schemas: Record<string, { block: Block }> }> };
  rmSync(file);
  const types: Record<string, Record<string, unknown>> = {};
  for (const provider of Object.values(schema.provider_schemas)) {
    for (const [type, resource] of Object.entries(provider.resource_schemas)) {
      // Nested blocks are lists (or sets) of objects, or one object: typed like attributes of that shape.
      const blocks = Object.entries(resource.block.block_types ?? {}).map(([k, b]) => [k, b.nesting_mode === "single" || b.nesting_mode === "group" ? "block" : ["list", "block"]]);
      types[type] = Object.fromEntries([...Object.entries(resource.block.attributes ?? {}).map(([k, v]) => [k, v.type]), ...blocks]);
    }
  }
  return types;
}

async function scenario(tf: TerraformRun, s: Scenario, source: ReturnType<typeof findProviderSource>): Promise<void> {
  const base = synthCopy(s.deployed);
  const work = mkdtempSync(path.join(tmpdir(), `real-plans-${s.name}-`));
  const where = { account: "000000000000", region: "eu-west-1" };
  writeWork(work, mockUpstreams(prepareStack(readStack(base, s.stack), source), work, where));
  let planned = await planWork(tf, work, path.join(work, "plan.json"));
  if ("failed" in planned) throw new Error(`${s.name}: ${planned.failed}`);
  const types = await attributeTypes(tf, work);
  let state: Record<string, unknown> | undefined;
  // Apply in imagination until Terraform sees nothing left to do.
  for (let round = 0; round < 8; round++) {
    state = stateFromPlan(planned.plan as FullPlan, state as never, types, where);
    writeFileSync(path.join(work, "terraform.tfstate"), JSON.stringify(state, null, 2));
    planned = await planWork(tf, work, path.join(work, "plan.json"), { init: false, validate: false });
    if ("failed" in planned) throw new Error(`${s.name}: ${planned.failed}`);
    if (planIsEmpty(planned.plan as FullPlan)) break;
    if (round === 7) {
      const changes = ((planned.plan as FullPlan).resource_changes ?? []).filter((rc) => !rc.change.actions.every((a) => a === "no-op" || a === "read"));
      const changing = changes.map((rc) => `${rc.address} (${rc.change.actions.join(", ")})`);
      // The legacy SDK plans some resources as updated with no attribute changed (aws_db_instance
      // against a placeholder state), and what reads them stays unknown: in-place updates only are
      // accepted as settled, and named, so the fixture's reader knows.
      if (changes.every((rc) => rc.change.actions.join() === "update")) {
        console.warn(`${s.name}: settled with in-place updates the fake state cannot absorb: ${changing.join("; ")}`);
        break;
      }
      throw new Error(`${s.name}: the fake state did not converge to "No changes"; still changing: ${changing.join("; ")} (work folder: ${work})`);
    }
  }
  const changed = synthCopy(s.deployed, s.change);
  const json = readStack(changed, s.stack);
  s.codeChange?.(json);
  for (const address of s.liftPreventDestroy ?? []) {
    const [type, name] = address.split(".") as [string, string];
    delete (json.resource?.[type]?.[name] as { lifecycle?: unknown } | undefined)?.lifecycle;
  }
  const prepared = mockUpstreams(prepareStack(json, source), work, where);
  writeWork(work, prepared);
  const after = await planWork(tf, work, path.join(work, "plan.json"), { init: false });
  if ("failed" in after) throw new Error(`${s.name}: ${after.failed}`);
  const out = path.join(FIXTURES, s.name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, "cdktf.out", "stacks", s.stack), { recursive: true });
  writeFileSync(path.join(out, `${s.stack}.json`), `${JSON.stringify(trimPlan(after.plan), null, 1)}\n`);
  cpSync(path.join(changed, "cdktf.out", "manifest.json"), path.join(out, "cdktf.out", "manifest.json"));
  // The stack as the change wrote it; with a change to the code, as that change would write it.
  if (s.codeChange) writeFileSync(path.join(out, "cdktf.out", "stacks", s.stack, "cdk.tf.json"), `${JSON.stringify(json, null, 2)}\n`);
  else cpSync(path.join(changed, "cdktf.out", "stacks", s.stack, "cdk.tf.json"), path.join(out, "cdktf.out", "stacks", s.stack, "cdk.tf.json"));
  if (s.keepConfig) cpSync(path.join(changed, "config"), path.join(out, "config"), { recursive: true });
  console.log(`${s.name}: ${s.stack} planned against a state built from its own plan; fixture in ${path.relative(ROOT, out)}`);
  for (const dir of [base, changed, work]) rmSync(dir, { recursive: true, force: true });
}

/** The all-create plan of every stack of the fixture project, as the verify harness makes it. */
async function allCreate(tf: TerraformRun, source: ReturnType<typeof findProviderSource>): Promise<void> {
  const base = synthCopy();
  const out = path.join(FIXTURES, "all-create");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(path.join(base, "cdktf.out", "manifest.json"), path.join(out, "cdktf.out", "manifest.json"), { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(base, "cdktf.out", "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
  for (const stack of Object.keys(manifest.stacks)) {
    const work = mkdtempSync(path.join(tmpdir(), `real-plans-${stack}-`));
    const prepared = prepareStack(readStack(base, stack), source);
    if (Object.keys(prepared.remoteStates).length) continue; // consumers plan against mocks: not "real"
    writeWork(work, prepared);
    const planned = await planWork(tf, work, path.join(work, "plan.json"));
    if ("failed" in planned) throw new Error(`all-create ${stack}: ${planned.failed}`);
    writeFileSync(path.join(out, `${stack}.json`), `${JSON.stringify(trimPlan(planned.plan), null, 1)}\n`);
    cpSync(path.join(base, "cdktf.out", "stacks", stack, "cdk.tf.json"), path.join(out, "cdktf.out", "stacks", stack, "cdk.tf.json"), { recursive: true });
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`all-create: ${Object.keys(manifest.stacks).length} stacks; fixtures in ${path.relative(ROOT, out)}`);
  rmSync(base, { recursive: true, force: true });
}

/**
 * The state keys a full apply of the fixture project leaves in the bucket, each with the managed
 * resources it holds (one per resource block: the synthesized stacks use no count or for_each),
 * beside the manifest of the changed synth: the inputs of orphansOf (review/orphans.ts), as the
 * plan job lists the bucket's keys and reads each state.
 */
function orphanScenario(s: OrphanScenario): void {
  const base = synthCopy();
  const changed = synthCopy(s.change);
  const manifest = JSON.parse(readFileSync(path.join(base, "cdktf.out", "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
  const stateKeys = Object.keys(manifest.stacks).map((stack) => {
    const resources = Object.values(readStack(base, stack).resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    return { key: stateKeyOfStack(stack), resources };
  });
  const out = path.join(FIXTURES, s.name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, "cdktf.out"), { recursive: true });
  writeFileSync(path.join(out, "state-keys.json"), `${JSON.stringify(stateKeys, null, 1)}\n`);
  cpSync(path.join(changed, "cdktf.out", "manifest.json"), path.join(out, "cdktf.out", "manifest.json"));
  console.log(`${s.name}: ${stateKeys.length} state keys of the deployed project beside the changed manifest; fixture in ${path.relative(ROOT, out)}`);
  for (const dir of [base, changed]) rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const found = findTerraform();
  if ("missing" in found) throw new Error(found.missing);
  const source = findProviderSource();
  const cli = mkdtempSync(path.join(tmpdir(), "real-plans-cli-"));
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
  if (source.mirror) {
    writeCliConfig(path.join(cli, "terraformrc"), source);
    env.TF_CLI_CONFIG_FILE = path.join(cli, "terraformrc");
  }
  const only = process.argv.slice(2);
  const chosen = (name: string) => only.length === 0 || only.includes(name);
  if (chosen("all-create")) await allCreate({ binary: found.binary, env }, source);
  for (const s of SCENARIOS.filter((x) => chosen(x.name))) await scenario({ binary: found.binary, env }, s, source);
  for (const s of ORPHAN_SCENARIOS.filter((x) => chosen(x.name))) orphanScenario(s);
}

main().catch((error: unknown) => {
  console.error(`error: ${(error as Error).message}`);
  process.exitCode = 1;
});
