import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { Testing } from "cdktf";
import { AccountStack } from "../../stacks/account-stack";
import { IAM_CONTRACT } from "../../stacks/contracts/iam";
import { IamStack } from "../../stacks/iam-stack";
import { loadBalancerControllerStatements } from "../../modules/iam/policies/load-balancer-controller";
import { fixtureInputs, policyStatements, resourcesOf, ROOT, type SynthesizedStack } from "../helpers";

const inputs = fixtureInputs();
// A development environment with Karpenter (the fixture's dev is a small cluster without it: cluster-autoscaler-policy.test.ts).
const env = inputs.environments.find((e) => e.eks.karpenter && !e.production) ?? inputs.environments[0]!;
const json = JSON.parse(Testing.synth(new IamStack(Testing.app(), { env, backend: inputs.backend, project: inputs.project }))) as SynthesizedStack;
const rolesOf = (j: SynthesizedStack) =>
  Object.entries(j.resource.aws_iam_role ?? {}).map(([name, r]) => ({ name: String(r.name), address: name, trust: policyStatements(j, r.assume_role_policy) }));
const inlineOf = (j: SynthesizedStack, roleAddress: string) =>
  resourcesOf(j, "aws_iam_role_policy").filter((p) => p.role === `\${aws_iam_role.${roleAddress}.id}`).flatMap((p) => policyStatements(j, p.policy));

describe(`${env.name}-iam`, () => {
  it("reads the network, the cluster and the zone it made from their named outputs", () => {
    expect(Object.keys(json.data?.terraform_remote_state ?? {}).sort()).toEqual(["dns", "eks", "network"]);
  });

  it("gives each workload one service account of this cluster, through IRSA with the audience pinned", () => {
    const roles = rolesOf(json);
    expect(roles.map((r) => r.name).sort()).toEqual([...(env.platform ? [`${env.name}-alertmanager`] : []), `${env.name}-app`, `${env.name}-external-dns`, `${env.name}-external-secrets`, `${env.name}-karpenter`, `${env.name}-load-balancer-controller`, `${env.name}-log-shipping`, `${env.name}-secret-store`].sort());
    for (const role of roles) {
      expect(role.trust).toHaveLength(1);
      const equals = role.trust[0]?.Condition?.StringEquals as Record<string, string[]>;
      expect(Object.keys(equals)).toEqual(["${data.terraform_remote_state.eks.outputs.oidc_issuer}:sub", "${data.terraform_remote_state.eks.outputs.oidc_issuer}:aud"]);
      expect(Object.values(equals).map((v) => v.length)).toEqual([1, 1]);
    }
  });

  it("lets the environment's SecretStore read only its services' secrets, and the platform's store only the platform's", () => {
    expect(inlineOf(json, "secret-store")[0]).toEqual(
      expect.objectContaining({ Sid: "ReadTheseSecrets", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"], Resource: [`arn:aws:secretsmanager:${env.account.region}:${env.account.id}:secret:${env.name}/app/*`] }),
    );
    const trust = rolesOf(json).find((r) => r.name === `${env.name}-secret-store`)!.trust[0]!.Condition!.StringEquals as Record<string, string[]>;
    expect(trust["${data.terraform_remote_state.eks.outputs.oidc_issuer}:sub"]).toEqual([`system:serviceaccount:${env.services.app!.namespace}:secret-store`]);
  });

  it("lets External Secrets read only this environment's platform secrets, find them by name, and decrypt with their key", () => {
    expect(inlineOf(json, "external-secrets")).toEqual([
      expect.objectContaining({ Sid: "ReadTheseSecrets", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"], Resource: [`arn:aws:secretsmanager:${env.account.region}:${env.account.id}:secret:${env.name}/platform/*`] }),
      // dataFrom.find by name: ESO v2.9.0 calls BatchGetSecretValue with a name filter, which also
      // needs ListSecrets; neither takes a resource (providers/v1/aws/secretsmanager, fetchWithBatch).
      expect.objectContaining({ Sid: "FindSecretsByName", Action: ["secretsmanager:BatchGetSecretValue", "secretsmanager:ListSecrets"], Resource: ["*"] }),
      expect.objectContaining({ Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: ["${aws_kms_key.app-secrets-key.arn}"] }),
    ]);
  });

  it("lets Alertmanager publish to the alert topic only, and use its key only through SNS", () => {
    expect(inlineOf(json, "alertmanager")).toEqual([
      { Sid: "PublishToTheAlertTopic", Effect: "Allow", Action: ["sns:Publish"], Resource: [`arn:aws:sns:${env.account.region}:${env.account.id}:${env.name}-alerts`] },
      {
        Sid: "EncryptForTheAlertTopic",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: ["${data.terraform_remote_state.network.outputs.alert_topic_key_arn}"],
        Condition: { StringEquals: { "kms:ViaService": [`sns.${env.account.region}.amazonaws.com`] } },
      },
    ]);
    const trust = rolesOf(json).find((r) => r.address === "alertmanager")!.trust[0]?.Condition?.StringEquals as Record<string, string[]>;
    expect(Object.values(trust)[0]).toEqual(["system:serviceaccount:monitoring:alertmanager"]);
  });

  it("lets external-dns change only the services' records of the environment's zone, and read that zone", () => {
    const zone = "arn:aws:route53:::hostedzone/${data.terraform_remote_state.dns.outputs.zone_id}";
    const host = env.app!.ingress!.host;
    expect(inlineOf(json, "external-dns")).toEqual([
      {
        Sid: "ChangeOnlyTheServicesRecords",
        Effect: "Allow",
        Action: ["route53:ChangeResourceRecordSets"],
        Resource: [zone],
        Condition: {
          "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": [`*-${host}`, host] },
          "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["A", "AAAA", "CNAME", "TXT"], "route53:ChangeResourceRecordSetsActions": ["CREATE", "UPSERT", "DELETE"] },
        },
      },
      { Sid: "ReadTheZonesRecords", Effect: "Allow", Action: ["route53:ListResourceRecordSets"], Resource: [zone] },
      { Sid: "FindTheZone", Effect: "Allow", Action: ["route53:ListHostedZones"], Resource: ["*"] },
    ]);
  });

  it("names an existing zone by its id, and makes no external-dns role without a dns section", () => {
    const synth = (e: typeof env) => JSON.parse(Testing.synth(new IamStack(Testing.app(), { env: e, backend: inputs.backend, project: inputs.project }))) as SynthesizedStack;
    const existing = synth({ ...env, dns: { zone: "dev.example.com", zoneId: "Z0123456789ABCDEFGHIJ" } });
    expect(Object.keys(existing.data?.terraform_remote_state ?? {}).sort()).toEqual(["eks", "network"]);
    expect(inlineOf(existing, "external-dns")[0]?.Resource).toEqual(["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]);
    expect(rolesOf(synth({ ...env, dns: undefined })).map((r) => r.name)).not.toContain(`${env.name}-external-dns`);
  });

  it("lets the app's migrations Job act as the app: its hook service account is trusted too, and only with migrations", () => {
    const app = { ...env.services.app!, migrations: { command: ["alembic", "upgrade", "head"], deadlineSeconds: 600 } };
    const withMigrations = JSON.parse(Testing.synth(new IamStack(Testing.app(), { env: { ...env, services: { app } }, backend: inputs.backend, project: inputs.project }))) as SynthesizedStack;
    const trust = (j: SynthesizedStack) => rolesOf(j).find((r) => r.name === `${env.name}-app`)!.trust[0]!.Condition!.StringEquals as Record<string, string[]>;
    expect(trust(withMigrations)["${data.terraform_remote_state.eks.outputs.oidc_issuer}:sub"]).toEqual([`system:serviceaccount:${app.namespace}:app`, `system:serviceaccount:${app.namespace}:app-migrations`]);
    expect(trust(json)["${data.terraform_remote_state.eks.outputs.oidc_issuer}:sub"]).toEqual([`system:serviceaccount:${app.namespace}:app`]);
  });

  it("scopes the load balancer controller to this region, account and VPC", () => {
    const statements = inlineOf(json, "load-balancer-controller");
    expect(statements.find((s) => s.Sid === "CreateSecurityGroupsInThisVpc")?.Resource).toEqual([
      `arn:aws:ec2:${env.account.region}:${env.account.id}:security-group/*`,
      `arn:aws:ec2:${env.account.region}:${env.account.id}:vpc/\${data.terraform_remote_state.network.outputs.vpc_id}`,
    ]);
    for (const s of statements) expect(JSON.stringify(s.Resource)).not.toContain(":*:*:");
  });

  it("makes Karpenter's interruption queue with encryption and the five EventBridge rules of its v1.14.1 template", () => {
    expect(resourcesOf(json, "aws_sqs_queue")).toEqual([expect.objectContaining({ name: `${env.name}-platform`, sqs_managed_sse_enabled: true })]);
    expect(resourcesOf(json, "aws_cloudwatch_event_rule").map((r) => JSON.parse(String(r.event_pattern))["detail-type"][0]).sort()).toEqual(
      ["AWS Health Event", "EC2 Capacity Reservation Instance Interruption Warning", "EC2 Instance Rebalance Recommendation", "EC2 Instance State-change Notification", "EC2 Spot Instance Interruption Warning"],
    );
  });

  it("allows no * action, and writes on * only with a condition", () => {
    for (const s of resourcesOf(json, "aws_iam_role_policy").flatMap((p) => policyStatements(json, p.policy))) {
      expect(s.Action).not.toContain("*");
      if ((s.Resource as string[]).includes("*")) expect([s.Sid, s.Condition !== undefined || (s.Action as string[]).every((a) => /:(Describe|Get|List|BatchGet)/.test(a))]).toEqual([s.Sid, true]);
    }
  });

  it("publishes its contract", () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual(Object.keys(IAM_CONTRACT.outputs).sort());
  });
});

describe("the load balancer controller's policy", () => {
  const reference = path.join(ROOT, "..", "shared", "reference", "aws-load-balancer-controller-iam-policy.json");
  const check = existsSync(reference) ? it : it.skip;
  check(`has every action of the upstream policy${existsSync(reference) ? "" : " (skipped: ../shared/reference is not beside this clone)"}`, () => {
    const upstream = (JSON.parse(readFileSync(reference, "utf8")) as { Statement: Array<{ Action: string | string[] }> }).Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    const ours = loadBalancerControllerStatements({ region: "eu-west-1", accountId: "111111111111", vpcId: "vpc-1" }).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect([...new Set(upstream)].filter((a) => !ours.includes(a))).toEqual([]);
  });
});

describe("account stacks", () => {
  const accountId = env.account.id;
  const stackJson = JSON.parse(
    Testing.synth(new AccountStack(Testing.app(), { accountId, environments: inputs.environments.filter((e) => e.account.id === accountId), backend: inputs.backend, project: inputs.project })),
  ) as SynthesizedStack;
  const roles = rolesOf(stackJson).filter((r) => r.name.startsWith(`${env.name}-github-`));
  const repo = inputs.project.githubRepository;
  /** The trust's `StringEquals` of each CI role of an environment, by role name. */
  const trusts = (account: SynthesizedStack, name: string) =>
    Object.fromEntries(
      rolesOf(account)
        .filter((r) => r.name.startsWith(`${name}-github-`))
        .map((r) => {
          expect(r.trust).toHaveLength(1);
          return [r.name, r.trust[0]?.Condition?.StringEquals as Record<string, string[]>];
        }),
    );
  const pins = { "token.actions.githubusercontent.com:aud": ["sts.amazonaws.com"], "token.actions.githubusercontent.com:repository_id": [String(inputs.project.githubRepositoryId)] };
  const workflow = (file: string) => ({ "token.actions.githubusercontent.com:job_workflow_ref": [`${repo}/.github/workflows/${file}@refs/heads/main`] });

  it("have one GitHub OIDC provider, and CI's three roles per environment", () => {
    expect(resourcesOf(stackJson, "aws_iam_openid_connect_provider")).toEqual([expect.objectContaining({ url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] })]);
    expect(roles.map((r) => r.name).sort()).toEqual(["apply", "drift", "plan"].map((k) => `${env.name}-github-${k}`));
  });

  it("trust each role for exactly one subject of this repository, by name and id, with the audience pinned, and apply and drift to their workflow on main", () => {
    expect(env.production).toBe(false);
    expect(trusts(stackJson, env.name)).toEqual({
      [`${env.name}-github-plan`]: { "token.actions.githubusercontent.com:sub": [`repo:${repo}:pull_request`], ...pins },
      [`${env.name}-github-drift`]: { "token.actions.githubusercontent.com:sub": [`repo:${repo}:ref:refs/heads/main`], ...pins, ...workflow("drift.yml") },
      [`${env.name}-github-apply`]: { "token.actions.githubusercontent.com:sub": [`repo:${repo}:environment:${env.name}`], ...pins, ...workflow("apply-env.yml") },
    });
  });

  it("trust a production environment's plan role only for its plan-<env> GitHub Environment, never for any pull request", () => {
    const prod = inputs.environments.find((e) => e.production)!;
    const account = JSON.parse(Testing.synth(new AccountStack(Testing.app(), { accountId: prod.account.id, environments: inputs.environments.filter((e) => e.account.id === prod.account.id), backend: inputs.backend, project: inputs.project }))) as SynthesizedStack;
    expect(trusts(account, prod.name)[`${prod.name}-github-plan`]).toEqual({ "token.actions.githubusercontent.com:sub": [`repo:${repo}:environment:plan-${prod.name}`], ...pins });
  });

  it("never let the plan or drift role write state or take its lock (they plan with -lock=false)", () => {
    for (const kind of ["plan", "drift"]) {
      const allowed = inlineOf(stackJson, `github_${env.name}-${kind}`).filter((s) => s.Effect === "Allow");
      expect(allowed.flatMap((s) => s.Action as string[]).filter((a) => /^(s3|dynamodb):(Put|Delete|Update)/.test(a))).toEqual([]);
      expect(allowed.find((s) => s.Sid === "ReadOwnState")).toMatchObject({ Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${inputs.backend.bucket}/${env.name}/*`] });
    }
  });

  it("let the apply role create roles only with the environment's boundary, and only under its names", () => {
    const create = inlineOf(stackJson, `github_${env.name}-apply`).find((s) => s.Sid === "CreateOwnRolesOnlyWithTheBoundary");
    expect(create).toMatchObject({ Resource: [`arn:aws:iam::${accountId}:role/${env.name}-*`], Condition: { StringEquals: { "iam:PermissionsBoundary": [`arn:aws:iam::${accountId}:policy/boundaries/${env.name}-platform-boundary`] } } });
  });

  it("hold the application's image registry: immutable tags, scan on push, KMS, the last 10 images", () => {
    expect(resourcesOf(stackJson, "aws_ecr_repository")).toEqual([expect.objectContaining({ name: "app", image_tag_mutability: "IMMUTABLE", image_scanning_configuration: { scan_on_push: true }, encryption_configuration: [expect.objectContaining({ encryption_type: "KMS" })] })]);
    expect(JSON.parse(String(resourcesOf(stackJson, "aws_ecr_lifecycle_policy")[0]?.policy)).rules[0].selection).toEqual({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 });
  });
});
