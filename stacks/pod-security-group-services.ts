import { clusterMembers, databaseUsers, type EnvironmentConfig, resolvedTopics, serviceEntries } from "../config";
import { POSTGRES_PORT } from "../modules/database/database";
import { type PodSecurityGroupService } from "../modules/eks/pod-security-groups";
import { KAFKA_PORTS } from "../modules/streaming/kafka-cluster";
import { type ServicePods } from "../k8s/security-group-policies";
import { type EksOutputs, podSecurityGroupKey } from "./contracts/eks";

/** Kafka's client ports an environment's services use: IAM's, and TLS's where client certificates are accepted; none without Kafka. */
export function kafkaClientPorts(env: Pick<EnvironmentConfig, "streaming">): number[] {
  return env.streaming ? [KAFKA_PORTS.iam, ...(env.streaming.clientCertificateAuthorityArns.length ? [KAFKA_PORTS.tls] : [])] : [];
}

/**
 * The services that get a pod security group in a cluster host's `<env>-eks`: every service of
 * the host and of each of its tenants (config/tenancy.ts), each with its port, its calls and the
 * data stores' ports it uses: PostgreSQL with a database user, Kafka when it produces or consumes
 * (IAM's port, and TLS's where client certificates are accepted).
 */
export function podSecurityGroupServices(host: EnvironmentConfig): PodSecurityGroupService[] {
  return clusterMembers(host).flatMap((env) => {
    const withUser = new Set(databaseUsers(env).map((u) => u.service));
    const topics = resolvedTopics(env);
    const kafkaPorts = kafkaClientPorts(env);
    return serviceEntries(env).map(([service, config]) => ({
      environment: env.name,
      service,
      port: config.port,
      talksTo: config.talksTo,
      dataPorts: [...(withUser.has(service) ? [POSTGRES_PORT] : []), ...(topics.some((t) => t.producers.includes(service) || t.consumers.includes(service)) ? kafkaPorts : [])],
    }));
  });
}

/**
 * Each service of the cluster with its pods' group, for the host's SecurityGroupPolicies: read
 * from `<host>-eks`'s state one key at a time, so a platform plan fails, closed, for a service
 * whose group the cluster host has not made yet (apply `<host>-eks` first, as the registry orders).
 */
export function servicePods(host: EnvironmentConfig, eks: Pick<EksOutputs, "pod_security_groups">): ServicePods[] {
  return clusterMembers(host).flatMap((env) =>
    serviceEntries(env).map(([service, config]) => ({
      environment: env.name,
      namespace: config.namespace,
      service,
      securityGroupId: eks.pod_security_groups.get(podSecurityGroupKey(env, service)),
      ownChart: config.chart !== undefined,
    })),
  );
}
