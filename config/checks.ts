import { ALL_RULES } from "../policy/rules";
import { isPrivateCidr, overlaps, PRIVATE_RANGES } from "./cidr";
import { checkAccess } from "./access-checks";
import { checkApp } from "./app-checks";
import { checkArns } from "./arn-checks";
import { checkDatabase, checkStreaming } from "./data-checks";
import { checkDatabaseUsers } from "./database-users";
import { checkEdge } from "./edge-checks";
import { checkTopics } from "./topics";
import { checkKafkaLag } from "./scaling-checks";
import { checkMetrics } from "./metrics-checks";
import { checkEks } from "./eks-checks";
import { checkObservability } from "./observability-checks";
import { checkTracing } from "./tracing-checks";
import { checkPlatform } from "./platform-checks";
import { checkQuantities } from "./quantity-checks";
import { reuseProblems } from "./reuse-checks";
import { hostsCluster, tenancyProblems } from "./tenancy";
import { checkEnvironmentName } from "./name-checks";
import { checkStateAccess } from "./state-access-checks";
import { didYouMean } from "./near";
import { type ConfigProblem } from "./problems";
import { availabilityZones } from "./regions";
import { type EnvironmentConfig } from "./schema";
import { type AnyTier, MAX_ZONES, OPTIONAL_TIERS, planSubnets, TIERS } from "./subnet-plan";

/** A problem before it is given a file and line: just the field, message and value. */
export type FieldProblem = Pick<ConfigProblem, "field" | "message" | "value">;

/** Tag keys the project sets itself on every resource; config may not redefine them. */
export const RESERVED_TAG_KEYS = ["environment", "managed-by", "repository"] as const;

/**
 * Checks of one environment that need more than one field (the schema checks single fields), or
 * the date (`now`: the Kubernetes version's support window, not judged without it). Nothing here
 * reads the clock.
 */
export function checkEnvironment(env: EnvironmentConfig, now?: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { account, network } = env;
  const zones = availabilityZones(account.region);
  if (network.azCount > zones.length) {
    problems.push({
      field: "network.azCount",
      value: network.azCount,
      message: `${account.region} has ${zones.length} usable zones (${zones.join(", ")}); allowed: 2–${zones.length}`,
    });
  }
  if (env.production && network.natMode === "single") {
    problems.push({
      field: "network.natMode",
      value: network.natMode,
      message: 'a production environment needs a NAT gateway per zone, so one zone failing cannot cut egress for all; allowed: "per-az"',
    });
  }
  for (const key of RESERVED_TAG_KEYS) {
    if (key in env.tags) {
      problems.push({ field: `tags.${key}`, value: env.tags[key], message: `is set by the project on every resource; remove it (reserved: ${RESERVED_TAG_KEYS.join(", ")})` });
    }
  }
  env.protect.forEach((prefix, i) => {
    if (!prefix.startsWith(`${env.name}-`)) {
      problems.push({ field: `protect.${i}`, value: prefix, message: `must be a construct path in one of this environment's stacks, starting with "${env.name}-"` });
    }
  });
  for (const [ruleId, setting] of Object.entries(env.policy.severity)) {
    const rule = ALL_RULES.find((r) => r.id === ruleId);
    if (!rule) {
      problems.push({
        field: `policy.severity.${ruleId}`,
        value: setting,
        message: `names no rule of the policy pack${didYouMean(ruleId, ALL_RULES.map((r) => r.id))}; see docs/policy-rules.md for the rule ids`,
      });
    } else if (setting === "warning" && rule.severity === "error") {
      problems.push({
        field: `policy.severity.${ruleId}`,
        value: setting,
        message: `lowers an error rule ("${rule.title}") to a warning, which needs a reason a reviewer can accept: write ${ruleId}: { severity: warning, reason: "..." }`,
      });
    }
  }
  if (!isPrivateCidr(network.vpcCidr) && network.publicCidrReason === undefined) {
    problems.push({
      field: "network.vpcCidr",
      value: network.vpcCidr,
      message: `is not in private address space; allowed: a block inside ${PRIVATE_RANGES.join(", ")} (RFC 1918), or set network.publicCidrReason to say why this VPC needs public space`,
    });
  }
  if (network.azCount <= zones.length) problems.push(...checkSubnetsFit(env));
  problems.push(...checkEks(env, now), ...checkDatabase(env), ...checkDatabaseUsers(env), ...checkStreaming(env), ...checkTopics(env), ...checkEdge(env), ...checkAccess(env), ...checkPlatform(env), ...checkApp(env), ...checkKafkaLag(env), ...checkMetrics(env), ...checkArns(env), ...checkQuantities(env), ...checkStateAccess(env), ...checkEnvironmentName(env), ...checkObservability(env), ...checkTracing(env));
  return problems;
}

function checkSubnetsFit(env: EnvironmentConfig): FieldProblem[] {
  const { network, account } = env;
  const plan = planSubnets({ vpcCidr: network.vpcCidr, region: account.region, azCount: network.azCount, prefixLength: network.subnetPrefixLength });
  if (plan.fits) return [];
  const prefixes: Partial<Record<AnyTier, number>> = network.subnetPrefixLength;
  const tiers = [...TIERS, ...OPTIONAL_TIERS].filter((tier) => prefixes[tier] !== undefined).map((tier) => `${MAX_ZONES} × /${prefixes[tier]} ${tier}`).join(" + ");
  return [
    {
      field: "network.subnetPrefixLength",
      value: network.subnetPrefixLength,
      message:
        `subnets do not fit in ${network.vpcCidr}: ${tiers} (every tier reserves ${MAX_ZONES} zone slots, so adding a zone never renumbers a subnet) ` +
        `needs ${plan.needed} addresses, the VPC has ${plan.available}; use longer prefixes or a larger VPC`,
    },
  ];
}

/** An environment together with the file it came from, for cross-file checks. */
export interface SourcedEnvironment {
  /** The file it was read from, as shown in messages. */
  readonly file: string;
  /** The validated environment. */
  readonly config: EnvironmentConfig;
  /** Line of a dotted field path in the file, for messages. */
  readonly lineOf?: (field: string) => number | undefined;
}

/**
 * Checks across environments: unique names, VPC CIDRs that do not overlap (so they can be connected later), hosts
 * and zones no two environments can share (reuse-checks.ts), and tenants that fit their hosts (tenancy.ts).
 */
export function checkAcrossEnvironments(envs: readonly SourcedEnvironment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  envs.forEach((env, i) => {
    for (const earlier of envs.slice(0, i)) {
      if (earlier.config.name === env.config.name) {
        problems.push({
          file: env.file,
          line: env.lineOf?.("name"),
          environment: env.config.name,
          field: "name",
          value: env.config.name,
          message: `is already declared by ${earlier.file}; each environment name must be unique`,
        });
      }
      // A tenant has its host's VPC, not one of its own.
      if (hostsCluster(earlier.config) && hostsCluster(env.config) && overlaps(earlier.config.network.vpcCidr, env.config.network.vpcCidr)) {
        problems.push({
          file: env.file,
          line: env.lineOf?.("network.vpcCidr"),
          environment: env.config.name,
          field: "network.vpcCidr",
          value: env.config.network.vpcCidr,
          message: `overlaps ${earlier.config.network.vpcCidr} of ${earlier.config.name} (${earlier.file}); VPC CIDRs must not overlap across environments, so that they can be connected later (VPC peering, a transit gateway, a shared VPN) without renumbering one, and a route to either stays unambiguous; the project makes no peering itself`,
        });
      }
    }
  });
  problems.push(...reuseProblems(envs));
  for (const problem of tenancyProblems(envs.map((env) => env.config))) {
    const env = envs.find((e) => e.config.name === problem.environment)!;
    problems.push({ ...problem, file: env.file, line: env.lineOf?.(problem.field) });
  }
  return problems;
}
