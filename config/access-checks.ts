import { isPrivateCidr } from "./cidr";
import { type FieldProblem } from "./checks";
import { type EnvironmentConfig } from "./schema";

/**
 * Whether the environment has a stack whose providers talk to the cluster API (a layer of
 * CLUSTER_LAYERS: `<env>-platform`, `<env>-app`). Only those need CI's in-VPC runner (a test
 * keeps this in step with the registry).
 */
export function reachesCluster(env: Pick<EnvironmentConfig, "platform" | "services">): boolean {
  return env.platform !== undefined || Object.keys(env.services).length > 0;
}

/** Whether the environment gets a CodeBuild runner: it has stacks that reach the cluster, and chose `ci.runner: codebuild`. */
export function hasCodebuildRunner(env: EnvironmentConfig): boolean {
  return reachesCluster(env) && env.ci.runner === "codebuild";
}

/**
 * Checks of the paths to the cluster API: CI's runner can reach the endpoint it must, the
 * runner's connection is in the environment's account and region, and every extra source of
 * the private endpoint is a private range.
 */
export function checkAccess(env: EnvironmentConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { ci, eks, account } = env;
  const privateOnly = eks.publicAccessCidrs.length === 0;
  if (reachesCluster(env) && ci.runner === "hosted" && privateOnly) {
    problems.push({
      field: "ci.runner",
      value: ci.runner,
      message:
        "GitHub's hosted runners are on the internet and cannot reach this cluster's private-only API endpoint, so CI could never plan or apply the platform and app stacks; use runner: codebuild (an in-VPC runner), or open the public endpoint to CI's ranges in eks.publicAccessCidrs",
    });
  }
  if (hasCodebuildRunner(env) && ci.connectionArn === undefined) {
    problems.push({
      field: "ci.connectionArn",
      message:
        "is required with runner: codebuild: the runner's webhook and jobs reach GitHub through a CodeConnections connection an operator makes once (docs/first-deployment.md, \"The runner's connection\"); write its ARN here",
    });
  }
  // The account must match; the region need not: CodeBuild uses connections of other regions
  // (CodeConnections is in fewer regions than CodeBuild).
  // @see https://docs.aws.amazon.com/codebuild/latest/userguide/connections-github-app.html
  if (ci.connectionArn !== undefined) {
    const accountId = ci.connectionArn.split(":")[4];
    if (accountId !== account.id) {
      problems.push({
        field: "ci.connectionArn",
        value: ci.connectionArn,
        message: `is in account ${accountId}, but the runner is made in ${account.id}: CodeBuild uses connections of its own account only; make the connection there`,
      });
    }
  }
  eks.apiAccess.forEach((source, i) => {
    const at = `eks.apiAccess.${i}`;
    if ((source.cidr === undefined) === (source.securityGroupId === undefined)) {
      problems.push({ field: at, value: source.description, message: "needs exactly one of cidr or securityGroupId: one source per entry" });
    } else if (source.cidr !== undefined && !isPrivateCidr(source.cidr)) {
      problems.push({
        field: `${at}.cidr`,
        value: source.cidr,
        message: `is not a private (RFC 1918) range: the private endpoint is reached from inside the VPC and what is routed to it, never from the internet; for a public address use eks.publicAccessCidrs (the public endpoint), or give the VPN's private range`,
      });
    }
  });
  return problems;
}
