import { type Rule } from "../types";
import { block, blocks, strings } from "./helpers";

const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** EKS clusters, node groups and the launch templates nodes boot from. */
export const eksRules: Rule[] = [
  {
    id: "PI-EKS-001",
    severity: "error",
    title: "EKS encrypts Kubernetes secrets with a KMS key",
    rationale: "Envelope encryption keeps secrets unreadable in etcd backups and snapshots.",
    fix: 'Add encryption_config { resources = ["secrets"], provider { key_arn = <key> } }.',
    checkov: "CKV_AWS_58",
    types: ["aws_eks_cluster"],
    check: (r) => {
      const ok = blocks(r.attrs.encryption_config).some((c) => strings(c.resources).includes("secrets") && Boolean(block(c, "provider")?.key_arn));
      return ok ? undefined : "no encryption_config for secrets with a KMS key";
    },
  },
  {
    id: "PI-EKS-002",
    severity: "error",
    title: "EKS sends every control-plane log type to CloudWatch",
    rationale: "The audit and authenticator logs are the only record of who did what to the cluster.",
    fix: `Set enabled_cluster_log_types = ${JSON.stringify(CONTROL_PLANE_LOGS)}.`,
    checkov: "CKV_AWS_37",
    types: ["aws_eks_cluster"],
    check: (r) => {
      const missing = CONTROL_PLANE_LOGS.filter((t) => !strings(r.attrs.enabled_cluster_log_types).includes(t));
      return missing.length ? `log types not enabled: ${missing.join(", ")}` : undefined;
    },
  },
  {
    id: "PI-EKS-003",
    severity: "error",
    title: "The EKS public endpoint is off or limited to known CIDRs",
    rationale: "An API server open to the internet is one leaked credential or CVE away from compromise.",
    fix: "Set vpc_config.endpoint_public_access = false, or list public_access_cidrs without 0.0.0.0/0.",
    checkov: "CKV_AWS_38",
    types: ["aws_eks_cluster"],
    check: (r) => {
      const vpc = block(r.attrs, "vpc_config") ?? {};
      // The API defaults endpoint_public_access to true and public_access_cidrs to 0.0.0.0/0.
      if (vpc.endpoint_public_access === false) return undefined;
      const cidrs = strings(vpc.public_access_cidrs);
      return cidrs.length === 0 || cidrs.includes("0.0.0.0/0") ? "the public endpoint is open to 0.0.0.0/0" : undefined;
    },
  },
  {
    id: "PI-EKS-004",
    severity: "error",
    title: "Launch templates require IMDSv2",
    rationale: "IMDSv1 answers any SSRF-able GET with the node role's credentials.",
    fix: 'Set metadata_options { http_tokens = "required" }.',
    checkov: "CKV_AWS_79",
    types: ["aws_launch_template"],
    check: (r) => (block(r.attrs, "metadata_options")?.http_tokens === "required" ? undefined : "http_tokens is not required"),
  },
  {
    id: "PI-EKS-005",
    severity: "warning",
    title: "Launch templates keep the metadata hop limit at 1",
    rationale: "With a hop limit above 1, pods can reach the node's metadata service and take its role; pods get credentials through IRSA instead.",
    fix: "Set metadata_options { http_put_response_hop_limit = 1 }.",
    checkov: "CKV_AWS_341",
    types: ["aws_launch_template"],
    check: (r) => {
      const limit = block(r.attrs, "metadata_options")?.http_put_response_hop_limit;
      return limit === undefined || Number(limit) === 1 ? undefined : `hop limit is ${limit}`;
    },
  },
  {
    id: "PI-EKS-006",
    severity: "error",
    title: "Node groups allow no SSH remote access",
    rationale: "SSH keys on nodes bypass IAM and audit; use SSM Session Manager when a node must be inspected.",
    fix: "Remove the remote_access block.",
    checkov: "CKV_AWS_100",
    types: ["aws_eks_node_group"],
    check: (r) => (blocks(r.attrs.remote_access).length ? "remote_access (SSH) is configured" : undefined),
  },
];

