import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Testing, type TerraformStack } from "cdktf";
import { stringify } from "yaml";
import { environmentSchema, loadBackendSettings, loadEnvironments, loadProjectSettings, type EnvironmentConfig, type EnvironmentInput } from "../config";
import { isSecretName, maskSecretShapes } from "../policy/secrets";
import { stackView } from "../policy/stack-view";
import { type Statement, statements } from "../policy/rules/helpers";
import { type PlatformInputs, PlatformStack } from "../stacks";
import { type Construct } from "constructs";

/**
 * The day every test judges config on: fixed, so the suite passes on any date. On it the shipped
 * configuration is fully supported (its Kubernetes version is far from leaving standard support);
 * tests of the support window pass dates of their own.
 */
export const TEST_NOW = new Date("2026-12-01T00:00:00Z");

/** The project's root folder (shipped config, backend.config, cdktf.json). */
export const ROOT = path.resolve(__dirname, "..");

/** The inputs the shipped project synthesizes from. */
export function shippedInputs(): PlatformInputs {
  return {
    project: loadProjectSettings(path.join(ROOT, "cdktf.json")),
    backend: loadBackendSettings(path.join(ROOT, "backend.config")),
    environments: loadEnvironments({ configDir: path.join(ROOT, "config"), now: TEST_NOW }),
  };
}

/** Names of the shipped environments, from the config folder's file names (sorted). */
export function shippedEnvironmentNames(): string[] {
  return readdirSync(path.join(ROOT, "config"))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ""))
    .sort();
}

/** A valid environment file's content; tests override one field at a time. */
export function validEnvironmentInput(overrides: Partial<EnvironmentInput> = {}): EnvironmentInput {
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
  };
}

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

/** A throwaway project folder: cdktf.json, backend.config and the given environment files. */
export function tempProject(environments: Record<string, unknown> = {}, options: { copyShippedConfig?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "platform-infra-"));
  cpSync(path.join(ROOT, "cdktf.json"), path.join(dir, "cdktf.json"));
  cpSync(path.join(ROOT, "backend.config"), path.join(dir, "backend.config"));
  mkdirSync(path.join(dir, "config"));
  if (options.copyShippedConfig) cpSync(path.join(ROOT, "config"), path.join(dir, "config"), { recursive: true, filter: (src) => !src.endsWith(".ts") });
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
