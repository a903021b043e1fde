import { appNamespace, ciRoleArn, deployersGroup, type EnvironmentConfig, tenantsOf } from "../config";
import { type AccessGrant } from "../modules/eks/access";

/**
 * The access entries of a cluster host's tenants, made by the host's `<env>-eks`: each tenant's
 * CI roles and people reach its namespace and nothing else of the cluster. Its apply role and
 * editors write, through the deployers group, exactly what its services' releases make there
 * (k8s/member-namespace.ts, DEPLOYER_RESOURCES): no EKS access policy that writes, since
 * AmazonEKSEditPolicy writes NetworkPolicies; editors read the namespace too (AmazonEKSViewPolicy). Its plan and drift roles read its
 * namespace, Secrets included, which Helm keeps its releases' state in (AmazonEKSAdminViewPolicy);
 * its viewers read it without Secrets. None of them is a cluster admin, so none can touch the
 * platform's namespaces, another tenant's, or anything cluster-scoped.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 */
export function tenantAccessGrants(host: EnvironmentConfig): Record<string, AccessGrant> {
  const grants: Record<string, AccessGrant> = {};
  for (const tenant of tenantsOf(host)) {
    const namespaces = [appNamespace(tenant)];
    const group = [deployersGroup(tenant)];
    const id = (what: string) => `tenant-${tenant.name}-${what}`;
    // Its deployers' Role is all it writes with: AmazonEKSEditPolicy would let it loosen the namespace's NetworkPolicies.
    grants[id("ci-apply")] = { principalArn: ciRoleArn(tenant, "apply"), policies: [], kubernetesGroups: group };
    grants[id("ci-plan")] = { principalArn: ciRoleArn(tenant, "plan"), policies: [{ policy: "adminView", namespaces }] };
    grants[id("ci-drift")] = { principalArn: ciRoleArn(tenant, "drift"), policies: [{ policy: "adminView", namespaces }] };
    const cluster = tenant.cluster;
    cluster?.editors.forEach((arn, i) => (grants[id(`editor-${i}`)] = { principalArn: arn, policies: [{ policy: "view", namespaces }], kubernetesGroups: group }));
    cluster?.viewers.forEach((arn, i) => (grants[id(`viewer-${i}`)] = { principalArn: arn, policies: [{ policy: "view", namespaces }] }));
  }
  return grants;
}
