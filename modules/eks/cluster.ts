import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Fn, type ITerraformDependable } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { MANAGED_POLICIES } from "../iam/managed-policies";
import { serviceTrust } from "../iam/policy-document";
import { Role } from "../iam/role";
import { EncryptionKey } from "../kms/encryption-key";
import { assertLogRetention, logGroupKeyStatement } from "../logs/retention";
import { type KubernetesVersion } from "./versions";

/** Every control-plane log type: the audit and authenticator logs are the record of who did what. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** Props of {@link Cluster}. */
export interface ClusterProps {
  /** Cluster name (`<env>-platform`). */
  readonly name: string;
  /** Kubernetes version. */
  readonly version: KubernetesVersion;
  /** The account, for ARNs and key policies. */
  readonly accountId: string;
  /** The region, for the log group's ARN in the key policy. */
  readonly region: string;
  /** Subnets of the control plane's network interfaces: dedicated control-plane subnets, or the private ones, in at least two zones. */
  readonly subnetIds: readonly string[];
  /** The VPC, for the API's own security group. */
  readonly vpcId: string;
  /**
   * CIDRs that may reach the public API endpoint; none turns the public endpoint off. The private
   * endpoint is always on. `0.0.0.0/0` is refused.
   * @default - no public endpoint
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * STANDARD, or EXTENDED support after standard support ends (costs more).
   * @default "STANDARD"
   */
  readonly supportType?: "STANDARD" | "EXTENDED";
  /**
   * Refuse deleting the cluster through the API (AWS provider 6.x).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Days the control-plane logs are kept.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /** The environment's permissions boundary, for the cluster role. */
  readonly permissionsBoundaryArn: string;
}

/**
 * An EKS cluster as this project runs them: access entries only (authentication mode `API`, no
 * aws-auth ConfigMap, no admin rights for whoever created it), secrets envelope-encrypted with
 * a key of its own, every control-plane log type in a KMS-encrypted log group with retention
 * (created first, so EKS does not create one without them), a private API endpoint, and an IAM
 * OIDC provider for IRSA. Add-ons are managed separately (`Addons`), so EKS does not install
 * its unmanaged defaults.
 */
export class Cluster extends Construct {
  /** The cluster. */
  readonly cluster: EksCluster;
  /** The key that encrypts Kubernetes secrets. */
  readonly secretsKey: EncryptionKey;
  /** The IAM OIDC provider for IRSA. */
  readonly oidcProvider: IamOpenidConnectProvider;
  /** The OIDC issuer without `https://`, the prefix of IRSA condition keys. */
  readonly oidcIssuer: string;
  /** The security group EKS creates for the control plane and managed nodes. */
  readonly clusterSecurityGroupId: string;
  /**
   * The API's own security group: EKS puts the groups of `vpc_config.security_group_ids` on the
   * control plane's network interfaces only, never on nodes, so a rule here admits a client to
   * the API and to nothing else. It admits nothing by itself: `eks.apiAccess`, CI's runner and
   * the access host add their rules. (Changed in place since AWS provider 5.25.)
   * @see https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html
   */
  readonly apiSecurityGroup: SecurityGroup;
  /**
   * The cluster role's AmazonEKSVPCResourceController attachment: the VPC resource controller on
   * the control plane makes the trunk and branch interfaces of security groups for pods with it,
   * so it must exist before the VPC CNI turns pod ENIs on.
   */
  readonly podEniPermission: ITerraformDependable;

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    const cidrs = props.publicAccessCidrs ?? [];
    if (cidrs.includes("0.0.0.0/0")) throw new Error(`${this.node.path}: publicAccessCidrs must not include 0.0.0.0/0 (got ${JSON.stringify(cidrs)})`);
    if (props.subnetIds.length === 0) throw new Error(`${this.node.path}: subnetIds must name the private subnets of at least two zones`);
    const retention = props.logRetentionDays ?? 90;
    assertLogRetention(this.node.path, retention);

    this.secretsKey = new EncryptionKey(this, "secrets-key", {
      description: `Encrypts the Kubernetes secrets of ${props.name}`,
      aliasName: `alias/${props.name}-secrets`,
      accountId: props.accountId,
    });
    const logGroupName = `/aws/eks/${props.name}/cluster`;
    const logGroupArn = `arn:aws:logs:${props.region}:${props.accountId}:log-group:${logGroupName}`;
    const logKey = new EncryptionKey(this, "logs-key", {
      description: `Encrypts the control-plane logs of ${props.name}`,
      aliasName: `alias/${props.name}-logs`,
      accountId: props.accountId,
      statements: [logGroupKeyStatement(props.region, logGroupArn)],
    });
    const logs = new CloudwatchLogGroup(this, "logs", { name: logGroupName, retentionInDays: retention, kmsKeyId: logKey.arn });
    const role = new Role(this, "role", {
      name: `${props.name}-cluster`,
      description: `The EKS control plane of ${props.name}`,
      trust: [{ ...serviceTrust("eks.amazonaws.com", props.accountId), Action: ["sts:AssumeRole", "sts:TagSession"] }],
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      managedPolicyArns: [MANAGED_POLICIES.eksCluster, MANAGED_POLICIES.vpcResourceController],
    });
    this.podEniPermission = role.attachmentOf(MANAGED_POLICIES.vpcResourceController) as ITerraformDependable;
    this.apiSecurityGroup = new SecurityGroup(this, "api-security-group", {
      name: `${props.name}-api`,
      description: `${props.name}: the Kubernetes API's network interfaces; each client admitted on 443 by a rule of its own`,
      vpcId: props.vpcId,
      egress: [],
    });
    this.cluster = new EksCluster(this, "Default", {
      name: props.name,
      version: props.version,
      roleArn: role.arn,
      vpcConfig: { subnetIds: [...props.subnetIds], securityGroupIds: [this.apiSecurityGroup.id], endpointPrivateAccess: true, endpointPublicAccess: cidrs.length > 0, publicAccessCidrs: cidrs.length ? [...cidrs] : undefined },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: this.secretsKey.arn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      upgradePolicy: { supportType: props.supportType ?? "STANDARD" },
      deletionProtection: props.deletionProtection ?? true,
      // The managed add-ons (Addons) replace EKS's unmanaged vpc-cni, kube-proxy and CoreDNS.
      bootstrapSelfManagedAddons: false,
      dependsOn: [logs],
    });
    const issuerUrl = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcProvider = new IamOpenidConnectProvider(this, "oidc-provider", { url: issuerUrl, clientIdList: ["sts.amazonaws.com"] });
    this.oidcIssuer = Fn.replace(issuerUrl, "https://", "");
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;
  }
}
