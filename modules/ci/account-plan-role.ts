import { Construct } from "constructs";
import { type PolicyStatement } from "../iam/policy-document";
import { CI_ROLE_PATH } from "../iam/reserved-paths";
import { Role } from "../iam/role";
import { githubTrust, type GithubRepository } from "./github-trust";
import { secretReadDenies } from "./secret-read-denies";
import { type StateLocation, stateKeyReadStatements } from "./state-statements";

/** Props of {@link AccountPlanRole}. */
export interface AccountPlanRoleProps {
  /** The account. */
  readonly accountId: string;
  /** The role's name (`account-stack-github-plan`). */
  readonly name: string;
  /** The repository whose pull requests plan the account stack. */
  readonly repository: GithubRepository;
  /** ARN of the account's GitHub OIDC provider. */
  readonly providerArn: string;
  /** ARN of CI's permissions boundary of the account, which the role carries. */
  readonly boundaryArn: string;
  /** Where the state is. */
  readonly state: StateLocation;
  /** The account stack's state key (`bootstrap/account-<id>.tfstate`): the only state the role reads. */
  readonly stateKey: string;
}

/**
 * The plan role of an account stack, so that pull requests plan it like every other stack (a
 * change to CI's own roles and trust is then reviewed on its real plan, not on faith), while an
 * operator still applies it: CI cannot create the roles it runs as.
 *
 * Trusted for pull requests (`pull_request`), whatever the account holds, production included:
 * the stack holds no secret (GitHub's OIDC provider, CI's roles and boundary, the image
 * repository and its key), and the role reads only that: the configuration of the account's IAM,
 * ECR repositories and KMS keys, and its own state key, read-only and never locked. It has no
 * `ReadOnlyAccess`, no Kubernetes access and no other state, so a pull request's code reads none
 * of the account's workloads or their data; the same denies as every plan role back that up.
 */
export class AccountPlanRole extends Construct {
  /** The role. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: AccountPlanRoleProps) {
    super(scope, id);
    const keys = `arn:aws:kms:*:${props.accountId}:key/*`;
    const statements: PolicyStatement[] = [
      // IAM's reads return configuration only (no credential is ever read back); the stack's
      // roles, policies and OIDC provider need GetRole, ListRolePolicies, GetPolicyVersion, … .
      { Sid: "ReadIam", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
      { Sid: "ReadImageRepositories", Effect: "Allow", Action: ["ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource"], Resource: `arn:aws:ecr:*:${props.accountId}:repository/*` },
      { Sid: "ReadKeys", Effect: "Allow", Action: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"], Resource: keys },
      { Sid: "ReadKeyAliases", Effect: "Allow", Action: "kms:ListAliases", Resource: "*" },
      ...stateKeyReadStatements(props.stateKey, props.state),
      ...secretReadDenies({ stateObjects: [`arn:aws:s3:::${props.state.bucket}/${props.stateKey}`], state: props.state }),
    ];
    this.role = new Role(this, "Default", {
      name: props.name,
      path: CI_ROLE_PATH,
      description: "Plans this account's stack for pull requests: its IAM, ECR and KMS configuration and its own state, read-only, never locks",
      trust: [githubTrust(props.providerArn, props.repository, "pull_request")],
      permissionsBoundaryArn: props.boundaryArn,
      statements,
    });
  }
}
