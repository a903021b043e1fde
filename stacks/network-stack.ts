import { type Construct } from "constructs";
import { alertEmailAddresses, alertTopicName, clusterName, permissionsBoundaryName } from "../config";
import { AlertTopic } from "../modules/alerts/alert-topic";
import { NatAlarms } from "../modules/alarms/nat-alarms";
import { PermissionsBoundary } from "../modules/iam/permissions-boundary";
import { ACCESS_HOST_ENDPOINTS } from "../modules/access/access-host";
import { Network } from "../modules/network/network";
import { DEFAULT_INTERFACE_ENDPOINTS } from "../modules/network/vpc-endpoints";
import { NETWORK_CONTRACT, networkFacts, type NetworkOutputs } from "./contracts/network";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";
import { runbookBaseUrl } from "./runbooks";

/** `<env>-network`: the VPC and everything in it that has no workload of its own. */
export class NetworkStack extends EnvironmentStack {
  /** The network, as this stack sees it (consumers read the same through remote state). */
  readonly outputs: NetworkOutputs;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "network", props);
    const { network, account } = props.env;
    const facts = networkFacts(props.env);

    // The network stack is the first of an environment, so it owns the boundary every later
    // stack's roles use (by its ARN, which is known at synth time).
    const boundary = new PermissionsBoundary(this, "permissions-boundary", {
      name: permissionsBoundaryName(props.env),
      accountId: account.id,
      namePrefix: `${props.env.name}-`,
      karpenter: props.env.eks.karpenter ? { region: account.region, clusterName: clusterName(props.env) } : undefined,
    });
    const net = new Network(this, "network", {
      name: props.env.name,
      accountId: account.id,
      region: account.region,
      vpcCidr: network.vpcCidr,
      subnets: facts.subnetCidrs,
      natMode: network.natMode,
      // What the EKS layer's controllers discover subnets by: load balancers (AWS Load Balancer
      // Controller) and nodes (Karpenter). The control-plane tier gets neither: nothing but the
      // cluster's own network interfaces goes there.
      subnetTags: {
        public: { "kubernetes.io/role/elb": "1" },
        private: { "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": clusterName(props.env) },
      },
      flowLogRetentionDays: network.flowLogRetentionDays,
      // The access host reaches Session Manager and KMS through endpoints: it sends nothing out of the VPC.
      interfaceEndpoints: props.env.access.host ? [...DEFAULT_INTERFACE_ENDPOINTS, ...ACCESS_HOST_ENDPOINTS] : undefined,
      permissionsBoundaryArn: boundary.arn,
    });
    // The environment's alert topic: this stack is applied first, so every later layer's alarms
    // (and Alertmanager's email receivers) can notify it, by the ARN config computes.
    const alerts = new AlertTopic(this, "alerts", { name: alertTopicName(props.env), accountId: account.id, region: account.region, emailAddresses: alertEmailAddresses(props.env) });
    new NatAlarms(this, "nat-alarms", { namePrefix: props.env.name, natGatewayIds: net.natGatewayIds, topicArn: alerts.arn, runbookBaseUrl: runbookBaseUrl(props.project), thresholds: props.env.observability.alarms.nat });
    const inZoneOrder = (ids: Readonly<Record<string, string>>) => facts.availabilityZones.map((zone) => ids[zone] as string);
    this.outputs = {
      ...facts,
      vpcId: net.vpc.id,
      subnetIds: {
        public: inZoneOrder(net.subnetIds.public),
        private: inZoneOrder(net.subnetIds.private),
        data: inZoneOrder(net.subnetIds.data),
        controlPlane: facts.subnetCidrs.controlPlane ? inZoneOrder(net.subnetIds.controlPlane) : [],
      },
      endpointSecurityGroupId: net.endpointSecurityGroupId,
    };
    NETWORK_CONTRACT.publish(this, {
      vpc_id: this.outputs.vpcId,
      public_subnet_ids: this.outputs.subnetIds.public,
      private_subnet_ids: this.outputs.subnetIds.private,
      data_subnet_ids: this.outputs.subnetIds.data,
      control_plane_subnet_ids: this.outputs.subnetIds.controlPlane,
      availability_zones: facts.availabilityZones,
      vpc_endpoint_security_group_id: this.outputs.endpointSecurityGroupId,
      alert_topic_key_arn: alerts.key.arn,
    });
  }
}
