import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Testing, type TerraformStack } from "cdktf";
import { stringify } from "yaml";
import { environmentSchema, loadBackendSettings, loadEnvironments, loadProjectSettings, type EnvironmentConfig, type EnvironmentInput } from "../config";
import { type ClusterToCheck } from "../k8s/validation/check";
import { type StackJson } from "../k8s/validation/cluster-objects";
import { clustersToCheck } from "../scripts/cluster-stacks";
import { isSecretName, maskSecretShapes } from "../policy/secrets";
import { stackView } from "../policy/stack-view";
import { type Statement, statements } from "../policy/rules/helpers";
import { type PlatformInputs } from "../stacks/platform-app";
import { PlatformStack } from "../stacks/platform-stack";
import { type Construct } from "constructs";

/**
 * The day every test judges config on: fixed, so the suite passes on any date. On it the fixture's
 * configuration is fully supported (its Kubernetes version is far from leaving standard support);
 * tests of the support window pass dates of their own.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- shared with the global setup, which is JavaScript
export const TEST_NOW = new Date((require("./test-now") as { TEST_NOW_ISO: string }).TEST_NOW_ISO);

/** The project's root folder: its code, docs and workflows, and the user's own config. */
export const ROOT = path.resolve(__dirname, "..");

/**
 * The project the tests of the code synthesize: its own `config/*.yaml`, `backend.config` and
 * `cdktf.json`, with fake account ids, never the user's files. A company that adopts the project
 * edits its own config/, backend.config and cdktf.json, and no test changes; the user's config
 * is checked, whatever it holds, by user-config.test.ts.
 */
export const FIXTURE = path.join(__dirname, "fixtures", "project");

/** The inputs the fixture project synthesizes from. */
export function fixtureInputs(): PlatformInputs {
  return {
    project: loadProjectSettings(path.join(FIXTURE, "cdktf.json")),
    backend: loadBackendSettings(path.join(FIXTURE, "backend.config")),
    environments: loadEnvironments({ configDir: path.join(FIXTURE, "config"), now: TEST_NOW }),
  };
}

/**
 * The fixture's inputs during a move to S3-native locking, both lockings on (README, "Moving to
 * S3-native locking"): what the tests of the DynamoDB lock table synthesize.
 */
export function fixtureInputsWithLockTable(): PlatformInputs {
  const inputs = fixtureInputs();
  return { ...inputs, backend: { ...inputs.backend, dynamodbTable: "fixture-org-tfstate-lock" } };
}

/** Names of the fixture's environments, from its config folder's file names (sorted). */
export function fixtureEnvironmentNames(): string[] {
  return readdirSync(path.join(FIXTURE, "config"))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ""))
    .sort();
}

/** A valid environment file's content; tests override one field at a time. */
/** An environment file's content for a cluster host: network and eks are given. */
export type HostInput = EnvironmentInput & { network: NonNullable<EnvironmentInput["network"]>; eks: NonNullable<EnvironmentInput["eks"]> };

export function validEnvironmentInput(overrides: Partial<EnvironmentInput> = {}): HostInput {
  return {
    name: "test",
    production: false,
    account: { id: "123456789012", region: "eu-west-1" },
    tags: { owner: "platform-team", "cost-center": "CC-1" },
    network: { vpcCidr: "10.50.0.0/16", azCount: 3, natMode: "per-az" },
    ...overrides,
    // Last, so that the line numbers of the fields above stay put in messages.
    eks: overrides.eks ?? {
      deletionProtection: true,
      nodeGroups: {
        system: { instanceTypes: ["m7g.large"], size: { min: 2, desired: 2, max: 3 } },
        apps: { instanceTypes: ["m7g.xlarge"], size: { min: 1, desired: 2, max: 6 } },
      },
    },
    // CI's in-VPC runner, for an environment with stacks that reach the cluster (the endpoint is
    // private); left out otherwise, so that the lines of the fields above stay put.
    ...(overrides.ci !== undefined || overrides.platform !== undefined || overrides.app !== undefined ? { ci: overrides.ci ?? { runner: "codebuild", connectionArn: TEST_CONNECTION_ARN } } : {}),
    // Someone told of every alert: a production environment must page someone and, where
    // Prometheus runs, have a heartbeat; elsewhere a warning says alerts go nowhere
    // (config/observability-checks.ts). Email works with or without a platform section. Last.
    observability: overrides.observability ?? defaultAlerting(overrides),
  } as HostInput;
}

/** An email receiver of every alert, and with a platform section a heartbeat webhook. */
function defaultAlerting(overrides: Partial<EnvironmentInput>): EnvironmentInput["observability"] {
  const heartbeat = overrides.platform !== undefined;
  return {
    alerting: {
      receivers: { oncall: { type: "email", addresses: ["oncall@example.com"] }, ...(heartbeat ? { heartbeat: { type: "webhook" } } : {}) },
      routes: { critical: ["oncall"], warning: ["oncall"] },
      ...(heartbeat ? { heartbeat: "heartbeat" } : {}),
    },
  } as EnvironmentInput["observability"];
}

/** A CodeConnections connection in the account and region of {@link validEnvironmentInput}. */
export const TEST_CONNECTION_ARN = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-0000-4000-8000-000000000001";

/** A validated environment, with defaults applied. */
export function validEnvironment(overrides: Partial<EnvironmentInput> = {}): EnvironmentConfig {
  return environmentSchema.parse(validEnvironmentInput(overrides));
}

/** Parses a stack's synthesized JSON. */
export function synthJson(stack: TerraformStack): SynthesizedStack {
  return JSON.parse(Testing.synth(stack)) as SynthesizedStack;
}

/** The parts of a synthesized stack the tests look at. */
export interface SynthesizedStack {
  terraform: { backend: Record<string, Record<string, unknown>> };
  provider: Record<string, Array<Record<string, unknown>>>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, unknown>;
}

/** The resources of one type in a synthesized stack. */
export function resourcesOf(stack: SynthesizedStack, type: string): Array<Record<string, unknown>> {
  return Object.values(stack.resource[type] ?? {});
}

/** A throwaway project folder: the fixture's cdktf.json and backend.config, and the given environment files (after the fixture's, with `copyFixtureConfig`). */
export function tempProject(environments: Record<string, unknown> = {}, options: { copyFixtureConfig?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "platform-infra-"));
  cpSync(path.join(FIXTURE, "cdktf.json"), path.join(dir, "cdktf.json"));
  cpSync(path.join(FIXTURE, "backend.config"), path.join(dir, "backend.config"));
  mkdirSync(path.join(dir, "config"));
  if (options.copyFixtureConfig) cpSync(path.join(FIXTURE, "config"), path.join(dir, "config"), { recursive: true });
  for (const [file, content] of Object.entries(environments)) {
    writeFileSync(path.join(dir, "config", file), typeof content === "string" ? content : stringify(content));
  }
  return dir;
}

/**
 * The statements of a policy attribute as IAM JSON, whether it is literal JSON or a reference to
 * an `aws_iam_policy_document` data source: the policy pack's own reader.
 */
export function policyStatements(stack: SynthesizedStack | string, policy: unknown): Statement[] {
  const json = (typeof stack === "string" ? JSON.parse(stack) : stack) as Record<string, unknown>;
  return statements(policy, stackView("test", json));
}

class TestStack extends PlatformStack {}

/**
 * Like `Testing.synthScope`, in a stack of the project's own kind, so that addresses read as in
 * real output (`aws_kms_key.key`, no hash).
 */
export function synthScope(build: (scope: Construct) => void): string {
  const stack = new TestStack(Testing.app(), "test");
  build(stack);
  return Testing.synth(stack);
}

/** Every key path in a JSON value whose name says it holds a secret and that holds a literal, and every value shaped like one: what must never be in synthesized JSON. */
export function secretsIn(value: unknown, at = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretsIn(v, `${at}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [...(isSecretName(k) && (typeof v === "string" || typeof v === "number") ? [`${at}.${k}`] : []), ...secretsIn(v, `${at}.${k}`)]);
  }
  return typeof value === "string" && maskSecretShapes(value) !== value ? [`${at} = ${value}`] : [];
}

/** The file the global setup writes beside an example's synth: its exit code and what it printed. */
const SYNTH_RESULT = "synth-result.json";

/** How the global setup's synth of an example ended (`code` 0: it synthesized). */
export interface SynthResult {
  readonly code: number;
  readonly output: string;
}

/**
 * A project the global setup synthesized once (`npm run synth`'s output, with TEST_NOW), in the
 * folder `locate` names: for tests that only read stacks' JSON, so that none builds the whole
 * project again. Reading one whose synth failed throws with what the synth printed.
 */
function synthesized(what: string, locate: () => string) {
  return {
    /** The output folder (`cdktf.out`'s layout). */
    get dir(): string {
      const dir = locate();
      const result = path.join(dir, SYNTH_RESULT);
      const ended = existsSync(result) ? (JSON.parse(readFileSync(result, "utf8")) as SynthResult) : undefined;
      if (ended && ended.code !== 0) throw new Error(`${what} does not synthesize (exit ${ended.code}):\n${ended.output}`);
      return dir;
    },
    /** One stack's synthesized JSON. */
    stack(id: string): SynthesizedStack {
      return JSON.parse(readFileSync(path.join(this.dir, "stacks", id, "cdk.tf.json"), "utf8")) as SynthesizedStack;
    },
    /** Every stack id, with its dependencies (the manifest's). */
    manifest(): Record<string, { dependencies: string[] }> {
      return (JSON.parse(readFileSync(path.join(this.dir, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies: string[] }> }).stacks;
    },
    /**
     * The Kubernetes objects of each cluster the synth makes, as the strict and cross-object
     * checks take them (and `npm run kube-check`): a host's stacks and its tenants' together
     * (scripts/cluster-stacks.ts).
     */
    clusters(environments: readonly EnvironmentConfig[]): ClusterToCheck[] {
      return clustersToCheck(environments, Object.keys(this.manifest()), (id) => this.stack(id) as StackJson);
    },
  };
}

/** The folder an environment variable the global setup sets names. */
const setBySetup = (variable: "FIXTURE_SYNTH" | "EXAMPLE_SYNTH" | "EXAMPLES_SYNTH") => (): string => {
  const dir = process.env[variable];
  if (!dir) throw new Error(`${variable} is not set: run the tests through jest, whose global setup synthesizes it`);
  return dir;
};

/** The fixture project (`__tests__/fixtures/project`) as the global setup synthesized it once. */
export const fixtureSynth = synthesized("the fixture project", setBySetup("FIXTURE_SYNTH"));

/** The microservices example (`examples/microservices/config`, reference design 004), synthesized once by the global setup. */
export const exampleSynth = synthesized("examples/microservices", setBySetup("EXAMPLE_SYNTH"));

/** The folders of examples/, each an example (its environment files in `config/`), sorted. */
export function exampleNames(): string[] {
  const dir = path.join(ROOT, "examples");
  return readdirSync(dir).filter((name) => statSync(path.join(dir, name)).isDirectory()).sort();
}

/** An example as the global setup synthesized it once (`examples/<name>/config`). */
export function examplesSynth(name: string) {
  return synthesized(`examples/${name}`, () => path.join(setBySetup("EXAMPLES_SYNTH")(), name));
}

/** How the global setup's synth of an example ended, or undefined when it made none (no `config/` folder). */
export function exampleSynthResult(name: string): SynthResult | undefined {
  const file = path.join(setBySetup("EXAMPLES_SYNTH")(), name, SYNTH_RESULT);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as SynthResult) : undefined;
}

/** The example's config folder. */
export const EXAMPLE_CONFIG = path.join("examples", "microservices", "config");
