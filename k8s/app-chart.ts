import { Chart } from "cdk8s";
import { k8s } from "cdk8s-plus-34";
import { type Construct } from "constructs";
import { type AppValues, imageRef } from "./app-values";
import { ExternalSecret } from "./crds/external-secrets";
import { PrometheusRule, ServiceMonitor } from "./crds/monitoring";
import { appAlerts } from "./app-alerts";
import { KafkaLagScaler } from "./kafka-lag-scaler";
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
        secretStoreRef: { kind: "SecretStore", name: values.secrets.store },
        target: { name: secretName, creationPolicy: "Owner" },
        dataFrom: [appSecretsFind(values.secrets.prefix)],
      },
    });

    const probePath = values.probePath ?? "/health";
    const probe = (failureThreshold: number) => ({ httpGet: { path: probePath, port: k8s.IntOrString.fromString("http") }, periodSeconds: 10, failureThreshold });
    // A worker with no port has no HTTP to probe: the kubelet restarts it when its process exits.
    const probes = port === undefined ? {} : { readinessProbe: probe(3), livenessProbe: probe(6), startupProbe: probe(30) };
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
            priorityClassName: values.priorityClassName,
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
                ...(port !== undefined && { ports: [{ name: "http", containerPort: port }] }),
                env: Object.entries(values.env).map(([key, value]) => ({ name: key, value })),
                // Optional: on a new environment nothing may be under the prefix yet, and External
                // Secrets then creates no Secret at all (deletionPolicy Retain); a required one would
                // hold every pod in CreateContainerConfigError. The app checks its own settings at start.
                envFrom: [{ secretRef: { name: secretName, optional: true } }],
                resources: { requests: { cpu: quantity(values.resources.cpu), memory: quantity(values.resources.memory) }, limits: { memory: quantity(values.resources.memory) } },
                ...probes,
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
    if (port !== undefined) {
      new k8s.KubeService(this, "service", {
        metadata: { name, labels: selector },
        spec: { selector, ports: [{ name: "http", port: 80, targetPort: k8s.IntOrString.fromString("http") }] },
      });
      if (values.callers?.length && values.callerPolicies !== false) {
        // The calls of talksTo: the default-deny of the namespace refuses every other.
        new k8s.KubeNetworkPolicy(this, "from-callers", {
          metadata: { name: `${name}-from-callers` },
          spec: {
            podSelector: { matchLabels: selector },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: [...values.callers] }] } }], ports: [{ protocol: "TCP", port: k8s.IntOrString.fromNumber(port) }] }],
          },
        });
      }
    }
    if (values.ingress) {
      new k8s.KubeIngress(this, "ingress", {
        metadata: { name, annotations: ingressAnnotations(values, values.ingress) },
        spec: {
          ingressClassName: values.ingress.className,
          rules: [{ host: values.ingress.host, http: { paths: [{ path: values.ingress.path ?? "/", pathType: "Prefix", backend: { service: { name, port: { name: "http" } } } }] } }],
        },
      });
    }
    if (values.kafkaLag) {
      new KafkaLagScaler(this, "scaling", { name, namespace: values.namespace, min: values.hpa.min, max: values.hpa.max, cpuTargetPercent: values.hpa.cpuTargetPercent, ...values.kafkaLag, labels: selector });
    } else {
      new k8s.KubeHorizontalPodAutoscalerV2(this, "hpa", {
        // KEDA's admission webhook refuses a ScaledObject for a Deployment another HPA scales, and
        // Helm creates the new ScaledObject before it deletes this HPA: without the annotation the
        // switch to lag scaling would fail and roll back (keda.sh docs, "Admission Webhooks",
        // "Validation Enforcement"; kedacore/keda#5536).
        metadata: { name, ...(values.kedaOnCluster ? { annotations: { "validations.keda.sh/hpa-ownership": "false" } } : {}) },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
          minReplicas: values.hpa.min,
          maxReplicas: values.hpa.max,
          metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: values.hpa.cpuTargetPercent } } }],
        },
      });
    }
    new k8s.KubePodDisruptionBudget(this, "pdb", { metadata: { name }, spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } } });
    if (port !== undefined) new ServiceMonitor(this, "service-monitor", { metadata: { name }, spec: { selector: { matchLabels: selector }, endpoints: [{ port: "http", path: "/metrics", interval: "30s" }] } });
    new PrometheusRule(this, "alerts", { metadata: { name }, spec: { groups: [{ name, rules: appAlerts(values) }] } });
    if (values.migrations) new AppMigrations(this, "migrations", { values, migrations: values.migrations, secretName });
  }
}

/**
 * The ALB: internet-facing or internal, pod IPs as targets, HTTPS on 443 only with HTTP
 * redirected, TLS 1.3, health checks on the probe path, WAF when given. In an IngressGroup the
 * scheme, ssl-redirect, ssl-policy, load-balancer-attributes and wafv2-acl-arn are Exclusive
 * (one value across the group, or the controller refuses the whole group), listen-ports and
 * certificate-arn are merged (aws-load-balancer-controller v3.5.0, docs/guide/ingress/annotations.md,
 * "MergeBehavior"): every service of a group is given the same values, and config refuses two web
 * ACLs on one ALB.
 */
export function ingressAnnotations(values: AppValues, ingress: NonNullable<AppValues["ingress"]>): Record<string, string> {
  return {
    "alb.ingress.kubernetes.io/scheme": ingress.scheme ?? "internet-facing",
    "alb.ingress.kubernetes.io/target-type": "ip",
    ...(ingress.group ? { "alb.ingress.kubernetes.io/group.name": ingress.group, "alb.ingress.kubernetes.io/group.order": String(ingress.order ?? groupOrder(ingress.path ?? "/")) } : {}),
    ...(ingress.subnets?.length ? { "alb.ingress.kubernetes.io/subnets": ingress.subnets.join(", ") } : {}),
    "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
    "alb.ingress.kubernetes.io/ssl-redirect": "443",
    "alb.ingress.kubernetes.io/certificate-arn": ingress.certificateArn,
    "alb.ingress.kubernetes.io/ssl-policy": ingress.sslPolicy,
    "alb.ingress.kubernetes.io/healthcheck-path": values.probePath ?? "/health",
    "alb.ingress.kubernetes.io/healthcheck-port": "traffic-port",
    "alb.ingress.kubernetes.io/load-balancer-attributes": "routing.http.drop_invalid_header_fields.enabled=true",
    ...(ingress.wafAclArn ? { "alb.ingress.kubernetes.io/wafv2-acl-arn": ingress.wafAclArn } : {}),
  };
}

/**
 * The Ingress's place among its group's (`group.order`, -1000 to 1000, lower first): the longer
 * its path, the earlier, so that `/orders` is matched before `/` on a shared host. The controller
 * orders a group's rules by `group.order`, then by the Ingresses' namespace and name, never by
 * path length (aws-load-balancer-controller v3.5.0, docs/guide/ingress/annotations.md,
 * "group.order"; kubernetes-sigs/aws-load-balancer-controller#2763). Config keeps paths to 200
 * characters, so the order stays in 800–999.
 */
export function groupOrder(path: string): number {
  return 1000 - Math.min(path.replace(/\/+$/, "").length || 1, 200);
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
