import { type ResourceView, type Rule } from "../types";
import { blocks, isTrue, statements, strings } from "./helpers";

/** Tag that marks the one security group allowed to take 80/443 from anywhere. */
export const LOAD_BALANCER_SG_TAG = { key: "platform/role", value: "load-balancer" } as const;

const SG_RULE_TYPES = ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_security_group_rule"];
const ANYWHERE = ["0.0.0.0/0", "::/0"];

/** Ingress rules of a security group: inline blocks plus standalone rule resources. */
function ingressFromAnywhere(sg: ResourceView, rules: readonly ResourceView[]): Array<{ from?: unknown; to?: unknown }> {
  const inline = blocks(sg.attrs.ingress)
    .filter((i) => [...strings(i.cidr_blocks), ...strings(i.ipv6_cidr_blocks)].some((c) => ANYWHERE.includes(c)))
    .map((i) => ({ from: i.from_port, to: i.to_port }));
  const standalone = rules
    .filter((r) => r.type !== "aws_security_group_rule" || r.attrs.type === "ingress")
    .filter((r) => r.type !== "aws_vpc_security_group_egress_rule")
    .filter((r) => [r.attrs.cidr_ipv4, r.attrs.cidr_ipv6, ...strings(r.attrs.cidr_blocks), ...strings(r.attrs.ipv6_cidr_blocks)].some((c) => ANYWHERE.includes(c as string)))
    .map((r) => ({ from: r.attrs.from_port, to: r.attrs.to_port }));
  return [...inline, ...standalone];
}

/** KMS, VPC and security groups. */
export const networkRules: Rule[] = [
  {
    id: "PI-KMS-001",
    severity: "error",
    title: "KMS keys rotate automatically",
    rationale: "Rotation limits how much data one key version protects; it costs nothing to enable.",
    fix: "Set enable_key_rotation = true.",
    checkov: "CKV_AWS_7",
    types: ["aws_kms_key"],
    check: (r) => (isTrue(r.attrs.enable_key_rotation) ? undefined : "enable_key_rotation is not true"),
  },
  {
    id: "PI-KMS-002",
    severity: "error",
    title: 'KMS key policies grant nothing to the "*" principal',
    rationale: 'A key policy statement allowing "*" lets any AWS account use the key unless a condition narrows it.',
    fix: "Name the account root, roles or service principals that need the key.",
    checkov: "CKV_AWS_33",
    checkovNote: "can never fail on this output: the key policies are aws_iam_policy_document references it does not read, and it looks for a literal \"*\" principal",
    types: ["aws_kms_key"],
    check: (r, stack) => {
      const open = statements(r.attrs.policy, stack).filter((s) => {
        const p = s.Principal as { AWS?: unknown } | string | undefined;
        const everyone = p === "*" || strings((p as { AWS?: unknown } | undefined)?.AWS).includes("*");
        return s.Effect === "Allow" && everyone && !s.Condition;
      });
      return open.length ? `statement ${open.map((s) => s.Sid ?? "(no Sid)").join(", ")} allows "*" without a condition` : undefined;
    },
  },
  {
    id: "PI-VPC-001",
    severity: "error",
    title: "VPCs have flow logs",
    rationale: "Flow logs are the only record of who talked to what inside the VPC when investigating an incident.",
    fix: "Add an aws_flow_log for the VPC with traffic_type ALL.",
    checkov: "CKV2_AWS_11",
    types: ["aws_vpc"],
    check: (r, stack) => (stack.linkedTo(r, "aws_flow_log").some((f) => f.attrs.traffic_type === "ALL") ? undefined : "no aws_flow_log with traffic_type ALL"),
  },
  {
    id: "PI-VPC-002",
    severity: "error",
    title: "The default security group has no rules",
    rationale: "Anything launched without an explicit group lands in the default one; its allow-all rules would apply.",
    fix: "Add an aws_default_security_group for the VPC with no ingress and no egress.",
    checkov: "CKV2_AWS_12",
    types: ["aws_vpc"],
    check: (r, stack) => {
      const dsg = stack.linkedTo(r, "aws_default_security_group")[0];
      if (!dsg) return "the default security group is not managed (it keeps its allow-all rules)";
      return blocks(dsg.attrs.ingress).length || blocks(dsg.attrs.egress).length ? "the default security group has rules" : undefined;
    },
  },
  {
    id: "PI-VPC-003",
    severity: "error",
    title: "Only public subnets may map public IPs on launch",
    rationale: "An instance in a private or data subnet with a public IP is reachable from the internet if a route allows.",
    fix: 'Set map_public_ip_on_launch = false (public subnets carry the tag kubernetes.io/role/elb = "1").',
    checkov: "CKV_AWS_130",
    types: ["aws_subnet"],
    check: (r) => {
      const isPublic = (r.attrs.tags as Record<string, string> | undefined)?.["kubernetes.io/role/elb"] === "1";
      return isTrue(r.attrs.map_public_ip_on_launch) && !isPublic ? "a non-public subnet maps public IPs on launch" : undefined;
    },
  },
  {
    id: "PI-SG-001",
    severity: "error",
    title: "Security groups have a description",
    rationale: "Reviewers and responders need to know what a group is for; the default text says nothing.",
    fix: "Set description to what the group admits and why.",
    checkov: "CKV_AWS_23",
    types: ["aws_security_group"],
    check: (r) => {
      const d = String(r.attrs.description ?? "").trim();
      return d && d !== "Managed by Terraform" ? undefined : "no description";
    },
  },
  {
    id: "PI-SG-002",
    severity: "error",
    title: "Security group rules have a description",
    rationale: "A rule without a description cannot be reviewed: nobody knows whether it is still needed.",
    fix: "Set description on every ingress and egress rule.",
    checkov: "CKV_AWS_23",
    types: ["aws_security_group", ...SG_RULE_TYPES],
    check: (r) => {
      const rules = r.type === "aws_security_group" ? [...blocks(r.attrs.ingress), ...blocks(r.attrs.egress)] : [r.attrs];
      const missing = rules.filter((x) => !String(x.description ?? "").trim()).length;
      return missing ? `${missing} rule(s) without a description` : undefined;
    },
  },
  {
    id: "PI-SG-004",
    severity: "error",
    title: "A security group's rules of one direction are inline or standalone, never both",
    rationale: "An inline ingress or egress list (even an empty one) makes Terraform own every rule of that direction: it revokes the standalone rules on one apply and they come back on the next, cutting traffic in between.",
    fix: "Leave the group's ingress/egress attribute out and keep the standalone aws_vpc_security_group_*_rule resources (Terraform still removes AWS's default egress rule from a new group).",
    types: ["aws_security_group"],
    check: (sg, stack) => {
      const own = (r: ResourceView) => String(r.attrs.security_group_id ?? "").includes(`\${${sg.address}.`);
      const standalone = (direction: "ingress" | "egress") =>
        [...stack.ofType(`aws_vpc_security_group_${direction}_rule`), ...stack.ofType("aws_security_group_rule").filter((r) => r.attrs.type === direction)].filter(own).length;
      const both = (["ingress", "egress"] as const).filter((d) => Array.isArray(sg.attrs[d]) && standalone(d) > 0);
      return both.length ? `both an inline ${both.join(" and ")} list and standalone ${both.join("/")} rules` : undefined;
    },
  },
  {
    id: "PI-SG-003",
    severity: "error",
    title: "No ingress from anywhere, except 80/443 to the load-balancer security group",
    rationale: "Anything else open to 0.0.0.0/0 or ::/0 is an attack surface on the internet.",
    fix: `Restrict the source CIDR. Only a group tagged ${LOAD_BALANCER_SG_TAG.key} = ${LOAD_BALANCER_SG_TAG.value} may admit ports 80 and 443 from anywhere.`,
    types: ["aws_security_group"],
    check: (sg, stack) => {
      const rules = SG_RULE_TYPES.flatMap((t) => stack.linkedTo(sg, t));
      const isLb = (sg.attrs.tags as Record<string, string> | undefined)?.[LOAD_BALANCER_SG_TAG.key] === LOAD_BALANCER_SG_TAG.value;
      const bad = ingressFromAnywhere(sg, rules).filter((i) => !(isLb && i.from === i.to && [80, 443].includes(Number(i.from))));
      return bad.length ? `ingress from anywhere on port(s) ${bad.map((b) => (b.from === b.to ? String(b.from) : `${b.from}-${b.to}`)).join(", ")}` : undefined;
    },
  },
];
