import { type ResourceView, type Rule, type StackView } from "../types";
import { block, blocks, isTrue, strings } from "./helpers";

const INSTANCE_TYPES = ["aws_instance", "aws_launch_template"];
const SG_INGRESS_TYPES = ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule"];

/** Why an instance (or a template for one) lets its metadata be read without a session token, or through more than one hop. */
function imdsProblem(r: ResourceView): string | undefined {
  const options = block(r.attrs, "metadata_options");
  if (options?.http_endpoint === "disabled") return undefined;
  if (options?.http_tokens !== "required") return `IMDSv1 is allowed: metadata_options.http_tokens is ${JSON.stringify(options?.http_tokens ?? "optional")}`;
  const hops = Number(options.http_put_response_hop_limit ?? 1);
  return hops > 1 ? `metadata_options.http_put_response_hop_limit is ${hops}: a container on the instance could read its role's credentials` : undefined;
}

/** Ways in that bypass IAM: an SSH key pair, or a public address. */
function directAccess(r: ResourceView): string[] {
  const found: string[] = [];
  if (typeof r.attrs.key_name === "string" && r.attrs.key_name !== "") found.push(`an SSH key pair (key_name ${r.attrs.key_name})`);
  const publicIp = isTrue(r.attrs.associate_public_ip_address) || blocks(r.attrs.network_interfaces).some((n) => isTrue(n.associate_public_ip_address));
  if (publicIp) found.push("a public IP address");
  return found;
}

/** Inbound rules of a security group: inline blocks and standalone rules whose group it is. */
function ingressOf(sg: ResourceView, stack: StackView): number {
  const own = (r: ResourceView) => String(r.attrs.security_group_id ?? "").includes(`\${${sg.address}.`) && (r.type !== "aws_security_group_rule" || r.attrs.type === "ingress");
  return blocks(sg.attrs.ingress).length + SG_INGRESS_TYPES.flatMap((t) => stack.ofType(t)).filter(own).length;
}

/** The security groups a block names (by reference) in an attribute list. */
function groupsNamedBy(values: readonly string[], stack: StackView): ResourceView[] {
  return stack.ofType("aws_security_group").filter((sg) => values.some((v) => v.includes(`\${${sg.address}.`)));
}

/** Hosts and runners: EC2 instances, their launch templates, and CI's CodeBuild runners. */
export const instanceRules: Rule[] = [
  {
    id: "PI-EC2-001",
    severity: "error",
    title: "Instances require IMDSv2, with a hop limit of 1",
    rationale: "IMDSv1 answers any request that reaches it, so a server-side request forgery reads the role's credentials; a second hop lets every container on the host do the same.",
    fix: 'Set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 }.',
    checkov: "CKV_AWS_79",
    types: INSTANCE_TYPES,
    check: imdsProblem,
  },
  {
    id: "PI-EC2-002",
    severity: "error",
    title: "Instances have no SSH key and no public IP",
    rationale: "A key pair and a public address are ways in that IAM, CloudTrail and the session logs never see; Session Manager reaches a private instance without either.",
    fix: "Remove key_name and set associate_public_ip_address = false; reach the host with Session Manager (docs/how-to.md, \"Reach the cluster\").",
    checkov: "CKV_AWS_88",
    types: INSTANCE_TYPES,
    check: (r) => {
      const found = directAccess(r);
      return found.length ? `has ${found.join(" and ")}` : undefined;
    },
  },
  {
    id: "PI-EC2-003",
    severity: "error",
    title: "Instance volumes are encrypted",
    rationale: "An unencrypted volume, or a snapshot of it, can be read by anyone who can attach it.",
    fix: 'Set encrypted = "true" on every EBS block device (and the root block device).',
    checkov: "CKV_AWS_8",
    types: INSTANCE_TYPES,
    check: (r) => {
      const volumes = [...blocks(r.attrs.block_device_mappings).map((m) => block(m, "ebs") ?? {}), ...blocks(r.attrs.root_block_device), ...blocks(r.attrs.ebs_block_device)];
      const plain = volumes.filter((v) => !isTrue(v.encrypted)).length;
      return plain ? `${plain} volume(s) not encrypted` : undefined;
    },
  },
  {
    id: "PI-EC2-004",
    severity: "error",
    title: "Access hosts and CI runners admit no inbound traffic",
    rationale: "Both only make outbound connections (Session Manager, GitHub); any inbound rule is a way in that the design does not need.",
    fix: "Remove the ingress rules of the instance's or runner's security group.",
    types: ["aws_launch_template", "aws_instance", "aws_codebuild_project"],
    check: (r, stack) => {
      // Cluster nodes take traffic from the control plane and the load balancers by design.
      if (r.type === "aws_launch_template" && String(r.attrs.description ?? "").startsWith("Nodes of ")) return undefined;
      const named = [
        ...blocks(r.attrs.network_interfaces).flatMap((n) => strings(n.security_groups)),
        ...strings(r.attrs.vpc_security_group_ids),
        ...blocks(r.attrs.vpc_config).flatMap((v) => strings(v.security_group_ids)),
      ];
      const open = groupsNamedBy(named, stack).filter((sg) => ingressOf(sg, stack) > 0);
      return open.length ? `its security group(s) admit inbound traffic: ${open.map((sg) => sg.address).join(", ")}` : undefined;
    },
  },
  {
    id: "PI-CI-001",
    severity: "error",
    title: "CI runners are not privileged",
    rationale: "A privileged build container controls the host's Docker daemon, and through it every other build on the host.",
    fix: "Set environment.privileged_mode = false; build images with a daemonless builder.",
    checkov: "CKV_AWS_316",
    types: ["aws_codebuild_project"],
    check: (r) => (isTrue(block(r.attrs, "environment")?.privileged_mode) ? "environment.privileged_mode is true" : undefined),
  },
];
