import { type TerraformStack } from "cdktf";
import { type BackendSettings, type EnvironmentConfig } from "../../config";
import { type ContractValues, StackContract } from "./contract";

/** The outputs `<env>-dns` publishes: the zone it made, and where its parent delegates to. */
export const DNS_CONTRACT = new StackContract("dns", {
  zone_id: { kind: "string", description: "Id of the environment's public hosted zone", mock: "Z0123456789MOCKZONE" },
  zone_name: { kind: "string", description: "Name of the environment's public hosted zone", mock: "mock.example.com" },
  name_servers: { kind: "string-list", description: "The zone's name servers: the parent zone delegates to them with an NS record of zone_name", mock: "ns-0.awsdns-00.com" },
});

/** What consumers know of an environment's zone. */
export type DnsOutputs = ContractValues<typeof DNS_CONTRACT.outputs>;

/**
 * The id of an environment's public hosted zone: the existing zone config names (`dns.zoneId`, a
 * literal), or the one `<env>-dns` made, read from its state.
 */
export function zoneIdOf(stack: TerraformStack, backend: BackendSettings, env: Pick<EnvironmentConfig, "name" | "dns">): string {
  if (!env.dns) throw new Error(`${env.name}: no dns section, so there is no zone`);
  return env.dns.zoneId ?? DNS_CONTRACT.read(stack, backend, env).zone_id;
}
