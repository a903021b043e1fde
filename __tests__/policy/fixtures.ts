/**
 * Minimal resolved Terraform JSON per rule: one configuration that breaks it and one that
 * complies. rules.test.ts runs every rule over both, and fails if a rule has no fixture.
 */
type Tf = Record<string, unknown>;
export interface RuleFixture {
  readonly bad: Tf;
  readonly good: Tf;
}

const res = (blocks: Record<string, Record<string, Record<string, unknown>>>): Tf => ({ resource: blocks });
const json = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const bucket = { aws_s3_bucket: { b: { bucket: "acme" } } };
const ref = (address: string) => `\${${address}.id}`;
const withBucket = (type: string, attrs: Record<string, unknown>) => res({ ...bucket, [type]: { x: { bucket: ref("aws_s3_bucket.b"), ...attrs } } });

const vpc = { aws_vpc: { v: { cidr_block: "10.0.0.0/16" } } };
const sg = (attrs: Record<string, unknown> = {}) => ({ aws_security_group: { s: { description: "web", vpc_id: ref("aws_vpc.v"), ...attrs } } });
const ingress = (attrs: Record<string, unknown>) => ({ aws_vpc_security_group_ingress_rule: { i: { security_group_id: ref("aws_security_group.s"), description: "d", ip_protocol: "tcp", ...attrs } } });

const eks = (attrs: Record<string, unknown> = {}) => ({
  aws_eks_cluster: {
    c: {
      encryption_config: { resources: ["secrets"], provider: { key_arn: "arn:k" } },
      enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      vpc_config: { endpoint_public_access: false },
      ...attrs,
    },
  },
});

const db = (attrs: Record<string, unknown> = {}) => ({
  aws_db_instance: {
    d: {
      engine: "postgres",
      storage_encrypted: true,
      kms_key_id: "arn:k",
      publicly_accessible: false,
      multi_az: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "final",
      iam_database_authentication_enabled: true,
      performance_insights_enabled: true,
      performance_insights_kms_key_id: "arn:k",
      monitoring_interval: 60,
      monitoring_role_arn: "arn:r",
      enabled_cloudwatch_logs_exports: ["postgresql"],
      backup_retention_period: 7,
      parameter_group_name: "${aws_db_parameter_group.p.name}",
      ...attrs,
    },
  },
  aws_db_parameter_group: {
    p: {
      name: "pg",
      family: "postgres16",
      parameter: [
        { name: "rds.force_ssl", value: "1" },
        { name: "shared_preload_libraries", value: "pg_stat_statements,pgaudit" },
        { name: "pgaudit.log", value: "ddl,role" },
      ],
    },
  },
});

const msk = (attrs: Record<string, unknown> = {}) => ({
  aws_msk_cluster: {
    m: {
      encryption_info: { encryption_at_rest_kms_key_arn: "arn:k", encryption_in_transit: { client_broker: "TLS", in_cluster: true } },
      logging_info: { broker_logs: { cloudwatch_logs: { enabled: true, log_group: "g" } } },
      broker_node_group_info: { connectivity_info: { public_access: { type: "DISABLED" } } },
      client_authentication: { sasl: { iam: true }, unauthenticated: false },
      ...attrs,
    },
  },
});

const role = (attrs: Record<string, unknown> = {}) => ({ aws_iam_role: { r: { assume_role_policy: json([]), permissions_boundary: "arn:aws:iam::1:policy/b", ...attrs } } });
const policy = (statements: unknown[]) => ({ aws_iam_policy: { p: { policy: json(statements) } } });
const oidc = (condition: Record<string, unknown>) =>
  json([{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::1:oidc-provider/oidc.eks" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition }]);

const ecr = (attrs: Record<string, unknown> = {}) => ({
  aws_ecr_repository: { e: { image_tag_mutability: "IMMUTABLE", image_scanning_configuration: { scan_on_push: true }, encryption_configuration: { encryption_type: "KMS" }, ...attrs } },
});

const helm = (attrs: Record<string, unknown> = {}) => ({ helm_release: { h: { name: "x", chart: "x", version: "1.14.1", ...attrs } } });

const albIngress = (annotations: Record<string, string>) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name: "app", namespace: "app", annotations: { "alb.ingress.kubernetes.io/scheme": "internet-facing", ...annotations } },
});

export const FIXTURES: Record<string, RuleFixture> = {
  "PI-S3-001": { bad: res(bucket), good: withBucket("aws_s3_bucket_versioning", { versioning_configuration: { status: "Enabled" } }) },
  "PI-S3-002": {
    bad: withBucket("aws_s3_bucket_server_side_encryption_configuration", { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] }),
    good: withBucket("aws_s3_bucket_server_side_encryption_configuration", { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "arn:k" } }] }),
  },
  "PI-S3-003": {
    bad: withBucket("aws_s3_bucket_public_access_block", { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: false }),
    good: withBucket("aws_s3_bucket_public_access_block", { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
  },
  "PI-S3-004": {
    bad: withBucket("aws_s3_bucket_policy", { policy: json([{ Effect: "Allow", Principal: { AWS: "arn:a" }, Action: "s3:GetObject", Resource: "*" }]) }),
    good: withBucket("aws_s3_bucket_policy", { policy: json([{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": false } } }]) }),
  },
  "PI-S3-005": {
    bad: withBucket("aws_s3_bucket_ownership_controls", { rule: { object_ownership: "ObjectWriter" } }),
    good: withBucket("aws_s3_bucket_ownership_controls", { rule: { object_ownership: "BucketOwnerEnforced" } }),
  },
  "PI-S3-006": {
    bad: withBucket("aws_s3_bucket_lifecycle_configuration", { rule: [{ id: "a", status: "Enabled", abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }] }),
    good: withBucket("aws_s3_bucket_lifecycle_configuration", {
      rule: [
        { id: "a", status: "Enabled", abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] },
        { id: "b", status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 30 }] },
      ],
    }),
  },
  "PI-DDB-001": { bad: res({ aws_dynamodb_table: { t: {} } }), good: res({ aws_dynamodb_table: { t: { point_in_time_recovery: { enabled: true } } } }) },
  "PI-DDB-002": {
    bad: res({ aws_dynamodb_table: { t: { server_side_encryption: { enabled: true } } } }),
    good: res({ aws_dynamodb_table: { t: { server_side_encryption: { enabled: true, kms_key_arn: "arn:k" } } } }),
  },
  "PI-KMS-001": { bad: res({ aws_kms_key: { k: { enable_key_rotation: false } } }), good: res({ aws_kms_key: { k: { enable_key_rotation: true } } }) },
  "PI-KMS-002": {
    bad: res({ aws_kms_key: { k: { policy: json([{ Sid: "Open", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" }]) } } }),
    good: res({ aws_kms_key: { k: { policy: json([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "kms:*", Resource: "*" }]) } } }),
  },
  "PI-VPC-001": { bad: res(vpc), good: res({ ...vpc, aws_flow_log: { f: { vpc_id: ref("aws_vpc.v"), traffic_type: "ALL" } } }) },
  "PI-VPC-002": {
    bad: res({ ...vpc, aws_default_security_group: { d: { vpc_id: ref("aws_vpc.v"), ingress: [{ from_port: 0, to_port: 0, protocol: "-1", self: true }] } } }),
    good: res({ ...vpc, aws_default_security_group: { d: { vpc_id: ref("aws_vpc.v") } } }),
  },
  "PI-VPC-003": {
    bad: res({ aws_subnet: { s: { map_public_ip_on_launch: true, tags: { Name: "private" } } } }),
    good: res({ aws_subnet: { s: { map_public_ip_on_launch: true, tags: { "kubernetes.io/role/elb": "1" } } } }),
  },
  "PI-SG-001": { bad: res(sg({ description: "Managed by Terraform" })), good: res(sg()) },
  "PI-SG-002": {
    bad: res({ ...sg(), ...ingress({ description: undefined, cidr_ipv4: "10.0.0.0/16", from_port: 443, to_port: 443 }) }),
    good: res({ ...sg(), ...ingress({ cidr_ipv4: "10.0.0.0/16", from_port: 443, to_port: 443 }) }),
  },
  "PI-SG-003": {
    bad: res({ ...sg(), ...ingress({ cidr_ipv4: "0.0.0.0/0", from_port: 22, to_port: 22 }) }),
    good: res({ ...sg({ tags: { "platform/role": "load-balancer" } }), ...ingress({ cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443 }) }),
  },
  "PI-EKS-001": { bad: res(eks({ encryption_config: undefined })), good: res(eks()) },
  "PI-EKS-002": { bad: res(eks({ enabled_cluster_log_types: ["api"] })), good: res(eks()) },
  "PI-EKS-003": {
    bad: res(eks({ vpc_config: { endpoint_public_access: true } })),
    good: res(eks({ vpc_config: { endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] } })),
  },
  "PI-EKS-004": {
    bad: res({ aws_launch_template: { l: { metadata_options: { http_tokens: "optional" } } } }),
    good: res({ aws_launch_template: { l: { metadata_options: { http_tokens: "required" } } } }),
  },
  "PI-EKS-005": {
    bad: res({ aws_launch_template: { l: { metadata_options: { http_tokens: "required", http_put_response_hop_limit: 2 } } } }),
    good: res({ aws_launch_template: { l: { metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 } } } }),
  },
  "PI-EKS-006": { bad: res({ aws_eks_node_group: { n: { remote_access: { ec2_ssh_key: "k" } } } }), good: res({ aws_eks_node_group: { n: {} } }) },
  "PI-RDS-001": { bad: res(db({ storage_encrypted: false })), good: res(db()) },
  "PI-RDS-002": { bad: res(db({ publicly_accessible: true })), good: res(db()) },
  "PI-RDS-003": { bad: res(db({ multi_az: false })), good: res(db()) },
  "PI-RDS-004": { bad: res(db({ deletion_protection: false })), good: res(db()) },
  "PI-RDS-005": { bad: res(db({ skip_final_snapshot: true })), good: res(db()) },
  "PI-RDS-006": { bad: res(db({ iam_database_authentication_enabled: false })), good: res(db()) },
  "PI-RDS-007": { bad: res(db({ performance_insights_kms_key_id: undefined })), good: res(db()) },
  "PI-RDS-008": { bad: res(db({ monitoring_interval: 0 })), good: res(db()) },
  "PI-RDS-009": { bad: res(db({ enabled_cloudwatch_logs_exports: [] })), good: res(db()) },
  "PI-RDS-010": { bad: res(db({ parameter_group_name: "default.postgres16" })), good: res(db()) },
  "PI-RDS-011": { bad: res(db({ backup_retention_period: 1 })), good: res(db()) },
  "PI-RDS-012": {
    bad: res({ ...db(), aws_db_parameter_group: { p: { name: "pg", family: "postgres16", parameter: [{ name: "rds.force_ssl", value: "1" }, { name: "log_statement", value: "all" }] } } }),
    good: res(db()),
  },
  "PI-MSK-001": { bad: res(msk({ encryption_info: { encryption_at_rest_kms_key_arn: "arn:k", encryption_in_transit: { client_broker: "TLS_PLAINTEXT" } } })), good: res(msk()) },
  "PI-MSK-002": { bad: res(msk({ encryption_info: { encryption_in_transit: { client_broker: "TLS" } } })), good: res(msk()) },
  "PI-MSK-003": { bad: res(msk({ logging_info: undefined })), good: res(msk()) },
  "PI-MSK-004": { bad: res(msk({ broker_node_group_info: { connectivity_info: { public_access: { type: "SERVICE_PROVIDED_EIPS" } } } })), good: res(msk()) },
  "PI-MSK-005": { bad: res(msk({ client_authentication: { unauthenticated: true } })), good: res(msk()) },
  "PI-LOG-001": { bad: res({ aws_cloudwatch_log_group: { g: { kms_key_id: "k" } } }), good: res({ aws_cloudwatch_log_group: { g: { kms_key_id: "k", retention_in_days: 30 } } }) },
  "PI-LOG-002": { bad: res({ aws_cloudwatch_log_group: { g: { retention_in_days: 30 } } }), good: res({ aws_cloudwatch_log_group: { g: { kms_key_id: "k", retention_in_days: 30 } } }) },
  "PI-SM-001": { bad: res({ aws_secretsmanager_secret: { s: { name: "s" } } }), good: res({ aws_secretsmanager_secret: { s: { name: "s", kms_key_id: "arn:k" } } }) },
  "PI-ECR-001": { bad: res(ecr({ image_tag_mutability: "MUTABLE" })), good: res(ecr()) },
  "PI-ECR-002": { bad: res(ecr({ image_scanning_configuration: { scan_on_push: false } })), good: res(ecr()) },
  "PI-ECR-003": { bad: res(ecr({ encryption_configuration: { encryption_type: "AES256" } })), good: res(ecr()) },
  "PI-IAM-006": {
    bad: res(policy([{ Sid: "Escalate", Effect: "Allow", Action: ["iam:Update*", "ec2:DescribeInstances"], Resource: "*" }])),
    good: res(policy([{ Effect: "Allow", Action: "iam:UpdateAssumeRolePolicy", Resource: "arn:aws:iam::1:role/dev-*" }])),
  },
  "PI-IAM-007": {
    bad: res(policy([{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }])),
    good: res(policy([{ Effect: "Allow", Action: ["secretsmanager:BatchGetSecretValue", "kms:Decrypt"], Resource: "*", Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } } }])),
  },
  "PI-IAM-001": {
    bad: res(policy([{ Sid: "All", Effect: "Allow", Action: "*", Resource: "arn:x" }])),
    good: res(policy([{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:x" }])),
  },
  "PI-IAM-002": {
    bad: res(policy([{ Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: "*" }])),
    good: res(
      policy([
        { Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:CreateNetworkInterface"], Resource: "*" },
        { Effect: "Allow", Action: "ec2:CreateTags", Resource: "*", Condition: { StringEquals: { "ec2:CreateAction": "RunInstances" } } },
      ]),
    ),
  },
  "PI-IAM-003": {
    bad: res({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } }),
    good: res({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } } }),
  },
  "PI-IAM-004": {
    bad: res(role({ assume_role_policy: oidc({ StringLike: { "oidc.eks:sub": "system:serviceaccount:*:*" } }) })),
    good: res(role({ assume_role_policy: oidc({ StringEquals: { "oidc.eks:sub": "system:serviceaccount:app:api", "oidc.eks:aud": "sts.amazonaws.com" } }) })),
  },
  "PI-IAM-005": { bad: res(role({ permissions_boundary: undefined })), good: res(role()) },
  "PI-HELM-001": { bad: res(helm({ version: "^1.14.0" })), good: res(helm()) },
  "PI-HELM-002": {
    bad: res(helm({ values: ["grafana:\n  adminPassword: hunter2\n"] })),
    good: res(helm({ values: ["grafana:\n  admin:\n    existingSecret: grafana-admin\n"], set_sensitive: [{ name: "db.password", value: "${random_password.db.result}" }] })),
  },
  "PI-SEC-001": {
    bad: res({ aws_db_instance: { d: { password: "hunter2" } } }),
    good: res({ aws_db_instance: { d: { manage_master_user_password: true, password_length: 32 } } }),
  },
  "PI-K8S-001": {
    bad: { provider: { kubernetes: [{ host: "https://k", token: "eyJhbGciOi" }] } },
    good: { provider: { helm: [{ kubernetes: { host: "https://k", exec: { api_version: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token"] } } }] } },
  },
  "PI-WAF-001": {
    bad: res(helm({ values: [JSON.stringify({ manifests: [albIngress({})] })] })),
    good: res(helm({ values: [JSON.stringify({ manifests: [albIngress({ "alb.ingress.kubernetes.io/wafv2-acl-arn": "${aws_wafv2_web_acl.a.arn}" }), { ...albIngress({}), metadata: { name: "internal", annotations: { "alb.ingress.kubernetes.io/scheme": "internal" } } }] })] })),
  },
  "PI-WAF-002": {
    bad: res({ aws_wafv2_web_acl: { a: { name: "acl", scope: "REGIONAL" } } }),
    good: res({ aws_wafv2_web_acl: { a: { name: "acl", scope: "REGIONAL" } }, aws_wafv2_web_acl_logging_configuration: { l: { resource_arn: "${aws_wafv2_web_acl.a.arn}", log_destination_configs: ["arn:aws:logs:eu-west-1:1:log-group:aws-waf-logs-acl"] } } }),
  },
  "PI-EC2-001": {
    bad: res({ aws_launch_template: { t: { name: "host", metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 2 } }, u: { name: "v1", metadata_options: { http_tokens: "optional" } } } }),
    good: res({ aws_launch_template: { t: { name: "host", metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 } } } }),
  },
  "PI-EC2-002": {
    bad: res({ aws_launch_template: { t: { name: "host", key_name: "ops", network_interfaces: [{ associate_public_ip_address: "true" }] } } }),
    good: res({ aws_launch_template: { t: { name: "host", network_interfaces: [{ associate_public_ip_address: "false" }] } } }),
  },
  "PI-EC2-003": {
    bad: res({ aws_launch_template: { t: { name: "host", block_device_mappings: [{ device_name: "/dev/xvda", ebs: { volume_size: 10 } }] } } }),
    good: res({ aws_launch_template: { t: { name: "host", block_device_mappings: [{ device_name: "/dev/xvda", ebs: { volume_size: 10, encrypted: "true" } }] } } }),
  },
  "PI-EC2-004": {
    bad: res({ ...vpc, ...sg(), ...ingress({ from_port: 22, to_port: 22, cidr_ipv4: "10.0.0.0/8" }), aws_codebuild_project: { p: { name: "runner", vpc_config: { security_group_ids: [ref("aws_security_group.s")] } } } }),
    // The runner's group admitted by another group (the cluster's) is outbound for the runner.
    good: res({
      ...vpc,
      ...sg(),
      aws_security_group: { s: { description: "runner", vpc_id: ref("aws_vpc.v") }, c: { description: "cluster", vpc_id: ref("aws_vpc.v") } },
      aws_vpc_security_group_ingress_rule: { i: { security_group_id: ref("aws_security_group.c"), referenced_security_group_id: ref("aws_security_group.s"), description: "d", ip_protocol: "tcp", from_port: 443, to_port: 443 } },
      aws_codebuild_project: { p: { name: "runner", vpc_config: { security_group_ids: [ref("aws_security_group.s")] } } },
    }),
  },
  "PI-CI-001": {
    bad: res({ aws_codebuild_project: { p: { name: "runner", environment: { privileged_mode: true } } } }),
    good: res({ aws_codebuild_project: { p: { name: "runner", environment: { privileged_mode: false } } } }),
  },
  "PI-SG-004": {
    bad: res({ ...vpc, ...sg({ egress: [] }), aws_vpc_security_group_egress_rule: { e: { security_group_id: ref("aws_security_group.s"), description: "https", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" } } }),
    good: res({ ...vpc, ...sg(), aws_vpc_security_group_egress_rule: { e: { security_group_id: ref("aws_security_group.s"), description: "https", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" } } }),
  },
};
