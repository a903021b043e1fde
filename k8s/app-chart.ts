import { Chart } from "cdk8s";
import { k8s } from "cdk8s-plus-34";
import { type Construct } from "constructs";
import { type AppValues, imageRef } from "./app-values";
import { ExternalSecret } from "./crds/external-secrets";
import { PrometheusRule, ServiceMonitor } from "./crds/monitoring";
import { appAlerts } from "./app-alerts";
import { AppMigrations } from "./app-migrations";
import { RESTRICTED_CONTAINER_CONTEXT, RESTRICTED_POD_CONTEXT } from "./pod-security";

const quantity = (value: string) => k8s.Quantity.fromString(value);

/**
 * The application's chart, as typed objects: a Deployment that passes the `restricted` Pod
 * Security Standard (non-root, read-only root filesystem, no privilege escalation, ALL
 * capabilities dropped, RuntimeDefault seccomp), spread over zones, with probes on `/health`;
 * its Service, ALB Ingress (HTTPS only), HPA and PDB; the Secret synced from Secrets Manager;
 * the ServiceMonitor on `/metrics` and the alerts, each with its runbook.
 */
export class AppChart extends Chart {
  constructor(scope: Construct, id: string, values: AppValues) {
    super(scope, id, { namespace: values.namespace, labels: { "app.kubernetes.io/name": values.name } });
    const { name, port } = values;
    const selector = { "app.kubernetes.io/name": name };
    const secretName = `${name}-secrets`;

    new k8s.KubeServiceAccount(this, "service-account", {
      metadata: { name: values.serviceAccount.name, annotations: { ...values.serviceAccount.annotations } },
      // The role's token is projected by EKS (IRSA or Pod Identity); the Kubernetes API token is not needed.
      automountServiceAccountToken: false,
    });
    new ExternalSecret(this, "secrets", {
      metadata: { name: secretName },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: values.secrets.store },
        target: { name: secretName, creationPolicy: "Owner" },
        dataFrom: [appSecretsFind(values.secrets.prefix)],
      },
    });

    const probe = (failureThreshold: number) => ({ httpGet: { path: "/health", port: k8s.IntOrString.fromString("http") }, periodSeconds: 10, failureThreshold });
    new k8s.KubeDeployment(this, "deployment", {
      metadata: { name },
      // No replicas: the HPA owns the count. A value here would put a scaled-out Deployment back
      // to it on every helm upgrade (helm/helm#7090, #7837); without one, the first install starts
      // one pod and the HPA brings it to hpa.min at once.
      spec: {
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromString("25%") } },
        template: {
          metadata: { labels: selector },
          spec: {
            serviceAccountName: values.serviceAccount.name,
            automountServiceAccountToken: false,
            securityContext: RESTRICTED_POD_CONTEXT,
            nodeSelector: { "platform/node-group": "apps" },
            // Only nodes of an architecture the image is built for: a single-arch image on the
            // other architecture would crash-loop ("exec format error").
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: [...values.architectures] }] }] } } },
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
              { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
            ],
            containers: [
              {
                name,
                image: imageRef(values.image),
                ports: [{ name: "http", containerPort: port }],
                env: Object.entries(values.env).map(([key, value]) => ({ name: key, value })),
                // Optional: on a new environment nothing may be under the prefix yet, and External
                // Secrets then creates no Secret at all (deletionPolicy Retain); a required one would
                // hold every pod in CreateContainerConfigError. The app checks its own settings at start.
                envFrom: [{ secretRef: { name: secretName, optional: true } }],
                resources: { requests: { cpu: quantity(values.resources.cpu), memory: quantity(values.resources.memory) }, limits: { memory: quantity(values.resources.memory) } },
                readinessProbe: probe(3),
                livenessProbe: probe(6),
                startupProbe: probe(30),
                securityContext: RESTRICTED_CONTAINER_CONTEXT,
                // The root filesystem is read-only: /tmp is the one writable place.
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: quantity("256Mi") } }],
          },
        },
      },
    });
    new k8s.KubeService(this, "service", {
      metadata: { name, labels: selector },
      spec: { selector, ports: [{ name: "http", port: 80, targetPort: k8s.IntOrString.fromString("http") }] },
    });
    new k8s.KubeIngress(this, "ingress", {
      metadata: { name, annotations: ingressAnnotations(values) },
      spec: {
        ingressClassName: values.ingress.className,
        rules: [{ host: values.ingress.host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { name: "http" } } } }] } }],
      },
    });
    new k8s.KubeHorizontalPodAutoscalerV2(this, "hpa", {
      metadata: { name },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        minReplicas: values.hpa.min,
        maxReplicas: values.hpa.max,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: values.hpa.cpuTargetPercent } } }],
      },
    });
    new k8s.KubePodDisruptionBudget(this, "pdb", { metadata: { name }, spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } } });
    new ServiceMonitor(this, "service-monitor", { metadata: { name }, spec: { selector: { matchLabels: selector }, endpoints: [{ port: "http", path: "/metrics", interval: "30s" }] } });
    new PrometheusRule(this, "alerts", { metadata: { name }, spec: { groups: [{ name, rules: appAlerts(values) }] } });
    if (values.migrations) new AppMigrations(this, "migrations", { values, migrations: values.migrations, secretName });
  }
}

/** The ALB: internet-facing, pod IPs as targets, HTTPS on 443 only with HTTP redirected, TLS 1.3, health checks on /health, WAF when given. */
export function ingressAnnotations(values: AppValues): Record<string, string> {
  const { ingress } = values;
  return {
    "alb.ingress.kubernetes.io/scheme": "internet-facing",
    "alb.ingress.kubernetes.io/target-type": "ip",
    "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
    "alb.ingress.kubernetes.io/ssl-redirect": "443",
    "alb.ingress.kubernetes.io/certificate-arn": ingress.certificateArn,
    "alb.ingress.kubernetes.io/ssl-policy": ingress.sslPolicy,
    "alb.ingress.kubernetes.io/healthcheck-path": "/health",
    "alb.ingress.kubernetes.io/healthcheck-port": "traffic-port",
    "alb.ingress.kubernetes.io/load-balancer-attributes": "routing.http.drop_invalid_header_fields.enabled=true",
    ...(ingress.wafAclArn ? { "alb.ingress.kubernetes.io/wafv2-acl-arn": ingress.wafAclArn } : {}),
  };
}

/**
 * The `find` of the app's secrets: every secret named `<prefix><NAME>`, each becoming the
 * Secret's key NAME (an environment variable of the pods).
 *
 * External Secrets v2.9.0's AWS provider accepts `find` only with `name` or `tags`: a `path`
 * alone fails with "unexpected find operator", and no Secret is ever made. With `name` and
 * `path` it calls BatchGetSecretValue filtered on the name prefix `path` (Secrets Manager's
 * `name` filter: a case-sensitive prefix match), then keeps the names the regexp matches (Go's
 * MatchString, unanchored: so anchored here). The keys are the full names, which `rewrite` cuts
 * to NAME; after a rewrite ESO converts no key, and refuses any with a character outside
 * [-._a-zA-Z0-9], so the regexp admits only names that are valid keys and variable names.
 * Sources: external-secrets providers/v1/aws/secretsmanager/secretsmanager.go (GetAllSecrets,
 * findByName, fetchWithBatch), runtime/esutils/utils.go (RewriteMap, ValidateKeys).
 */
export function appSecretsFind(prefix: string) {
  const escaped = escapeRegExp(prefix);
  return {
    find: { path: prefix, name: { regexp: `^${escaped}[A-Za-z_][A-Za-z0-9_]*$` } },
    rewrite: [{ regexp: { source: `^${escaped}(.*)$`, target: "$1" } }],
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
