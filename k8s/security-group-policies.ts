import { Construct } from "constructs";
import { MIGRATIONS_SUFFIX } from "../config/services";
import { SecurityGroupPolicy } from "./crds/vpc-resources";
import { OWN_CHART_PODS_ANNOTATION } from "./validation/cross-checks";

/** One service whose pods get its own security group. */
export interface ServicePods {
  /** The environment it belongs to (the cluster host, or a tenant). */
  readonly environment: string;
  /** Its namespace: a SecurityGroupPolicy matches pods of its own namespace only. */
  readonly namespace: string;
  readonly service: string;
  /** Its pods' group, `<env>-<service>-pods` (`<host>-eks`'s `pod_security_groups`). */
  readonly securityGroupId: string;
  /**
   * Whether it deploys a chart of its own, whose objects the project does not render: its pods
   * must carry `app.kubernetes.io/name: <service>` as the shipped chart's do, and the cross-object
   * checks cannot see them (the policy says so: {@link OWN_CHART_PODS_ANNOTATION}).
   * @default false
   */
  readonly ownChart?: boolean;
}

/** The label the shipped chart gives a service's pods, and its migrations Job's (`<service>-migrations`, k8s/app-migrations.ts). */
const NAME_LABEL = "app.kubernetes.io/name";

/**
 * A SecurityGroupPolicy per service, `<service>-pods` in its namespace: its Deployment's pods and
 * its migrations Job's get its group, and that group alone (never the cluster security group as
 * well: the pod would get everything that group is admitted to, and a second group would need
 * the load balancer controller's cluster tag on exactly one of them). The Job must reach the
 * database as the service does.
 *
 * The cluster host's platform release makes them, for itself and for every tenant: a tenant's
 * people and CI may not write SecurityGroupPolicies (EKS's access policies do not cover
 * vpcresources.k8s.aws, and the deployers' Role leaves them out), since one could name another
 * environment's group. Applied before the services' releases: the controller gives a group only
 * to pods created after their policy (EKS user guide, security-groups-for-pods).
 */
export class ServiceSecurityGroupPolicies extends Construct {
  constructor(scope: Construct, id: string, services: readonly ServicePods[]) {
    super(scope, id);
    for (const s of services) {
      new SecurityGroupPolicy(this, `${s.environment}-${s.service}`, {
        metadata: {
          name: `${s.service}-pods`,
          namespace: s.namespace,
          labels: { "platform/environment": s.environment },
          ...(s.ownChart ? { annotations: { [OWN_CHART_PODS_ANNOTATION]: "true" } } : {}),
        },
        spec: {
          podSelector: { matchExpressions: [{ key: NAME_LABEL, operator: "In", values: [s.service, `${s.service}${MIGRATIONS_SUFFIX}`] }] },
          securityGroups: { groupIds: [s.securityGroupId] },
        },
      });
    }
  }
}
