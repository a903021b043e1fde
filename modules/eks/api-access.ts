import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

/** One source admitted to the cluster's private API endpoint. */
export interface ApiAccessSource {
  /** A private range routed to the VPC (a VPN's); exactly one of this and {@link securityGroupId}. */
  readonly cidr?: string;
  /** A security group of the VPC. */
  readonly securityGroupId?: string;
  /** Who the source is, for reviewers. */
  readonly description: string;
}

/** Props of {@link ApiAccess}. */
export interface ApiAccessProps {
  /** The API's own security group (on the control plane's network interfaces only). */
  readonly apiSecurityGroupId: string;
  readonly sources: readonly ApiAccessSource[];
}

/**
 * Admits further sources to the private API endpoint on 443 (config's `eks.apiAccess`), one rule
 * each, keyed by position so the addresses stay readable. Config refused public ranges before:
 * the private endpoint can never be reached from the internet.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
 */
export class ApiAccess extends Construct {
  constructor(scope: Construct, id: string, props: ApiAccessProps) {
    super(scope, id);
    props.sources.forEach((source, i) => {
      if ((source.cidr === undefined) === (source.securityGroupId === undefined)) {
        throw new Error(`${this.node.path}: source ${i} ("${source.description}") needs exactly one of cidr or securityGroupId`);
      }
      admitToApi(this, `source-${i}`, props.apiSecurityGroupId, source);
    });
  }
}

/**
 * One rule admitting a source to the cluster API on 443, in the API's own security group: what
 * `eks.apiAccess`, CI's runner and the access host each get.
 */
export function admitToApi(scope: Construct, id: string, apiSecurityGroupId: string, source: ApiAccessSource): VpcSecurityGroupIngressRule {
  return new VpcSecurityGroupIngressRule(scope, id, {
    securityGroupId: apiSecurityGroupId,
    description: `Cluster API from ${source.description}`,
    ...(source.cidr !== undefined ? { cidrIpv4: source.cidr } : { referencedSecurityGroupId: source.securityGroupId }),
    ipProtocol: "tcp",
    fromPort: 443,
    toPort: 443,
  });
}
