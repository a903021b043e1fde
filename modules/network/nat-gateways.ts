import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/** Props of {@link NatGateways}. */
export interface NatGatewaysProps {
  /** Prefix of the Name tags. */
  readonly namePrefix: string;
  /** `per-az`: one gateway per zone; `single`: one gateway, in the first zone, for all. */
  readonly mode: "single" | "per-az";
  /** Public subnet id per zone; gateways are placed in these. */
  readonly publicSubnetIds: Readonly<Record<string, string>>;
  /** The internet gateway, which must exist before a NAT gateway can route out. */
  readonly internetGateway: ITerraformDependable;
}

/** NAT gateways, each with its own Elastic IP, for egress from private subnets. */
export class NatGateways extends Construct {
  /** The gateways, by the zone each is in (one zone only in `single` mode). */
  readonly gatewayIds: Readonly<Record<string, string>>;
  private readonly byZone: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: NatGatewaysProps) {
    super(scope, id);
    const zones = Object.keys(props.publicSubnetIds);
    const gatewayZones = props.mode === "per-az" ? zones : zones.slice(0, 1);
    const gateways: Record<string, string> = {};
    for (const zone of gatewayZones) {
      const eip = new Eip(this, `eip-${zone}`, { domain: "vpc", tags: { Name: `${props.namePrefix}-nat-${zone}` } });
      const gateway = new NatGateway(this, zone, {
        allocationId: eip.allocationId,
        subnetId: props.publicSubnetIds[zone] as string,
        tags: { Name: `${props.namePrefix}-nat-${zone}` },
        dependsOn: [props.internetGateway],
      });
      gateways[zone] = gateway.id;
    }
    this.gatewayIds = gateways;
    this.byZone = Object.fromEntries(zones.map((zone) => [zone, gateways[zone] ?? (gateways[gatewayZones[0] as string] as string)]));
  }

  /** The NAT gateway that a zone's private subnets route through. */
  gatewayFor(zone: string): string {
    const id = this.byZone[zone];
    if (id === undefined) throw new Error(`No NAT gateway serves zone ${zone}; zones: ${Object.keys(this.byZone).join(", ")}`);
    return id;
  }
}
