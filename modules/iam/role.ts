import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { type IGrantable } from "./grant";
import { PolicyDocument, type PolicyStatement } from "./policy-document";

/** Props of {@link Role}. */
export interface RoleProps {
  /** Role name; part of its ARN, which trust and resource policies may name. */
  readonly name: string;
  /** What the role is for; shown in the console and in plans. */
  readonly description: string;
  /** Who may assume the role. */
  readonly trust: readonly PolicyStatement[];
  /** The permissions boundary every role of the environment carries. */
  readonly permissionsBoundaryArn: string;
  /**
   * Statements of the role's inline policy; grants add more.
   * @default - none
   */
  readonly statements?: readonly PolicyStatement[];
  /**
   * AWS-managed or customer-managed policies to attach.
   * @default - none
   */
  readonly managedPolicyArns?: readonly string[];
  /**
   * The role's IAM path (part of its ARN). Changing it replaces the role.
   * @default "/"
   */
  readonly path?: string;
}

/**
 * An IAM role with a permissions boundary, its trust policy and one inline policy that grants
 * add to. The inline policy is created with the first statement, so a role with nothing granted
 * has no empty policy.
 */
export class Role extends Construct implements IGrantable {
  /** The role. */
  readonly role: IamRole;
  /** ARN of the role. */
  readonly arn: string;
  /** Name of the role. */
  readonly name: string;
  private policy?: PolicyDocument;
  private attached?: IamRolePolicy;
  private readonly attachments = new Map<string, IamRolePolicyAttachment>();

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    if (!props.permissionsBoundaryArn) throw new Error(`${this.node.path}: permissionsBoundaryArn is required: every role carries the environment's boundary`);
    if (props.trust.length === 0) throw new Error(`${this.node.path}: trust must name who may assume the role`);
    const trust = new PolicyDocument(this, "trust", { statements: props.trust });
    this.role = new IamRole(this, "Default", {
      name: props.name,
      description: props.description,
      assumeRolePolicy: trust.json,
      permissionsBoundary: props.permissionsBoundaryArn,
      path: props.path,
    });
    // One attachment per policy, keyed by the policy's name: adding one never renumbers another.
    for (const policyArn of props.managedPolicyArns ?? []) {
      this.attachments.set(policyArn, new IamRolePolicyAttachment(this, policyArn.split("/").pop() as string, { role: this.role.name, policyArn }));
    }
    this.arn = this.role.arn;
    this.name = props.name;
    for (const statement of props.statements ?? []) this.addToPrincipalPolicy(statement);
  }

  get grantName(): string {
    return this.node.path;
  }

  /** The attachment of one of its managed policies: what must exist before something relies on that policy. */
  attachmentOf(policyArn: string): IamRolePolicyAttachment | undefined {
    return this.attachments.get(policyArn);
  }

  /** The role's inline policy, once a statement made it: what must exist before the role is used. */
  get inlinePolicy(): IamRolePolicy | undefined {
    return this.attached;
  }

  addToPrincipalPolicy(statement: PolicyStatement): void {
    if (!this.policy) {
      this.policy = new PolicyDocument(this, "policy-document");
      this.attached = new IamRolePolicy(this, "policy", { name: this.name, role: this.role.id, policy: this.policy.json });
    }
    this.policy.addStatements(statement);
  }
}
