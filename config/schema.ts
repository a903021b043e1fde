import { z } from "zod";
import { cidrProblem, prefixOf, SUBNET_PREFIX, VPC_PREFIX } from "./cidr";
import { REGIONS } from "./regions";

/**
 * The schema of one environment file (`config/<env>.yaml`). It is the single source of the
 * TypeScript types and of the committed JSON Schema (`config/environment.schema.json`) that
 * editors use to complete and check the YAML. Checks that need more than one field, or more than
 * one file, live in `checks.ts`.
 */

/** An object that rejects unknown keys (typos) and says which keys it does allow. */
function strict<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `unknown key; allowed keys here: ${allowed}` : undefined),
  });
}

const nonEmpty = z.string().min(1, "must not be empty").refine((value) => value.trim() !== "", "must not be empty");

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const vpcCidr = z.string().superRefine((value, ctx) => {
  const problem = cidrProblem(value);
  if (problem) return void ctx.addIssue({ code: "custom", message: problem, input: value });
  const prefix = prefixOf(value);
  if (prefix < VPC_PREFIX.min || prefix > VPC_PREFIX.max) {
    ctx.addIssue({ code: "custom", input: value, message: `prefix /${prefix} is outside the allowed /${VPC_PREFIX.min}–/${VPC_PREFIX.max}` });
  }
});

const subnetPrefix = z
  .int()
  .min(SUBNET_PREFIX.min, `must be between ${SUBNET_PREFIX.min} and ${SUBNET_PREFIX.max} (AWS subnet sizes)`)
  .max(SUBNET_PREFIX.max, `must be between ${SUBNET_PREFIX.min} and ${SUBNET_PREFIX.max} (AWS subnet sizes)`);

const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN such as arn:aws:iam::123456789012:role/deploy");

export const accountSchema = strict({
  /** The AWS account id. Quoted in YAML, so that leading zeros survive. */
  id: z.string().regex(/^\d{12}$/, "must be exactly 12 digits, quoted (e.g. \"123456789012\")"),
  /** The region every stack of this environment deploys to. */
  region: z.enum(REGIONS),
  /** An IAM role the AWS provider assumes to deploy; omit to use the caller's credentials. */
  deployRoleArn: roleArn.optional(),
  /**
   * Roles that read and write this environment's Terraform state (CI's plan and apply roles,
   * operators): each gets the state bucket, key and lock table for `<env>/` keys only. They must
   * exist before the state-backend stack is applied.
   */
  stateRoleArns: z.array(roleArn).default([]),
});

export const networkSchema = strict({
  /** The VPC's IPv4 block, /16 to /24. Must not overlap another environment's (they get peered). */
  vpcCidr,
  /** Availability zones to spread subnets over: at least 2, at most what the region has. */
  azCount: z.int().min(2, "must be at least 2: EKS and Multi-AZ RDS need subnets in two zones").max(6),
  /** `per-az`: a NAT gateway per zone, so a zone outage cannot cut egress for the others. `single`: one, cheaper. */
  natMode: z.enum(["single", "per-az"]),
  /** Prefix length of each tier's subnets. */
  subnetPrefixLength: strict({ public: subnetPrefix, private: subnetPrefix, data: subnetPrefix }).default({
    public: 24,
    private: 20,
    data: 24,
  }),
  /** How long VPC flow logs are kept, in days (one of CloudWatch's allowed periods). */
  flowLogRetentionDays: z.literal(LOG_RETENTION_DAYS).default(365),
});

export const policySchema = strict({
  /**
   * Severity per rule id for this environment, e.g. `PI-RDS-003: error` in production. Rules
   * can be made stricter or laxer here, never switched off (docs/policy-rules.md).
   */
  severity: z.record(z.string().regex(/^PI-[A-Z0-9]+-\d{3}$/, "must be a rule id such as PI-RDS-003"), z.enum(["error", "warning"])).default({}),
});

export const environmentSchema = strict({
  /** Short environment name: part of every stack id and resource name. Never rename it. */
  name: z.string().regex(/^[a-z][a-z0-9]{1,9}$/, "must be 2–10 lowercase letters or digits, starting with a letter"),
  /** Marks an environment as production: stricter checks (NAT per AZ) and policy severities apply. */
  production: z.boolean(),
  account: accountSchema,
  /** Tags on every resource. `owner` and `cost-center` are required; add any others. */
  tags: z.object({ owner: nonEmpty, "cost-center": nonEmpty }).catchall(nonEmpty),
  network: networkSchema,
  /**
   * Construct-path prefixes plan-guard protects on top of stateful types (e.g. NAT gateways whose
   * Elastic IPs partners allow-list): a plan that destroys or replaces them fails until allowed.
   */
  protect: z.array(z.string().regex(/^[a-z][a-z0-9]*-[a-z]+(\/[\w.-]+)*$/, "must be a construct path such as prod-network/network/nat")).default([]),
  /** Policy-pack settings of this environment. */
  policy: policySchema.default({ severity: {} }),
});

/** One validated environment, with defaults applied. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
/** What an environment file may contain (defaults not yet applied). */
export type EnvironmentInput = z.input<typeof environmentSchema>;
