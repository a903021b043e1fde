import { arnLocation } from "./arn-checks";
import { clusterEnvironment } from "./naming";
import { type SourcedEnvironment } from "./checks";
import { type ConfigProblem } from "./problems";
import { routedServices, serviceField } from "./services";

/**
 * What an environment shares with another, found across the files: the usual trace of a new
 * environment copied from an old one that kept its host, zone, certificate or roles. Each
 * message names both environments.
 *
 * Errors where it cannot work:
 * - a host both environments write a record for (each has a dns section): external-dns of each
 *   claims the record, its TXT registry lets only the first owner keep it, so the other
 *   environment's ALB is never reached;
 * - a zone both would make, or the same name in two different zones: only one zone of a name
 *   can be delegated from its parent, so the other's certificates never validate.
 * Warnings where AWS accepts it, but it is seldom meant:
 * - a host whose record is managed elsewhere (no dns section): it reaches one of the two ALBs,
 *   which is what a cut-over from one environment to another looks like;
 * - one certificate for both (possible only within one account and region): renewing or
 *   deleting it changes both environments;
 * - a cluster principal or state role of another environment's account: EKS and the state's
 *   bucket policy accept it, but it gives that environment's role access to this one.
 */

/** Located problem on an environment's field. */
function at(env: SourcedEnvironment, field: string, value: unknown, message: string): ConfigProblem {
  return { file: env.file, line: env.lineOf?.(field), environment: env.config.name, field, value, message };
}

const named = (env: SourcedEnvironment) => `${env.config.name} (${env.file})`;

/** Each service's ingress field path and settings. */
function ingresses(env: SourcedEnvironment) {
  return routedServices(env.config).map(([service, config]) => ({ field: serviceField(env.config, service, "ingress"), ...config.ingress }));
}

/** Errors: hosts and zones two environments cannot both have. Reported on the later file, naming the earlier. */
export function reuseProblems(envs: readonly SourcedEnvironment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  envs.forEach((env, i) => {
    for (const earlier of envs.slice(0, i)) {
      const theirs = ingresses(earlier);
      for (const ingress of ingresses(env)) {
        const shared = theirs.find((t) => t.host === ingress.host);
        if (shared && env.config.dns && earlier.config.dns) {
          problems.push(
            at(env, `${ingress.field}.host`, ingress.host, `is also a host of ${named(earlier)}: external-dns of both environments would claim its record, and only one can own it, so one environment's ALB would never be reached; give each environment its own host`),
          );
        }
      }
      const zone = env.config.dns;
      const their = earlier.config.dns;
      // The environments of one cluster share its host's zone (config/tenancy.ts).
      const oneCluster = clusterEnvironment(env.config) === clusterEnvironment(earlier.config);
      if (zone && their && !oneCluster && zone.zone === their.zone && !(zone.zoneId !== undefined && zone.zoneId === their.zoneId)) {
        problems.push(
          at(env, "dns.zone", zone.zone, `is also the zone of ${named(earlier)}, and not the same hosted zone (dns.zoneId): only one zone of a name can be delegated from its parent, so the other's certificates would never validate; give this environment a zone of its own, or set both dns.zoneId to the one zone to share it`),
        );
      }
    }
  });
  return problems;
}

/** Warnings: what two environments may share but seldom mean to. */
export function reuseWarnings(envs: readonly SourcedEnvironment[]): ConfigProblem[] {
  const warnings: ConfigProblem[] = [];
  for (const env of envs) {
    const others = envs.filter((o) => o !== env);
    for (const ingress of ingresses(env)) {
      const hostOwner = others.find((o) => ingresses(o).some((t) => t.host === ingress.host) && !(env.config.dns && o.config.dns));
      if (hostOwner) {
        warnings.push(at(env, `${ingress.field}.host`, ingress.host, `is also a host of ${named(hostOwner)}: its record can point at one of the two ALBs only, which is right during a cut-over and wrong otherwise; give each environment its own host`));
      }
      const certOwner = ingress.certificateArn && others.find((o) => ingresses(o).some((t) => t.certificateArn === ingress.certificateArn));
      if (certOwner) {
        warnings.push(
          at(env, `${ingress.field}.certificateArn`, ingress.certificateArn, `is also the certificate of ${named(certOwner)}: renewing, replacing or deleting it changes both environments; give each its own, or leave it out to have one made and validated in dns.zone`),
        );
      }
    }
    const principals: Array<[string, readonly string[], string]> = [
      ["eks.admins", env.config.eks.admins, "cluster"],
      ["eks.viewers", env.config.eks.viewers, "cluster"],
      ["account.stateReaderArns", env.config.account.stateReaderArns, "Terraform state"],
      ["account.stateWriterArns", env.config.account.stateWriterArns, "Terraform state"],
    ];
    for (const [field, arns, what] of principals) {
      arns.forEach((arn, i) => {
        const { account } = arnLocation(arn);
        const owner = account !== env.config.account.id && others.find((o) => o.config.account.id === account);
        if (owner) {
          warnings.push(
            at(env, `${field}.${i}`, arn, `is in account ${account}, the account of ${named(owner)}: AWS accepts it, but it gives a role of ${owner.config.name} access to ${env.config.name}'s ${what}; if this file was copied from ${owner.config.name}, use a role of ${env.config.account.id}`),
          );
        }
      });
    }
  }
  return warnings;
}
