import { type Construct } from "constructs";
import { appNamespace, MIGRATIONS_SUFFIX, platformRoleName, SECRET_STORE_ACCOUNT, secretArnsUnder, secretStoreRoleName, serviceAccountOf, serviceEntries, serviceRoleName, serviceSecretsPrefix } from "../config";
import { type WorkloadRoleProps, WorkloadRole } from "../modules/iam/workload-role";
import { EncryptionKey } from "../modules/kms/encryption-key";
import { secretReaderStatements } from "../modules/iam/policies/secret-reader";
import { controllerRoles, NO_CONTROLLERS } from "./controller-roles";
import { eksFromRemoteState } from "./contracts/eks";
import { IAM_CONTRACT } from "./contracts/iam";
import { networkFromRemoteState } from "./contracts/network";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";

/** Props of {@link IamStack}. */
export interface IamStackProps extends EnvironmentStackProps {
  /**
   * Whether the stack makes the roles of the platform's controllers (load balancer, secrets,
   * logs, Karpenter, DNS, KEDA, tracing, alerting, Grafana): the cluster host's, so a tenant's
   * iam layer has its services' roles only. The registry decides it (stacks/registry.ts).
   * @default true
   */
  readonly controllers?: boolean;
}

/** `<env>-iam`: the roles of the platform's controllers (a cluster host's) and of each service, each for one service account. */
export class IamStack extends EnvironmentStack {
  /** Each service's role, by service: the data layers' grant methods add its database and Kafka access. */
  readonly serviceRoles: Readonly<Record<string, WorkloadRole>>;

  constructor(scope: Construct, props: IamStackProps) {
    super(scope, "iam", props);
    const { env } = props;
    const { account } = env;
    const network = networkFromRemoteState(this, props.backend, env);
    const eks = eksFromRemoteState(this, props.backend, env);
    const cluster = { name: eks.cluster_name, oidcProviderArn: eks.oidc_provider_arn, oidcIssuer: eks.oidc_issuer, accountId: account.id };
    const base = { cluster, mode: env.eks.workloadIdentity, permissionsBoundaryArn: network.permissionsBoundaryArn } satisfies Partial<WorkloadRoleProps>;
    const role = (name: string) => (id: string, namespace: string, serviceAccount: string, description: string, rest: Partial<WorkloadRoleProps> = {}) =>
      new WorkloadRole(this, id, { ...base, name, description, namespace, serviceAccount, ...rest });
    const workload = (id: string, namespace: string, serviceAccount: string, description: string, rest: Partial<WorkloadRoleProps> = {}) => role(platformRoleName(env, id))(id, namespace, serviceAccount, description, rest);

    // The application's secrets live under <env>/ in Secrets Manager, encrypted with this key.
    const secretsKey = new EncryptionKey(this, "app-secrets-key", { description: `Encrypts the application secrets of ${env.name} in Secrets Manager`, aliasName: `alias/${env.name}-app-secrets`, accountId: account.id });
    // The platform's controllers are the cluster host's (the registry decides: stacks/registry.ts).
    const controllers = (props.controllers ?? true) ? controllerRoles(this, { env, backend: props.backend, network, eks, workload, secretsKey }) : NO_CONTROLLERS;

    // The environment's SecretStore, in its namespace (made by its cluster host's platform:
    // k8s/member-namespace.ts), reads its services' secrets as this role, and nothing else: by
    // JWT in both identity modes, through a service account of that namespace no pod runs as.
    const store = role(secretStoreRoleName(env))("secret-store", appNamespace(env), SECRET_STORE_ACCOUNT, "External Secrets: this environment's SecretStore, its services' secrets", {
      mode: "irsa",
      statements: secretReaderStatements(serviceEntries(env).map(([name]) => secretArnsUnder(env, serviceSecretsPrefix(env, name)))),
    });
    secretsKey.grantDecrypt(store);

    // One role per service, named <env>-<service>, for its service account only (and its
    // migrations Job's, which acts as the same service).
    const roles: Record<string, WorkloadRole> = {};
    for (const [name, service] of serviceEntries(env)) {
      // Its id is the service's name, so the role is named serviceRoleName(env, name), as grantees expect.
      const serviceRole = role(serviceRoleName(env, name))(name, service.namespace, serviceAccountOf(name), `Service ${name}: its own secrets; the data layers grant its database and Kafka access`, {
        additionalServiceAccounts: service.migrations ? [`${serviceAccountOf(name)}${MIGRATIONS_SUFFIX}`] : [],
      });
      serviceRole.addToPrincipalPolicy({ Sid: "ReadItsOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretArnsUnder(env, serviceSecretsPrefix(env, name)) });
      secretsKey.grantDecrypt(serviceRole);
      roles[name] = serviceRole;
    }
    this.serviceRoles = roles;

    IAM_CONTRACT.publish(this, {
      ...controllers,
      app_secrets_kms_key_arn: secretsKey.arn,
    });
  }
}
