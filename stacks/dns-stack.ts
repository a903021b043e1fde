import { type Construct } from "constructs";
import { type DnsConfig } from "../config";
import { HostedZone } from "../modules/edge/hosted-zone";
import { DNS_CONTRACT } from "./contracts/dns";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";

/**
 * `<env>-dns`: the environment's public hosted zone, when config asks for one to be made
 * (`dns.zone` without `zoneId`). A layer of its own, applied first: its name servers must be
 * delegated from the parent zone before ACM can validate a certificate in it, and it outlives
 * everything that writes records into it.
 */
export class DnsStack extends EnvironmentStack {
  readonly zone: HostedZone;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "dns", props);
    const dns = props.env.dns as DnsConfig;
    this.zone = new HostedZone(this, "zone", { name: dns.zone, comment: `Public zone of ${props.env.name}: its services' hosts (external-dns) and certificate validation (ACM)` });
    DNS_CONTRACT.publish(this, { zone_id: this.zone.zoneId, zone_name: dns.zone, name_servers: this.zone.nameServers });
  }
}
