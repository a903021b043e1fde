import { WAF_MANAGED_RULES, type WafManagedGroup } from "../modules/edge/waf-rules";
import { type FieldProblem } from "./checks";
import { didYouMean } from "./near";
import { type EnvironmentConfig } from "./schema";
import { routedServices, serviceField } from "./services";

/** Whether a host is the zone's apex or a name below it. */
export function inZone(host: string, zone: string): boolean {
  return host === zone || host.endsWith(`.${zone}`);
}

/**
 * The hosts external-dns writes records for: every service's, when the environment has a zone.
 * None (no zone, or no service) means no external-dns at all: no add-on and no role.
 */
export function externalDnsHosts(env: EnvironmentConfig): string[] {
  // A host's external-dns writes its tenants' records too: they share its zone (config/tenancy.ts).
  return env.dns ? [...new Set([env, ...(env.tenants ?? [])].flatMap((member) => routedServices(member).map(([, service]) => service.ingress.host)))].sort() : [];
}

/** The problem of a zone no service of the cluster uses: checked per file, and for a host again with its tenants' services (config/tenancy.ts). */
export function unusedZoneProblem(env: EnvironmentConfig): FieldProblem | undefined {
  if (!env.dns || externalDnsHosts(env).length > 0) return undefined;
  return { field: "dns", value: env.dns.zone, message: "names a zone for no service: the environment has no service with an ingress host, so nothing would get a record or a certificate there; add a service with exposure public or internal, or leave dns out" };
}

/**
 * Checks of `dns`, `waf` and each service's ingress against them: hosts in the zone, a
 * certificate for every host, and count overrides that name real rules. The account and region
 * of certificates and ACLs are checked with every other ARN (arn-checks.ts).
 */
export function checkEdge(env: EnvironmentConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const unused = unusedZoneProblem(env);
  if (unused) problems.push(unused);
  for (const [service, config] of routedServices(env)) {
    const at = serviceField(env, service, "ingress");
    const { host, certificateArn } = config.ingress;
    if (env.dns && !inZone(host, env.dns.zone)) {
      problems.push({ field: `${at}.host`, value: host, message: `is outside the environment's zone ${env.dns.zone}, so external-dns may not write its record nor ACM validate it there; allowed: ${env.dns.zone} or a name ending in .${env.dns.zone}` });
    }
    if (!certificateArn && !env.dns) {
      problems.push({ field: `${at}.certificateArn`, message: "is required without a dns section: the project makes and validates a certificate only in a zone it knows; set dns.zone (and dns.zoneId for an existing zone), or give the ARN of a certificate for the host" });
    }
  }
  for (const [group, rules] of Object.entries(env.waf.countInsteadOfBlock) as Array<[WafManagedGroup, readonly string[]]>) {
    const known: readonly string[] = WAF_MANAGED_RULES[group];
    rules.forEach((rule, i) => {
      if (!known.includes(rule)) {
        problems.push({ field: `waf.countInsteadOfBlock.${group}.${i}`, value: rule, message: `is not a rule of ${group}${didYouMean(rule, known)}, and WAF silently ignores an override of a rule that does not exist; allowed: ${known.join(", ")}` });
      }
    });
  }
  return problems;
}
