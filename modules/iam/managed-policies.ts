/**
 * The AWS-managed policies the platform's roles are given, and the only ones CI's apply role may
 * attach (a condition on `iam:PolicyARN`): attaching anything else, AdministratorAccess above
 * all, is denied. A test checks that every attachment of every stack is in this list.
 */
export const MANAGED_POLICIES = {
  /** The EKS cluster's role. */
  eksCluster: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
  /**
   * The EKS cluster's role, for security groups for pods: the VPC resource controller, which runs
   * on the control plane, makes and attaches the nodes' trunk and the pods' branch interfaces with it
   * (EKS user guide, security-groups-pods-deployment).
   */
  vpcResourceController: "arn:aws:iam::aws:policy/AmazonEKSVPCResourceController",
  /** Nodes: join the cluster. */
  eksWorkerNode: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  /** Nodes: pull images. */
  ecrPullOnly: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
  /** Nodes: reached through SSM Session Manager, never SSH. */
  ssmManagedInstanceCore: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
  /** The vpc-cni add-on's own role. */
  eksCni: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
  /** The EBS CSI driver add-on's own role. */
  ebsCsiDriver: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
  /** RDS enhanced monitoring's role. */
  rdsEnhancedMonitoring: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
  /** AWS Backup's role: take and copy recovery points. */
  backupServiceRole: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  /** AWS Backup's role: restore them. */
  backupRestores: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
} as const;

/** Every policy CI's apply role may attach. */
export const ATTACHABLE_POLICY_ARNS: readonly string[] = Object.values(MANAGED_POLICIES);
