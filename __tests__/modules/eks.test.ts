import { Testing } from "cdktf";
import { ClusterAccess } from "../../modules/eks/access";
import { Cluster } from "../../modules/eks/cluster";
import { NodeGroup, type NodeGroupProps } from "../../modules/eks/node-group";
import { isGraviton } from "../../modules/eks/versions";
import { GithubCiRoles } from "../../modules/ci/github-roles";
import { ImageRepository } from "../../modules/ecr/image-repository";
import { WorkloadRole } from "../../modules/iam/workload-role";
import { policyStatements, synthScope } from "../helpers";

const boundary = "arn:aws:iam::123456789012:policy/b";
const group: NodeGroupProps = { clusterName: "c", name: "apps", nodeRoleArn: "arn:aws:iam::123456789012:role/n", subnetIds: ["s-1"], instanceTypes: ["m7g.large"], amiType: "AL2023_ARM_64_STANDARD", version: "1.36", size: { min: 1, desired: 2, max: 3 } };
const cluster = { name: "c", oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X", oidcIssuer: "oidc.eks.eu-west-1.amazonaws.com/id/X", accountId: "123456789012" };

describe("NodeGroup", () => {
  it.each([
    [{ size: { min: 3, desired: 2, max: 4 } }, "size must satisfy min ≤ desired ≤ max (got 3 ≤ 2 ≤ 4)"],
    [{ instanceTypes: [] }, "instanceTypes must list at least one instance type"],
    [{ instanceTypes: ["m7i.large"] }, "instance types m7i.large do not run AL2023_ARM_64_STANDARD"],
  ])("refuses %j, saying why", (override, message) => {
    expect(() => synthScope((scope) => new NodeGroup(scope, "group", { ...group, ...(override as Partial<NodeGroupProps>) }))).toThrow(`test/group: ${message}`);
  });

  it("knows Graviton instance types", () => {
    expect(["m7g.large", "c7gn.xlarge", "r8gd.2xlarge", "t4g.small", "im4gn.large"].every(isGraviton)).toBe(true);
    expect(["m7i.large", "c6a.xlarge", "g5.xlarge", "t3.small"].some(isGraviton)).toBe(false);
  });
});

describe("Cluster", () => {
  const props = { name: "c", version: "1.35" as const, accountId: "123456789012", region: "eu-west-1", subnetIds: ["s-1", "s-2"], vpcId: "vpc-1", permissionsBoundaryArn: boundary };
  it("refuses a public endpoint open to the internet, and no subnets", () => {
    expect(() => synthScope((scope) => new Cluster(scope, "cluster", { ...props, publicAccessCidrs: ["0.0.0.0/0"] }))).toThrow('test/cluster: publicAccessCidrs must not include 0.0.0.0/0 (got ["0.0.0.0/0"])');
    expect(() => synthScope((scope) => new Cluster(scope, "cluster", { ...props, subnetIds: [] }))).toThrow("test/cluster: subnetIds must name the private subnets");
  });

  it("opens the public endpoint to the given CIDRs only", () => {
    const json = JSON.parse(synthScope((scope) => new Cluster(scope, "cluster", { ...props, publicAccessCidrs: ["203.0.113.0/24"] }))) as { resource: { aws_eks_cluster: Record<string, { vpc_config: unknown }> } };
    expect(json.resource.aws_eks_cluster.cluster?.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] });
  });

  it("matches its snapshot", () => {
    expect(JSON.parse(synthScope((scope) => new Cluster(scope, "cluster", props)))).toMatchSnapshot();
  });
});

describe("ClusterAccess", () => {
  it("refuses a principal that is not an IAM role or user ARN", () => {
    expect(() => Testing.synthScope((scope) => new ClusterAccess(scope, "access", { clusterName: "c", cluster: { fqn: "x" } as never, grants: { admin: { principalArn: "admin", policies: [{ policy: "admin" }] } } }))).toThrow(
      'access/admin: principalArn must be an IAM role or user ARN (got "admin")',
    );
  });
});

describe("WorkloadRole", () => {
  const base = { name: "dev-app", description: "d", namespace: "app", serviceAccount: "app", cluster, permissionsBoundaryArn: boundary };

  it("trusts one service account of one cluster through IRSA, with the audience pinned, and annotates it", () => {
    const text = synthScope((scope) => {
      const role = new WorkloadRole(scope, "role", base);
      expect(role.serviceAccountAnnotations).toEqual({ "eks.amazonaws.com/role-arn": role.arn });
    });
    const json = JSON.parse(text) as { resource: { aws_iam_role: Record<string, { assume_role_policy: string }> } };
    expect(policyStatements(text, json.resource.aws_iam_role.role?.assume_role_policy)).toEqual([
      {
        Sid: "ThisServiceAccountOfThisCluster",
        Effect: "Allow",
        Principal: { Federated: [cluster.oidcProviderArn] },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: { StringEquals: { [`${cluster.oidcIssuer}:sub`]: ["system:serviceaccount:app:app"], [`${cluster.oidcIssuer}:aud`]: ["sts.amazonaws.com"] } },
      },
    ]);
  });

  it("uses a Pod Identity association and pods.eks.amazonaws.com trust in pod-identity mode", () => {
    const text = synthScope((scope) => void new WorkloadRole(scope, "role", { ...base, mode: "pod-identity" }));
    const json = JSON.parse(text) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    expect(json.resource.aws_eks_pod_identity_association?.role_association).toMatchObject({ cluster_name: "c", namespace: "app", service_account: "app", role_arn: "${aws_iam_role.role.arn}" });
    expect(policyStatements(text, json.resource.aws_iam_role?.role?.assume_role_policy)[0]).toMatchObject({ Principal: { Service: ["pods.eks.amazonaws.com"] }, Condition: { StringEquals: { "aws:SourceAccount": ["123456789012"] } } });
  });

  it("refuses names Kubernetes would not accept", () => {
    expect(() => synthScope((scope) => new WorkloadRole(scope, "role", { ...base, namespace: "App_NS" }))).toThrow('test/role: namespace and serviceAccount must be Kubernetes names (got "App_NS" and "app")');
  });
});

describe("ImageRepository and GithubCiRoles", () => {
  it("refuse a retention outside 1–1000 images, and a repository not in org/repo form or without its id", () => {
    expect(() => synthScope((scope) => new ImageRepository(scope, "images", { name: "app", accountId: "123456789012", keepImages: 0 }))).toThrow("test/images: keepImages must be a whole number from 1 to 1000 (got 0)");
    const roles = (repository: { name: string; id: number }) => () =>
      synthScope((scope) => new GithubCiRoles(scope, "github", { accountId: "123456789012", repository, workflows: { apply: "a.yml", drift: "d.yml" }, environments: [], state: { bucket: "b", region: "eu-west-1", accountId: "000000000000" } }));
    expect(roles({ name: "github.com/org/repo", id: 1 })).toThrow('test/github: repository must be org/repo (got "github.com/org/repo")');
    expect(roles({ name: "org/repo", id: 0 })).toThrow("test/github: repository id must be a positive whole number (got 0)");
  });
});
