import { k8s } from "cdk8s-plus-34";
import { type Construct } from "constructs";

/** Props of {@link dataSubnetEgress}. */
export interface DataSubnetEgressProps {
  /** The services' namespace. */
  readonly namespace: string;
  /** The data subnets' CIDRs (RDS, MSK). */
  readonly dataCidrs: readonly string[];
  /** The ports the services reach there: the database's, and Kafka's client ports. */
  readonly ports: readonly number[];
}

/**
 * The services' pods reach the data subnets only on the data stores' client ports. Without it,
 * every pod could reach the MSK brokers' exporters (11001–11002), which the brokers' security
 * group opens to the nodes so that Prometheus can scrape them: with no security group per pod,
 * the node's group is every pod's. This leaves Prometheus, in its own namespace, the only pods
 * that scrape them. Everything outside the data subnets stays reachable: the namespace has no
 * default-deny egress (yet), and DNS, the VPC endpoints and the internet through NAT must work.
 * NetworkPolicies add up, so this one policy is the namespace's whole egress allow-list.
 */
export function dataSubnetEgress(scope: Construct, props: DataSubnetEgressProps): k8s.KubeNetworkPolicy {
  return new k8s.KubeNetworkPolicy(scope, "app-data-egress", {
    metadata: { name: "egress-to-data-stores-only-on-their-ports", namespace: props.namespace },
    spec: {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...props.dataCidrs] } }] },
        ...(props.ports.length ? [{ to: props.dataCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: props.ports.map((port) => ({ protocol: "TCP", port: k8s.IntOrString.fromNumber(port) })) }] : []),
      ],
    },
  });
}
