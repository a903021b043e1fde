import { App as K8sApp } from "cdk8s";
import { Construct } from "constructs";
import { appNamespace, callersOf, certificateIdOf, platformMakesCallerPolicies, priorityClassName, serviceDashboardUid, databaseUsers, groupPrefixes, ingressGroupOf, kedaEnabled, resolvedTopics, routedServices, serviceAccountOf, serviceEntries, serviceImageRepositoryUrl, serviceRoleArn, serviceSecretsPrefix, tracingEnabled } from "../config";
import { alertTopicArn, clusterName } from "../config";
import { LoadBalancerAlarms } from "../modules/alarms/load-balancer-alarms";
import { Certificate } from "../modules/edge/certificate";
import { WebAcl } from "../modules/edge/web-acl";
import { roleAnnotations } from "../modules/addons/addon";
import { serviceTracingEnvironment } from "../modules/addons/otel-collector";
import { ChartRelease } from "../modules/helm/chart-release";
import { clusterProviders } from "../modules/helm/cluster-providers";
import { ManifestRelease } from "../modules/helm/manifest-release";
import { AppChart, groupOrder } from "../k8s/app-chart";
import { type AppValues, TLS13_POLICY } from "../k8s/app-values";
import { resolveMetrics } from "../k8s/metric-presets";
import { DEPLOY_ROLE_VARIABLE } from "./aws-provider";
import { databaseFromRemoteState } from "./contracts/database";
import { zoneIdOf } from "./contracts/dns";
import { publicSubnetNames } from "./contracts/network";
import { eksFromRemoteState } from "./contracts/eks";
import { platformFromRemoteState } from "./contracts/platform";
import { streamingFromRemoteState } from "./contracts/streaming";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";
import { runbookBaseUrl } from "./runbooks";

/**
 * `<env>-app`: a Helm release per service, its values assembled from typed outputs and config:
 * the image from the account's registry, the role `<env>-iam` made, the names from
 * `<env>-platform`, the database and Kafka settings from the data stacks (when the environment
 * has them). Applied after `<env>-platform` and destroyed before it, so the load balancer
 * controller is still there to delete the Ingresses' ALBs.
 */
export class AppStack extends EnvironmentStack {
  /** The values each service's chart is given, by service. */
  readonly services: Readonly<Record<string, AppValues>>;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "app", props);
    const { env, project } = props;
    const eks = eksFromRemoteState(this, props.backend, env);
    const platform = platformFromRemoteState(this, props.backend, env);
    clusterProviders(this, { clusterName: eks.cluster_name, endpoint: eks.cluster_endpoint, certificateAuthority: eks.cluster_certificate_authority, region: env.account.region, roleVariable: DEPLOY_ROLE_VARIABLE, kubernetes: false });

    const database = env.database && databaseFromRemoteState(this, props.backend, env);
    const streaming = env.streaming && streamingFromRemoteState(this, props.backend, env);

    // The edge: a certificate per host that no service brings one for, issued (validated in the
    // environment's zone) before a release uses it; one web ACL for the internet-facing ALB.
    const routed = routedServices(env);
    const zoneId = env.dns && zoneIdOf(this, props.backend, env);
    const certificates = new Map<string, string>();
    for (const [, { ingress }] of routed.filter(([, s]) => !s.ingress.certificateArn)) {
      if (!certificates.has(ingress.host)) certificates.set(ingress.host, new Certificate(this, certificateIdOf(env, ingress.host), { domainName: ingress.host, zoneId: zoneId as string }).arn);
    }
    // One alarm on the ALBs' own 5xx, whichever ALBs the controller makes for the routed services.
    if (routed.length > 0) {
      new LoadBalancerAlarms(this, "alb-alarms", { namePrefix: env.name, clusterName: clusterName(env), elb5xxCount: env.observability.alarms.loadBalancer.elb5xxCount, topicArn: alertTopicArn(env), runbookBaseUrl: runbookBaseUrl(project) });
    }
    const needsAcl = env.waf.enabled && routed.some(([, service]) => service.exposure === "public" && !service.ingress.wafAclArn);
    const acl = needsAcl ? new WebAcl(this, "web-acl", { name: `${env.name}-alb`, ...env.waf, accountId: env.account.id, region: env.account.region }) : undefined;

    const topics = resolvedTopics(env);
    const groups = groupPrefixes(env);
    const users = databaseUsers(env);
    const values: Record<string, AppValues> = {};
    const routes = new Map(routed);
    for (const [name, service] of serviceEntries(env)) {
      const dbUser = users.find((u) => u.service === name);
      const route = routes.get(name);
      const group = route && ingressGroupOf(env, route.exposure);
      values[name] = {
        name,
        // Config decides it (a literal, as the contract rule says), and <env>-platform made it.
        namespace: appNamespace(env),
        image: { repository: serviceImageRepositoryUrl(env, name, service), tag: service.image.tag, digest: service.image.digest },
        port: service.port,
        probePath: service.probes.path,
        architectures: service.architectures,
        resources: service.resources,
        hpa: service.hpa,
        kafkaLag: streaming && service.scaling.kafkaLag ? { ...service.scaling.kafkaLag, bootstrapServers: streaming.bootstrap_brokers, region: env.account.region } : undefined,
        kedaOnCluster: kedaEnabled(env) || undefined,
        // The role's name is config's, `<env>-<service>`: `<env>-iam`, applied first, made it.
        serviceAccount: { name: serviceAccountOf(name), annotations: roleAnnotations(env.eks.workloadIdentity, serviceRoleArn(env, name)) },
        ingress: route && {
          className: platform.ingress_class,
          scheme: route.exposure === "public" ? "internet-facing" : "internal",
          group,
          order: group ? groupOrder(route.ingress.path) : undefined,
          // The internal ALB in the public subnets, which hold no pod (stacks/contracts/network.ts).
          subnets: route.exposure === "internal" ? publicSubnetNames(env) : undefined,
          host: route.ingress.host,
          path: route.ingress.path,
          certificateArn: route.ingress.certificateArn ?? (certificates.get(route.ingress.host) as string),
          sslPolicy: TLS13_POLICY,
          wafAclArn: route.exposure === "public" ? (route.ingress.wafAclArn ?? acl?.arn) : undefined,
        },
        callers: callersOf(env, name),
        // A tenant's are its host's platform's to make (its deployers write no NetworkPolicy).
        callerPolicies: !platformMakesCallerPolicies(env),
        migrations: service.migrations,
        // The names its alerts query: its instrumentation library's (config's metrics.preset).
        metrics: resolveMetrics(service.metrics),
        env: {
          AWS_REGION: env.account.region,
          // Traces to the collector `<env>-platform` runs, sampled at the root (modules/addons/otel-collector.ts).
          ...(tracingEnabled(env) && serviceTracingEnvironment({ name, environment: env.name, samplingPercent: env.observability.tracing.samplingPercent })),
          ...(database && dbUser && { DB_HOST: database.endpoint, DB_READER_HOST: database.reader_endpoint, DB_PORT: database.port, DB_NAME: database.database_name, DB_USER: dbUser.name, DB_IAM_AUTH: "true", DB_SSLMODE: "verify-full" }),
          ...(streaming && {
            KAFKA_BOOTSTRAP_SERVERS: streaming.bootstrap_brokers,
            KAFKA_AUTH: streaming.auth_mode,
            // The topics it may use, comma-separated: its grants name exactly these.
            KAFKA_PRODUCES: topics.filter((t) => t.producers.includes(name)).map((t) => t.name).join(","),
            KAFKA_CONSUMES: topics.filter((t) => t.consumers.includes(name)).map((t) => t.name).join(","),
            ...(groups[name] !== undefined && { KAFKA_GROUP_PREFIX: groups[name] as string }),
          }),
        },
        secrets: { store: platform.secret_store, prefix: serviceSecretsPrefix(env, name) },
        // Made by the cluster host's platform, with the quota that admits only it in a shared cluster.
        priorityClassName: priorityClassName(env),
        dashboardUid: serviceDashboardUid(env, name),
        runbookBaseUrl: `https://github.com/${project.githubRepository}/blob/main/docs/runbooks/`,
      };
      if (service.chart) {
        // The team's own chart, given the same values: the contract is AppValues. At the same
        // address as the shipped chart's release, so switching charts upgrades the release in
        // place instead of uninstalling the service.
        new ChartRelease(new Construct(this, name), "release", { name, namespace: values[name].namespace, chart: service.chart.name, repository: service.chart.repository, version: service.chart.version, values: { ...values[name] } });
      } else {
        new ManifestRelease(this, name, { name, namespace: values[name].namespace, chart: new AppChart(new K8sApp(), name, values[name]) });
      }
    }
    this.services = values;
  }
}
