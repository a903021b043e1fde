import { TerraformOutput } from "cdktf";
import { type Construct } from "constructs";
import { accessHostName, hasCodebuildRunner, runnerProjectName } from "../config";
import { AccessHost } from "../modules/access/access-host";
import { CodebuildRunner } from "../modules/ci/codebuild-runner";
import { eksFromRemoteState } from "./contracts/eks";
import { networkFromRemoteState } from "./contracts/network";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";

/**
 * `<env>-access`: the paths to the cluster's private API endpoint. CI's runner (`ci.runner:
 * codebuild`), on which the jobs that plan and apply the platform and app stacks run, and the
 * access host people tunnel through (`access.host`). Applied after the cluster, with the AWS
 * provider only, so hosted runners plan and apply it; the platform layer follows it.
 */
export class AccessStack extends EnvironmentStack {
  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "access", props);
    const { env } = props;
    const { account } = env;
    const network = networkFromRemoteState(this, props.backend, env);
    const cluster = eksFromRemoteState(this, props.backend, env);
    const common = { accountId: account.id, region: account.region, vpcId: network.vpcId, subnetIds: network.subnetIds.private, apiSecurityGroupId: cluster.api_security_group_id, permissionsBoundaryArn: network.permissionsBoundaryArn };

    if (hasCodebuildRunner(env)) {
      const runner = new CodebuildRunner(this, "runner", {
        ...common,
        name: runnerProjectName(env),
        repository: props.project.githubRepository,
        // Config refuses a codebuild runner without its connection.
        connectionArn: env.ci.connectionArn as string,
        computeType: env.ci.computeType,
        logRetentionDays: env.ci.logRetentionDays,
      });
      new TerraformOutput(this, "runner_project", { value: runner.project.name, description: "CodeBuild project of CI's runner: jobs run on `codebuild-<project>-<run id>-<attempt>`" });
      new TerraformOutput(this, "runner_role_arn", { value: runner.role.arn, description: "The runner's own role (logs and network interfaces only)" });
    }
    if (env.access.host) {
      const host = new AccessHost(this, "host", { ...common, name: accessHostName(env), vpcCidr: network.vpcCidr, sessionLogRetentionDays: env.access.sessionLogRetentionDays });
      new TerraformOutput(this, "access_host_group", { value: host.group.name, description: "Auto Scaling group of the access host: `npm run kube -- --env <env>` finds its instance by it" });
      new TerraformOutput(this, "session_document", { value: host.sessionDocument.name, description: "Session document for logged, encrypted shell sessions on the host" });
    }
  }
}
