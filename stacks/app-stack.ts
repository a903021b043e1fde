import { App as K8sApp } from "cdk8s";
import { Construct } from "constructs";
import { APP_SERVICE, type AppConfig, appImageRepositoryUrl, appNamespace, databaseUsers, groupPrefixes, resolvedTopics, serviceEntries, serviceSecretsPrefix } from "../config";
import { Certificate } from "../modules/edge/certificate";
import { WebAcl } from "../modules/edge/web-acl";
import { roleAnnotations } from "../modules/addons/addon";
import { ChartRelease } from "../modules/helm/chart-release";
import { clusterProviders } from "../modules/helm/cluster-providers";
import { ManifestRelease } from "../modules/helm/manifest-release";
import { AppChart } from "../k8s/app-chart";
import { type AppValues, TLS13_POLICY } from "../k8s/app-values";
import { DEPLOY_ROLE_VARIABLE } from "./aws-provider";
import { databaseFromRemoteState } from "./contracts/database";
import { zoneIdOf } from "./contracts/dns";
import { eksFromRemoteState } from "./contracts/eks";
import { iamFromRemoteState } from "./contracts/iam";
import { platformFromRemoteState } from "./contracts/platform";
import { streamingFromRemoteState } from "./contracts/streaming";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";

/**
 * `<env>-app`: the application's Helm release, its values assembled from typed outputs: the
 * image from the account's registry, the role from `<env>-iam`, the names from
 * `<env>-platform`, the database and Kafka settings from the data stacks (when the environment
 * has them). Applied after `<env>-platform` and destroyed before it, so the load balancer
 * controller is still there to delete the Ingress's ALB.
 */
export class AppStack extends EnvironmentStack {
  /** The values the chart is given. */
  readonly values: AppValues;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "app", props);
    const { env, project } = props;
    const app = env.app as AppConfig;
    const eks = eksFromRemoteState(this, props.backend, env);
    const iam = iamFromRemoteState(this, props.backend, env);
    const platform = platformFromRemoteState(this, props.backend, env);
    clusterProviders(this, { clusterName: eks.cluster_name, endpoint: eks.cluster_endpoint, certificateAuthority: eks.cluster_certificate_authority, region: env.account.region, roleVariable: DEPLOY_ROLE_VARIABLE, kubernetes: false });

    const database = env.database && databaseFromRemoteState(this, props.backend, env);
    const streaming = env.streaming && streamingFromRemoteState(this, props.backend, env);

    // The public edge: a certificate per service host that brings none, issued (validated in the
    // environment's zone) before the release uses it, and one web ACL for the environment's ALB.
    const zoneId = env.dns && zoneIdOf(this, props.backend, env);
    const certificates = Object.fromEntries(
      serviceEntries(env)
        .filter(([, service]) => !service.ingress.certificateArn)
        .map(([name, service]) => [name, new Certificate(this, `certificate-${name}`, { domainName: service.ingress.host, zoneId: zoneId as string }).arn]),
    );
    const needsAcl = env.waf.enabled && serviceEntries(env).some(([, service]) => !service.ingress.wafAclArn);
    const acl = needsAcl ? new WebAcl(this, "web-acl", { name: `${env.name}-alb`, ...env.waf, accountId: env.account.id, region: env.account.region }) : undefined;

    const topics = resolvedTopics(env);
    const dbUser = databaseUsers(env).find((u) => u.service === APP_SERVICE);
    this.values = {
      name: "app",
      // Config decides it (a literal, as the contract rule says), and <env>-platform made it.
      namespace: appNamespace(env),
      image: { repository: appImageRepositoryUrl(env), tag: app.image.tag, digest: app.image.digest },
      port: app.port,
      architectures: app.architectures,
      resources: app.resources,
      hpa: app.hpa,
      serviceAccount: { name: "app", annotations: roleAnnotations(env.eks.workloadIdentity, iam.app_role_arn) },
      ingress: {
        className: platform.ingress_class,
        host: app.ingress.host,
        certificateArn: app.ingress.certificateArn ?? (certificates[APP_SERVICE] as string),
        sslPolicy: TLS13_POLICY,
        wafAclArn: app.ingress.wafAclArn ?? acl?.arn,
      },
      migrations: app.migrations,
      env: {
        AWS_REGION: env.account.region,
        ...(database && dbUser && { DB_HOST: database.endpoint, DB_READER_HOST: database.reader_endpoint, DB_PORT: database.port, DB_NAME: database.database_name, DB_USER: dbUser.name, DB_IAM_AUTH: "true", DB_SSLMODE: "verify-full" }),
        ...(streaming && {
          KAFKA_BOOTSTRAP_SERVERS: streaming.bootstrap_brokers,
          KAFKA_AUTH: streaming.auth_mode,
          // The topics it may use, comma-separated: its grants name exactly these.
          KAFKA_PRODUCES: topics.filter((t) => t.producers.includes(APP_SERVICE)).map((t) => t.name).join(","),
          KAFKA_CONSUMES: topics.filter((t) => t.consumers.includes(APP_SERVICE)).map((t) => t.name).join(","),
          ...(groupPrefixes(env)[APP_SERVICE] !== undefined && { KAFKA_GROUP_PREFIX: groupPrefixes(env)[APP_SERVICE] as string }),
        }),
      },
      secrets: { store: platform.secret_store, prefix: serviceSecretsPrefix(env, APP_SERVICE) },
      runbookBaseUrl: `https://github.com/${project.githubRepository}/blob/main/docs/runbooks/`,
    };

    if (app.chart) {
      // The team's own chart, given the same values: the contract is AppValues. At the same
      // address as the shipped chart's release, so switching charts upgrades the release in
      // place instead of uninstalling the application.
      new ChartRelease(new Construct(this, "app"), "release", { name: "app", namespace: this.values.namespace, chart: app.chart.name, repository: app.chart.repository, version: app.chart.version, values: { ...this.values } });
    } else {
      new ManifestRelease(this, "app", { name: "app", namespace: this.values.namespace, chart: new AppChart(new K8sApp(), "app", this.values) });
    }
  }
}
