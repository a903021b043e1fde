import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

/**
 * The interface endpoints nodes need to pull images, get IRSA credentials and ship logs
 * privately, and Secrets Manager's: External Secrets reads it from the nodes, and the database's
 * bootstrap function from the data subnets, which have no route out at all.
 */
export const DEFAULT_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "logs", "secretsmanager"] as const;

/** Props of {@link VpcEndpoints}. */
export interface VpcEndpointsProps {
  /** Environment name, used in resource names. */
  readonly name: string;
  /** Region of the endpoint services (`com.amazonaws.<region>.<service>`). */
  readonly region: string;
  /** The VPC the endpoints serve. */
  readonly vpcId: string;
  /** Only traffic from this block may reach the interface endpoints. */
  readonly vpcCidr: string;
  /** Subnets (one per zone) that hold the interface endpoints' network interfaces. */
  readonly subnetIds: readonly string[];
  /** Route tables that get a route to the S3 gateway endpoint. */
  readonly routeTableIds: readonly string[];
  /**
   * Interface endpoint services, without the `com.amazonaws.<region>.` prefix.
   * @default DEFAULT_INTERFACE_ENDPOINTS
   */
  readonly interfaceServices?: readonly string[];
}

/**
 * Private access to AWS APIs: an S3 gateway endpoint (free; ECR layers live in S3) and interface
 * endpoints behind a security group that admits HTTPS from the VPC only. Traffic to these
 * services then never crosses a NAT gateway, which is cheaper and keeps it off the internet.
 */
export class VpcEndpoints extends Construct {
  /** The interface endpoints' security group. */
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    new VpcEndpoint(this, "s3", {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...props.routeTableIds],
      tags: { Name: `${props.name}-s3` },
    });
    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: `${props.name}-vpc-endpoints`,
      description: "Interface VPC endpoints: HTTPS from inside the VPC only",
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-vpc-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, "https-from-vpc", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS from the VPC to the interface endpoints",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.vpcCidr,
    });
    for (const service of props.interfaceServices ?? DEFAULT_INTERFACE_ENDPOINTS) {
      new VpcEndpoint(this, service.replace(/\./g, "-"), {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: [...props.subnetIds],
        securityGroupIds: [this.securityGroup.id],
        tags: { Name: `${props.name}-${service}` },
      });
    }
  }
}
