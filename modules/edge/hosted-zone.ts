import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Construct } from "constructs";

/** Props of {@link HostedZone}. */
export interface HostedZoneProps {
  /** The zone's DNS name (`dev.example.com`). Changing it replaces the zone, and its name servers with it. */
  readonly name: string;
  /** What the zone is for, shown in the Route 53 console. */
  readonly comment: string;
}

/**
 * A public Route 53 hosted zone. Route 53 gives it four name servers of its own; until the
 * parent zone delegates to them (NS records), nothing in it resolves and ACM cannot validate a
 * certificate in it. Replacing the zone gives it new name servers, so the delegation breaks:
 * plan-guard refuses that like the loss of data. It is never force-destroyed: a zone that still
 * holds records (external-dns's) cannot be deleted by accident.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/CreatingNewSubdomain.html
 */
export class HostedZone extends Construct {
  readonly zone: Route53Zone;
  /** The zone id (`Z…`). */
  readonly zoneId: string;
  /** The four name servers the parent zone delegates to. */
  readonly nameServers: string[];

  constructor(scope: Construct, id: string, props: HostedZoneProps) {
    super(scope, id);
    this.zone = new Route53Zone(this, "Default", { name: props.name, comment: props.comment, forceDestroy: false });
    this.zoneId = this.zone.zoneId;
    this.nameServers = this.zone.nameServers;
  }
}
