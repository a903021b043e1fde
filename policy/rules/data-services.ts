import { type ResourceView, type Rule, type StackView } from "../types";
import { block, blocks, isTrue, strings } from "./helpers";

const RDS = ["aws_db_instance", "aws_rds_cluster"];

/** The parameter groups an instance or cluster uses (by reference or by literal name). */
function parameterGroups(r: ResourceView, stack: StackView): ResourceView[] {
  const names = [r.attrs.parameter_group_name, r.attrs.db_cluster_parameter_group_name].filter((v): v is string => typeof v === "string");
  const groups = [...stack.ofType("aws_db_parameter_group"), ...stack.ofType("aws_rds_cluster_parameter_group")];
  return groups.filter((g) => names.some((n) => n === g.attrs.name || n.includes(`\${${g.address}.`)));
}

/** RDS and MSK. */
export const dataServiceRules: Rule[] = [
  {
    id: "PI-RDS-001",
    severity: "error",
    title: "RDS storage is encrypted with a customer-managed KMS key",
    rationale: "Unencrypted storage exposes data in snapshots and on retired disks.",
    fix: "Set storage_encrypted = true and kms_key_id = <key>.",
    checkov: "CKV_AWS_16",
    checkovNote: "checks that storage is encrypted, not that the key is customer-managed",
    types: RDS,
    check: (r) => (isTrue(r.attrs.storage_encrypted) && r.attrs.kms_key_id ? undefined : "storage_encrypted with a kms_key_id is not set"),
  },
  {
    id: "PI-RDS-002",
    severity: "error",
    title: "RDS is not publicly accessible",
    rationale: "A public database endpoint is scanned and brute-forced from the internet within minutes.",
    fix: "Set publicly_accessible = false and place it in data subnets.",
    checkov: "CKV_AWS_17",
    types: ["aws_db_instance", "aws_rds_cluster_instance"],
    check: (r) => (isTrue(r.attrs.publicly_accessible) ? "publicly_accessible is true" : undefined),
  },
  {
    id: "PI-RDS-003",
    severity: "warning",
    title: "RDS is Multi-AZ",
    rationale: "A single-AZ database is down for the whole of a zone outage or a host failure.",
    fix: "Set multi_az = true (production environments raise this rule to an error).",
    checkov: "CKV_AWS_157",
    types: ["aws_db_instance"],
    check: (r) => (isTrue(r.attrs.multi_az) ? undefined : "multi_az is not true"),
  },
  {
    id: "PI-RDS-004",
    severity: "error",
    title: "RDS has deletion protection",
    rationale: "One mistaken destroy must not delete a database.",
    fix: "Set deletion_protection = true.",
    checkov: "CKV_AWS_293",
    types: RDS,
    check: (r) => (isTrue(r.attrs.deletion_protection) ? undefined : "deletion_protection is not true"),
  },
  {
    id: "PI-RDS-005",
    severity: "error",
    title: "RDS takes a final snapshot when deleted",
    rationale: "The final snapshot is the last copy of the data if deletion was a mistake.",
    fix: "Set skip_final_snapshot = false and a final_snapshot_identifier.",
    types: RDS,
    check: (r) => (!isTrue(r.attrs.skip_final_snapshot) && r.attrs.final_snapshot_identifier ? undefined : "no final snapshot on delete"),
  },
  {
    id: "PI-RDS-006",
    severity: "error",
    title: "RDS accepts IAM database authentication",
    rationale: "IAM auth gives applications short-lived tokens from their role instead of long-lived passwords.",
    fix: "Set iam_database_authentication_enabled = true.",
    checkov: "CKV_AWS_161",
    types: RDS,
    check: (r) => (isTrue(r.attrs.iam_database_authentication_enabled) ? undefined : "iam_database_authentication_enabled is not true"),
  },
  {
    id: "PI-RDS-007",
    severity: "error",
    title: "RDS Performance Insights is on and encrypted with KMS",
    rationale: "Performance Insights stores query text; it needs the same protection as the data.",
    fix: "Set performance_insights_enabled = true and performance_insights_kms_key_id = <key>.",
    checkov: "CKV_AWS_354",
    types: ["aws_db_instance", "aws_rds_cluster_instance"],
    check: (r) => (isTrue(r.attrs.performance_insights_enabled) && r.attrs.performance_insights_kms_key_id ? undefined : "Performance Insights with a KMS key is not set"),
  },
  {
    id: "PI-RDS-008",
    severity: "warning",
    title: "RDS has enhanced monitoring",
    rationale: "OS-level metrics at 60 s or finer explain incidents that CloudWatch's host metrics cannot.",
    fix: "Set monitoring_interval (e.g. 60) and monitoring_role_arn.",
    checkov: "CKV_AWS_118",
    types: ["aws_db_instance", "aws_rds_cluster_instance"],
    check: (r) => (Number(r.attrs.monitoring_interval ?? 0) > 0 && r.attrs.monitoring_role_arn ? undefined : "enhanced monitoring is off"),
  },
  {
    id: "PI-RDS-009",
    severity: "error",
    title: "RDS exports its logs to CloudWatch",
    rationale: "Database logs kept only on the instance are lost with it and invisible to alerting.",
    fix: 'Set enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"] (PostgreSQL).',
    checkov: "CKV_AWS_129",
    types: RDS,
    check: (r) => (strings(r.attrs.enabled_cloudwatch_logs_exports).length ? undefined : "no log exports"),
  },
  {
    id: "PI-RDS-010",
    severity: "error",
    title: "RDS PostgreSQL forces TLS (rds.force_ssl = 1)",
    rationale: "Without it, clients may connect in clear text inside the VPC.",
    fix: 'Use a parameter group with parameter { name = "rds.force_ssl", value = "1" }.',
    checkov: "CKV2_AWS_69",
    types: RDS,
    check: (r, stack) => {
      if (!String(r.attrs.engine ?? "").includes("postgres")) return undefined;
      const forced = parameterGroups(r, stack).some((g) => blocks(g.attrs.parameter).some((p) => p.name === "rds.force_ssl" && String(p.value) === "1"));
      return forced ? undefined : "no parameter group sets rds.force_ssl = 1";
    },
  },
  {
    id: "PI-RDS-011",
    severity: "error",
    title: "RDS keeps backups for at least 7 days",
    rationale: "Corruption is often noticed days later; a short window leaves nothing good to restore.",
    fix: "Set backup_retention_period to 7 or more.",
    checkov: "CKV_AWS_133",
    types: RDS,
    check: (r) => (Number(r.attrs.backup_retention_period ?? 0) >= 7 ? undefined : `backup_retention_period is ${r.attrs.backup_retention_period ?? "unset"}`),
  },
  {
    id: "PI-RDS-012",
    severity: "error",
    title: "RDS PostgreSQL audits with pgaudit, and never logs every statement's values",
    rationale: "Slow-query logs say nothing of who changed a schema or a grant; pgaudit records DDL and role changes. log_statement = all would write every value, secrets included, into the logs.",
    fix: 'Load it (shared_preload_libraries includes "pgaudit"), set pgaudit.log (e.g. "ddl,role", plus "write" in production), and leave log_statement unset.',
    checkov: "CKV2_AWS_30",
    checkovNote: "CKV2_AWS_30 (RDS) and CKV2_AWS_27 (Aurora) ask for query logging through log_statement; this rule asks for pgaudit instead, so those two stay on the accepted list",
    types: RDS,
    check: (r, stack) => {
      if (!String(r.attrs.engine ?? "").includes("postgres")) return undefined;
      const parameters = parameterGroups(r, stack).flatMap((g) => blocks(g.attrs.parameter));
      const value = (name: string) => parameters.find((p) => p.name === name)?.value;
      const problems = [
        ...(String(value("shared_preload_libraries") ?? "").split(",").map((l) => l.trim()).includes("pgaudit") ? [] : ["shared_preload_libraries does not load pgaudit"]),
        ...(value("pgaudit.log") === undefined || value("pgaudit.log") === "none" ? ["pgaudit.log audits nothing"] : []),
        ...(value("log_statement") === "all" ? ["log_statement is all: every statement is logged with its values"] : []),
      ];
      return problems.length ? problems.join("; ") : undefined;
    },
  },
  {
    id: "PI-MSK-001",
    severity: "error",
    title: "MSK encrypts traffic with TLS, between clients and brokers and inside the cluster",
    rationale: "Kafka messages carry application data; plaintext listeners expose it on the network.",
    fix: 'Set encryption_info.encryption_in_transit { client_broker = "TLS", in_cluster = true }.',
    checkov: "CKV_AWS_81",
    types: ["aws_msk_cluster"],
    check: (r) => {
      const t = block(r.attrs, "encryption_info.encryption_in_transit");
      const clientBroker = t?.client_broker ?? "TLS";
      const inCluster = t?.in_cluster ?? true;
      return clientBroker === "TLS" && isTrue(inCluster) ? undefined : `client_broker ${String(clientBroker)}, in_cluster ${String(inCluster)}`;
    },
  },
  {
    id: "PI-MSK-002",
    severity: "error",
    title: "MSK encrypts data at rest with a customer-managed KMS key",
    rationale: "The AWS-managed default key cannot be restricted or audited by key policy.",
    fix: "Set encryption_info.encryption_at_rest_kms_key_arn.",
    checkov: "CKV_AWS_81",
    checkovNote: "checks encryption in transit, not the customer-managed key at rest",
    types: ["aws_msk_cluster"],
    check: (r) => (block(r.attrs, "encryption_info")?.encryption_at_rest_kms_key_arn ? undefined : "no encryption_at_rest_kms_key_arn"),
  },
  {
    id: "PI-MSK-003",
    severity: "error",
    title: "MSK broker logs are delivered",
    rationale: "Broker logs are needed to investigate authentication failures and outages.",
    fix: "Enable logging_info.broker_logs to CloudWatch Logs, Firehose or S3.",
    checkov: "CKV_AWS_80",
    types: ["aws_msk_cluster"],
    check: (r) => {
      const logs = block(r.attrs, "logging_info.broker_logs") ?? {};
      const on = ["cloudwatch_logs", "firehose", "s3"].some((k) => isTrue(block(logs, k)?.enabled));
      return on ? undefined : "no broker log delivery enabled";
    },
  },
  {
    id: "PI-MSK-004",
    severity: "error",
    title: "MSK brokers are not publicly accessible",
    rationale: "Public brokers put the cluster's listeners on the internet.",
    fix: 'Leave connectivity_info.public_access.type unset or "DISABLED".',
    checkov: "CKV_AWS_291",
    types: ["aws_msk_cluster"],
    check: (r) => {
      const type = block(r.attrs, "broker_node_group_info.connectivity_info.public_access")?.type;
      return type === undefined || type === "DISABLED" ? undefined : `public access type is ${String(type)}`;
    },
  },
  {
    id: "PI-MSK-005",
    severity: "error",
    title: "MSK requires client authentication",
    rationale: "Unauthenticated clients can read and write every topic; IAM or SCRAM ties access to an identity.",
    fix: "Configure client_authentication with sasl { iam = true } (or scram / tls) and unauthenticated = false.",
    types: ["aws_msk_cluster"],
    check: (r) => {
      const auth = block(r.attrs, "client_authentication");
      if (!auth) return "no client_authentication (unauthenticated access)";
      if (isTrue(auth.unauthenticated)) return "unauthenticated access is enabled";
      const sasl = block(auth, "sasl");
      const any = isTrue(sasl?.iam) || isTrue(sasl?.scram) || strings(block(auth, "tls")?.certificate_authority_arns).length > 0;
      return any ? undefined : "no authentication method enabled";
    },
  },
];
