import { type Construct } from "constructs";
import { ciRoleArn, clusterAutoscalerEnabled, clusterName, nodeGroupLabels, nodeGroupTaints, releaseNamespaces, tracingEnabled } from "../config";
import { OTLP_GRPC_PORT, OTLP_HTTP_PORT } from "../modules/addons/otel-collector";
import { type AccessGrant, ClusterAccess } from "../modules/eks/access";
import { tenantAccessGrants } from "./tenant-access";
import { Addons } from "../modules/eks/addons";
import { ApiAccess } from "../modules/eks/api-access";
import { Cluster } from "../modules/eks/cluster";
import { NodeGroup } from "../modules/eks/node-group";
import { PodSecurityGroups } from "../modules/eks/pod-security-groups";
import { MANAGED_POLICIES } from "../modules/iam/managed-policies";
import { serviceTrust } from "../modules/iam/policy-document";
import { Role } from "../modules/iam/role";
import { EKS_CONTRACT } from "./contracts/eks";
import { clusterSubnetIds, networkFromRemoteState } from "./contracts/network";
import { podSecurityGroupServices } from "./pod-security-group-services";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";

/** Node-role policies: join the cluster, pull images, be reached through SSM. Not the CNI policy: vpc-cni has its own role. */
const NODE_POLICIES = [MANAGED_POLICIES.eksWorkerNode, MANAGED_POLICIES.ecrPullOnly, MANAGED_POLICIES.ssmManagedInstanceCore];

/** `<env>-eks`: the cluster, its node groups, managed add-ons and who may use it. */
export class EksStack extends EnvironmentStack {
  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "eks", props);
    const { env } = props;
    const { eks, account } = env;
    const network = networkFromRemoteState(this, props.backend, env);
    const name = clusterName(env);

    const cluster = new Cluster(this, "cluster", {
      name,
      version: eks.version,
      accountId: account.id,
      region: account.region,
      // The cluster's network interfaces go in the control-plane tier where config has one (EKS
      // recommends small dedicated subnets for them), else beside the nodes. Switching changes
      // subnet_ids in place (UpdateClusterConfig; AWS provider >= 5.25.0), in the same zones, as
      // EKS requires of a change (docs.aws.amazon.com/eks/latest/userguide/network-reqs.html).
      subnetIds: clusterSubnetIds(network),
      vpcId: network.vpcId,
      publicAccessCidrs: eks.publicAccessCidrs,
      supportType: eks.supportType,
      deletionProtection: eks.deletionProtection,
      logRetentionDays: eks.logRetentionDays,
      permissionsBoundaryArn: network.permissionsBoundaryArn,
    });
    if (eks.apiAccess.length > 0) new ApiAccess(this, "api-access", { apiSecurityGroupId: cluster.apiSecurityGroup.id, sources: eks.apiAccess });
    const nodeRole = new Role(this, "node-role", {
      name: `${name}-nodes`,
      description: `Nodes of ${name}`,
      trust: [serviceTrust("ec2.amazonaws.com", account.id)],
      permissionsBoundaryArn: network.permissionsBoundaryArn,
      managedPolicyArns: NODE_POLICIES,
    });
    // With the Cluster Autoscaler, it owns each group's desired size; otherwise Terraform does.
    const autoscaled = clusterAutoscalerEnabled(env);
    const groups = Object.entries(eks.nodeGroups).map(([group, spec]) => {
      return new NodeGroup(this, `node-group-${group}`, {
        clusterName: cluster.cluster.name,
        name: group,
        nodeRoleArn: nodeRole.arn,
        subnetIds: network.subnetIds.private,
        instanceTypes: spec.instanceTypes,
        amiType: spec.amiType,
        // The cluster's version (a reference: upgraded after the control plane, in the same apply).
        version: cluster.cluster.version,
        capacityType: spec.capacityType,
        size: spec.size,
        autoscaled,
        maxUnavailablePercentage: spec.maxUnavailablePercentage,
        diskSizeGiB: spec.diskSizeGiB,
        // The system group tainted CriticalAddonsOnly; a shared group labelled for both kinds of pods (config/node-groups.ts).
        labels: nodeGroupLabels(group, spec),
        taints: nodeGroupTaints(group, spec),
      }).nodeGroup;
    });
    const workloadCluster = { name: cluster.cluster.name, oidcProviderArn: cluster.oidcProvider.arn, oidcIssuer: cluster.oidcIssuer, accountId: account.id };
    // Pod ENIs need the VPC resource controller's policy on the cluster role first.
    new Addons(this, "addons", { cluster: workloadCluster, version: eks.version, rolePrefix: `${env.name}-`, permissionsBoundaryArn: network.permissionsBoundaryArn, nodeGroups: groups, podEniPermission: cluster.podEniPermission });
    // A security group per service, of this environment and of each tenant: their data stores admit it alone.
    const podGroups = new PodSecurityGroups(this, "pod-security-groups", {
      vpcId: network.vpcId,
      clusterName: name,
      clusterSecurityGroupId: cluster.clusterSecurityGroupId,
      endpointSecurityGroupId: network.endpointSecurityGroupId,
      podCidrs: network.subnetCidrs.private,
      dataCidrs: network.subnetCidrs.data,
      otlpPorts: tracingEnabled(env) ? [OTLP_GRPC_PORT, OTLP_HTTP_PORT] : undefined,
      services: podSecurityGroupServices(env),
    });

    const grants: Record<string, AccessGrant> = {
      // Applies everything, the platform's Helm releases included.
      "ci-apply": { principalArn: ciRoleArn(env, "apply"), policies: [{ policy: "admin" }] },
      // Plans the platform and app stacks: reads the cluster, and the Secrets in which Helm keeps
      // the state of its releases, in the release namespaces only. Those hold workload secrets
      // too (External Secrets' copies), so a production plan role is assumable only after an
      // approval in its plan-<env> GitHub Environment (docs/architecture.md, "What a pull request can read").
      "ci-plan": { principalArn: ciRoleArn(env, "plan"), policies: [{ policy: "view" }, { policy: "adminView", namespaces: releaseNamespaces(env) }] },
      "ci-drift": { principalArn: ciRoleArn(env, "drift"), policies: [{ policy: "view" }, { policy: "adminView", namespaces: releaseNamespaces(env) }] },
    };
    eks.admins.forEach((arn, i) => (grants[`admin-${i}`] = { principalArn: arn, policies: [{ policy: "admin" }] }));
    eks.viewers.forEach((arn, i) => (grants[`viewer-${i}`] = { principalArn: arn, policies: [{ policy: "view" }] }));
    // Each tenant's CI and people reach its namespace only (stacks/tenant-access.ts).
    Object.assign(grants, tenantAccessGrants(env));
    new ClusterAccess(this, "access", { clusterName: cluster.cluster.name, grants, cluster: cluster.cluster });

    EKS_CONTRACT.publish(this, {
      cluster_name: cluster.cluster.name,
      cluster_arn: cluster.cluster.arn,
      cluster_endpoint: cluster.cluster.endpoint,
      cluster_certificate_authority: cluster.cluster.certificateAuthority.get(0).data,
      oidc_issuer: cluster.oidcIssuer,
      oidc_provider_arn: cluster.oidcProvider.arn,
      cluster_security_group_id: cluster.clusterSecurityGroupId,
      api_security_group_id: cluster.apiSecurityGroup.id,
      node_security_group_id: cluster.clusterSecurityGroupId,
      node_role_arn: nodeRole.arn,
      node_role_name: nodeRole.name,
      secrets_kms_key_arn: cluster.secretsKey.arn,
      pod_security_groups: podGroups.ids,
    });
  }
}
