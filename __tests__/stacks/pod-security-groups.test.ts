import { TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import { manifestObjects, type StackJson } from "../../k8s/validation/cluster-objects";
import { EKS_CONTRACT, podSecurityGroupKey } from "../../stacks/contracts/eks";
import { DatabaseStack } from "../../stacks/database-stack";
import { StreamingStack } from "../../stacks/streaming-stack";
import { examplesSynth, fixtureInputs, fixtureSynth, type SynthesizedStack } from "../helpers";

// Security groups for pods across the layers: the cluster host's eks makes a group per service of
// every environment in its cluster, its platform release gives each service's pods theirs
// (SecurityGroupPolicy), and each environment's data stores admit exactly its own services'.
const synth = examplesSynth("shared-cluster");
const tenants = { dev: "development", stage: "staging", prod: "production" } as const;

/** A reference's value once Terraform resolves the stack's locals (the contract reads map keys through one each). */
const resolve = (json: SynthesizedStack, value: unknown) => {
  const locals = (json as { locals?: Record<string, string> }).locals ?? {};
  return String(value).replace(/^\$\{local\.([\w-]+)\}$/, (_m, name: string) => locals[name] ?? `(no local ${name})`);
};

describe("the shared cluster's SecurityGroupPolicies (examples/shared-cluster)", () => {
  const platform = synth.stack("saas-platform");
  const policies = manifestObjects("saas-platform", platform as StackJson).filter((p) => p.object.kind === "SecurityGroupPolicy");

  it("give each tenant's pods, in its own namespace, exactly its own group from the host's state", () => {
    expect(
      policies.map((p) => ({ namespace: p.namespace, name: p.object.metadata.name, groups: ((p.object.spec as { securityGroups: { groupIds: string[] } }).securityGroups.groupIds).map((g) => resolve(platform, g)) })),
    ).toEqual(
      expect.arrayContaining(Object.entries(tenants).map(([env, namespace]) => ({ namespace, name: "app-pods", groups: [`\${data.terraform_remote_state.eks.outputs.pod_security_groups["${env}/app"]}`] }))),
    );
    expect(policies).toHaveLength(Object.keys(tenants).length);
    expect(platform.data?.terraform_remote_state?.eks?.config).toMatchObject({ key: "saas/eks.tfstate" });
  });

  it("are the host's alone: no tenant stack writes one (one could name another tenant's group)", () => {
    const tenantStacks = Object.keys(synth.manifest()).filter((id) => Object.keys(tenants).some((t) => id.startsWith(`${t}-`)));
    expect(tenantStacks.length).toBeGreaterThan(0);
    for (const id of tenantStacks) expect({ id, kinds: manifestObjects(id, synth.stack(id) as StackJson).filter((p) => p.object.kind === "SecurityGroupPolicy") }).toEqual({ id, kinds: [] });
  });

  it("come with the host's vpc-cni giving pods their groups (pod ENIs, standard mode)", () => {
    const eks = synth.stack("saas-eks");
    expect(JSON.parse(String(eks.resource.aws_eks_addon?.["addons_vpc-cni"]?.configuration_values))).toMatchObject({ env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" } });
  });
});

describe("Karpenter with pod ENIs", () => {
  it("reserves the trunk's interface, so max-pods does not count it (chart 1.14.1 settings.reservedENIs)", () => {
    const withKarpenter = fixtureInputs().environments.find((e) => e.eks.karpenter);
    expect(withKarpenter).toBeDefined();
    const platform = fixtureSynth.stack(`${withKarpenter!.name}-platform`);
    const values = parse(String((platform.resource.helm_release?.["karpenter_release"]?.values as string[])[0])) as { settings: Record<string, unknown> };
    expect(values.settings).toMatchObject({ reservedENIs: "1" });
  });
});

describe("a string-map output, read one key at a time", () => {
  const consumer = () => {
    const stack = new TerraformStack(Testing.app(), "dev-database");
    const eks = EKS_CONTRACT.read(stack, fixtureInputs().backend, { name: "dev", cluster: { environment: "saas" } });
    return { stack, eks };
  };

  it("is an index of the producer's output through a local of the consumer, never lookup() with a default, made once per key", () => {
    const { stack, eks } = consumer();
    eks.pod_security_groups.get(podSecurityGroupKey({ name: "dev" }, "app"));
    eks.pod_security_groups.get("dev/app");
    eks.pod_security_groups.get("dev/api-gateway");
    const json = JSON.parse(Testing.synth(stack)) as { locals: Record<string, string> };
    expect(json.locals).toEqual({
      "eks_pod_security_groups__dev__app": '${data.terraform_remote_state.eks.outputs.pod_security_groups["dev/app"]}',
      "eks_pod_security_groups__dev__api-gateway": '${data.terraform_remote_state.eks.outputs.pod_security_groups["dev/api-gateway"]}',
    });
  });

  it("refuses a key that is not names joined by /", () => {
    const { eks } = consumer();
    expect(() => eks.pod_security_groups.get("dev app")).toThrow('dev-database: eks output pod_security_groups: a key is names of letters, digits and \'-\' joined by \'/\' (got "dev app")');
  });
});

describe("the move of a running environment to pods' own groups (eks.nodesReachDataStores)", () => {
  const inputs = fixtureInputs();
  const prod = inputs.environments.find((e) => e.name === "prod")!;
  const moving = { ...prod, eks: { ...prod.eks, nodesReachDataStores: true } };
  const rules = (json: SynthesizedStack) => Object.fromEntries(Object.entries(json.resource.aws_vpc_security_group_ingress_rule ?? {}).map(([name, r]) => [name, { description: r.description, source: r.referenced_security_group_id, port: r.from_port }]));

  it("keeps the node group on the database and brokers at the rules' old addresses beside the pods' own, and drops them once it is off", () => {
    const json = (env: typeof prod, Stack: typeof DatabaseStack | typeof StreamingStack) => JSON.parse(Testing.synth(new Stack(Testing.app(), { env, backend: inputs.backend, project: inputs.project }))) as SynthesizedStack;
    const node = "${data.terraform_remote_state.eks.outputs.node_security_group_id}";
    expect(rules(json(moving, DatabaseStack))["postgres_from-clients"]).toEqual({ description: "PostgreSQL from the cluster's nodes and pods", source: node, port: 5432 });
    expect(rules(json(prod, DatabaseStack))["postgres_from-clients"]).toBeUndefined();
    expect(Object.keys(rules(json(moving, DatabaseStack)))).toContain("postgres_from-app-pods");
    expect(rules(json(moving, StreamingStack))["kafka_from-clients-iam"]).toEqual({ description: "Kafka, SASL/IAM, from the cluster's nodes and pods", source: node, port: 9098 });
    expect(rules(json(prod, StreamingStack))["kafka_from-clients-iam"]).toBeUndefined();
  });
});
