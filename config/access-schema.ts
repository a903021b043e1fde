import { z } from "zod";
import { LOG_RETENTION_DAYS } from "../modules/logs/retention";
import { cidrProblem } from "./cidr";
import { nonEmpty, strict } from "./strict";

/**
 * How CI and people reach an environment's cluster API: CI's runner (`ci`), the access host
 * (`access`), and further sources admitted to the private endpoint (`eks.apiAccess`).
 * docs/architecture.md, "Reaching the cluster", says why each exists.
 */

/** CodeBuild compute types a runner may use (ARM containers: 2, 4 and 8 vCPUs). */
export const RUNNER_COMPUTE_TYPES = ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"] as const;

export const ciSchema = strict({
  runner: z
    .enum(["codebuild", "hosted"])
    .default("codebuild")
    .describe(
      "Where CI's jobs that talk to the cluster API (the platform and app stacks) run. `codebuild`: ephemeral GitHub Actions runners hosted by AWS CodeBuild in the environment's private subnets (a private endpoint needs them). `hosted`: GitHub's runners on the internet, only for a cluster whose public endpoint admits them (eks.publicAccessCidrs).",
    ),
  connectionArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/,
      "must be the ARN of an AWS CodeConnections connection to GitHub, such as arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-…",
    )
    .optional()
    .describe("The CodeConnections connection to GitHub the runner's webhook and jobs use: made once by an operator in the environment's account and region (docs/first-deployment.md, \"The runner's connection\"). Required with `runner: codebuild`."),
  computeType: z.enum(RUNNER_COMPUTE_TYPES).default("BUILD_GENERAL1_MEDIUM").describe("Size of each runner (an ARM container): SMALL 2 vCPU/4 GB, MEDIUM 4 vCPU/8 GB, LARGE 8 vCPU/16 GB."),
  logRetentionDays: z.literal(LOG_RETENTION_DAYS).default(90).describe("Retention of the runner's build logs, in days."),
}).describe("CI's runner for the jobs that reach the cluster API.");

export const accessSchema = strict({
  host: z
    .boolean()
    .default(false)
    .describe("An access host for people: the smallest Graviton instance in a private subnet, no public IP, no SSH key, no inbound rule, reached through Session Manager only; `npm run kube -- --env <env>` tunnels to the cluster API through it."),
  sessionLogRetentionDays: z.literal(LOG_RETENTION_DAYS).default(365).describe("Retention of Session Manager's shell-session logs, in days."),
}).describe("How people reach the cluster from their machines.");

/** One source admitted to the private API endpoint on 443. */
export const apiAccessSchema = strict({
  cidr: z
    .string()
    .superRefine((value, ctx) => {
      const problem = cidrProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
    })
    .optional()
    .describe("A private address range routed to the VPC (a VPN's or a peered network's), in CIDR notation."),
  securityGroupId: z.string().regex(/^sg-[0-9a-f]{8,17}$/, "must be a security group id such as sg-0123456789abcdef0").optional().describe("A security group of the same VPC whose members may reach the API."),
  description: nonEmpty.describe("Who this source is, for the reviewers of the rule (e.g. \"office VPN\")."),
});

export const ACCESS_DEFAULTS = {
  ci: { runner: "codebuild", computeType: "BUILD_GENERAL1_MEDIUM", logRetentionDays: 90 },
  access: { host: false, sessionLogRetentionDays: 365 },
} as const;
