import { k8s } from "cdk8s-plus-34";
import { Construct } from "constructs";
import { type AppValues, imageRef } from "./app-values";
import { RESTRICTED_CONTAINER_CONTEXT, RESTRICTED_POD_CONTEXT } from "./pod-security";

/** Props of {@link AppMigrations}. */
export interface AppMigrationsProps {
  /** The app's values: its name, image, role annotations, settings and resources. */
  readonly values: AppValues;
  readonly migrations: NonNullable<AppValues["migrations"]>;
  /** The Secret of the app's own secrets (optional, as for the app's pods). */
  readonly secretName: string;
}

/** Helm runs hooks of a kind in weight order: the service account before the Job that uses it. */
const HOOK = "pre-install,pre-upgrade";

/**
 * The app's schema migrations, as a Helm pre-install/pre-upgrade hook Job: Helm runs it before
 * it changes anything of the release, waits for it to complete, and fails the install or upgrade
 * if it fails or passes its deadline; with the release's `atomic`, the upgrade is then rolled
 * back, so the running version (which the Job never touched) keeps running. A succeeded Job is
 * deleted (`hook-succeeded`); a failed one stays for its logs until the next attempt replaces it
 * (`before-hook-creation`). Helm deletes `hook-succeeded` hooks once every hook of the phase has
 * succeeded (helm pkg/action/hooks.go, execHook), so the service account outlives its Job's run.
 * Helm's hooks: https://helm.sh/docs/topics/charts_hooks/
 *
 * The Job runs as a service account of its own, `<name>-migrations`, bound to the app's IAM
 * role (so it logs in to the database as the app's user, with an IAM token): a pre-install hook
 * runs before the release's own objects exist, so the app's service account is not there yet on
 * the first install; and the app's cannot be a hook itself, since replacing it at each upgrade
 * would invalidate the tokens of the running pods (bound service account tokens name the
 * account's UID).
 */
export class AppMigrations extends Construct {
  constructor(scope: Construct, id: string, props: AppMigrationsProps) {
    super(scope, id);
    const { values, migrations } = props;
    const name = `${values.name}-migrations`;
    const hook = (weight: number) => ({ "helm.sh/hook": HOOK, "helm.sh/hook-weight": String(weight), "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded" });
    const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": values.name };
    const quantity = (value: string) => k8s.Quantity.fromString(value);

    new k8s.KubeServiceAccount(this, "service-account", {
      metadata: { name, labels, annotations: { ...values.serviceAccount.annotations, ...hook(-10) } },
      automountServiceAccountToken: false,
    });
    new k8s.KubeJob(this, "job", {
      metadata: { name, labels, annotations: hook(0) },
      spec: {
        // One attempt: a migration that failed half-way is for a person to look at, not to rerun.
        backoffLimit: 0,
        activeDeadlineSeconds: migrations.deadlineSeconds,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            priorityClassName: values.priorityClassName,
            restartPolicy: "Never",
            securityContext: RESTRICTED_POD_CONTEXT,
            nodeSelector: { "platform/node-group": "apps" },
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: [...values.architectures] }] }] } } },
            containers: [
              {
                name: "migrations",
                image: imageRef(values.image),
                command: [...migrations.command],
                env: Object.entries(values.env).map(([key, value]) => ({ name: key, value })),
                envFrom: [{ secretRef: { name: props.secretName, optional: true } }],
                resources: {
                  requests: { cpu: quantity(values.resources.cpu), memory: quantity(values.resources.memory) },
                  limits: { cpu: quantity(values.resources.cpu), memory: quantity(values.resources.memory) },
                },
                securityContext: RESTRICTED_CONTAINER_CONTEXT,
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: quantity("256Mi") } }],
          },
        },
      },
    });
  }
}
