import { PodSecurityGroups, type PodSecurityGroupsProps } from "../../modules/eks/pod-security-groups";
import { synthScope, type SynthesizedStack } from "../helpers";

const props: PodSecurityGroupsProps = {
  vpcId: "vpc-1",
  clusterName: "host-platform",
  clusterSecurityGroupId: "sg-cluster",
  endpointSecurityGroupId: "sg-endpoints",
  podCidrs: { "eu-west-1a": "10.0.0.0/20", "eu-west-1b": "10.0.16.0/20" },
  dataCidrs: { "eu-west-1a": "10.0.102.0/24", "eu-west-1b": "10.0.103.0/24" },
  services: [
    { environment: "prod", service: "gateway", port: 8000, talksTo: ["orders"] },
    { environment: "prod", service: "orders", port: 8080, dataPorts: [5432, 9098] },
    { environment: "prod", service: "worker", dataPorts: [9098] },
    // A tenant's service of the same name: a group of its own, which prod's callers never reach.
    { environment: "dev", service: "orders", port: 8080, dataPorts: [5432] },
  ],
};
const synth = (p: PodSecurityGroupsProps) => JSON.parse(synthScope((scope) => void new PodSecurityGroups(scope, "pods", p))) as SynthesizedStack;
const json = synth(props);
/** Rules as [protocol, port, peer], in a fixed order (the JSON orders them by address). */
const sorted = (list: unknown[][]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const rules = (type: "ingress" | "egress", group: string) =>
  sorted(
    Object.values(json.resource[`aws_vpc_security_group_${type}_rule`] ?? {})
      .filter((r) => r.security_group_id === `\${aws_security_group.pods_${group}.id}`)
      .map((r) => [r.ip_protocol, r.from_port, r.referenced_security_group_id ?? r.cidr_ipv4]),
  );

describe("PodSecurityGroups", () => {
  it("makes one group per service of every environment, <env>-<service>-pods, tagged shared for the load balancer controller, with no inline rules", () => {
    const groups = json.resource.aws_security_group ?? {};
    expect(Object.keys(groups).sort()).toEqual(["pods_dev-orders", "pods_prod-gateway", "pods_prod-orders", "pods_prod-worker"]);
    expect(groups["pods_dev-orders"]).toMatchObject({ name: "dev-orders-pods", vpc_id: "vpc-1", tags: { "kubernetes.io/cluster/host-platform": "shared" } });
    // Inline lists would make Terraform revoke the controller's rules (policy PI-SG-004).
    for (const group of Object.values(groups)) expect([group.ingress, group.egress]).toEqual([undefined, undefined]);
  });

  it("admits a service's port from the cluster security group and from its callers' groups only", () => {
    expect(rules("ingress", "prod-orders")).toEqual(
      sorted([
        ["tcp", 8080, "sg-cluster"],
        ["tcp", 8080, "${aws_security_group.pods_prod-gateway.id}"],
      ]),
    );
    // dev's orders has no caller: prod's gateway calls prod's orders only.
    expect(rules("ingress", "dev-orders")).toEqual([["tcp", 8080, "sg-cluster"]]);
    // A worker has no port: nothing may reach it.
    expect(rules("ingress", "prod-worker")).toEqual([]);
  });

  it("sends DNS to CoreDNS, HTTPS to the endpoints, calls to its callees' groups and data ports to the data subnets, nothing else", () => {
    expect(rules("egress", "prod-gateway")).toEqual(
      sorted([
        ["udp", 53, "sg-cluster"],
        ["tcp", 53, "sg-cluster"],
        ["tcp", 443, "sg-endpoints"],
        ["tcp", 8080, "${aws_security_group.pods_prod-orders.id}"],
      ]),
    );
    expect(rules("egress", "prod-orders")).toEqual(
      sorted([
        ["udp", 53, "sg-cluster"],
        ["tcp", 53, "sg-cluster"],
        ["tcp", 443, "sg-endpoints"],
        ["tcp", 5432, "10.0.102.0/24"],
        ["tcp", 5432, "10.0.103.0/24"],
        ["tcp", 9098, "10.0.102.0/24"],
        ["tcp", 9098, "10.0.103.0/24"],
      ]),
    );
    expect(JSON.stringify(json.resource.aws_vpc_security_group_egress_rule)).not.toContain("0.0.0.0/0");
  });

  it("lets the cluster security group take DNS from the private subnets, a fixed number of rules whatever the services; OTLP with tracing", () => {
    const clusterRules = (j: SynthesizedStack) =>
      sorted(
        Object.values(j.resource.aws_vpc_security_group_ingress_rule ?? {})
          .filter((r) => r.security_group_id === "sg-cluster")
          .map((r) => [r.ip_protocol, r.from_port, r.cidr_ipv4]),
      );
    const dns = [
      ["udp", 53, "10.0.0.0/20"],
      ["tcp", 53, "10.0.0.0/20"],
      ["udp", 53, "10.0.16.0/20"],
      ["tcp", 53, "10.0.16.0/20"],
    ];
    expect(clusterRules(json)).toEqual(sorted(dns));
    expect(clusterRules(synth({ ...props, services: [props.services[3]!] }))).toEqual(sorted(dns));
    const traced = synth({ ...props, otlpPorts: [4317, 4318] });
    expect(clusterRules(traced)).toEqual(
      sorted([
        ...dns,
        ["tcp", 4317, "10.0.0.0/20"],
        ["tcp", 4318, "10.0.0.0/20"],
        ["tcp", 4317, "10.0.16.0/20"],
        ["tcp", 4318, "10.0.16.0/20"],
      ]),
    );
    expect(rules("egress", "prod-worker")).not.toContainEqual(["tcp", 4317, "sg-cluster"]);
    expect(Object.values(traced.resource.aws_vpc_security_group_egress_rule ?? {}).filter((r) => r.security_group_id === "${aws_security_group.pods_prod-worker.id}" && r.from_port === 4318)).toEqual([expect.objectContaining({ referenced_security_group_id: "sg-cluster" })]);
    expect(Object.keys(synth({ ...props, services: [] }).resource ?? {})).toEqual([]);
  });

  it.each([
    [{ ...props, services: [props.services[0]!, props.services[0]!] }, "pods: a service is listed twice (prod/gateway, prod/gateway)"],
    [{ ...props, services: [{ environment: "prod", service: "gateway", talksTo: ["worker"] }, { environment: "prod", service: "worker" }] }, "pods: prod/gateway talks to worker, which is no service with a port of prod"],
    [{ ...props, services: [{ environment: "sg", service: "app" }] }, "pods: sg-app-pods starts with sg-, which EC2 refuses in a group's name"],
  ])("refuses %#", (bad, message) => {
    expect(() => synth(bad)).toThrow(`test/${message}`);
  });
});
