import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { type IGrantable } from "./grant";
import { PolicyDocument, type PolicyStatement } from "./policy-document";

/** Props of {@link RoleReference}. */
export interface RoleReferenceProps {
  /** Name of the role, which another stack owns (read from that stack's named outputs). */
  readonly roleName: string;
  /**
   * Name of the inline policy this stack adds to the role. The role may carry several inline
   * policies; each stack owns the one it names, so none overwrites another's.
   */
  readonly policyName: string;
}

/**
 * A role that another stack owns, as a grantee: grant methods of this stack's resources add
 * their statements to one inline policy of the role, created with the first grant and held in
 * this stack's state. So a grant lives beside the resource it grants (the database stack holds
 * the app role's `rds-db:connect`), the role's stack never needs to know the resource, and
 * removing the resource's stack removes its grants with it.
 */
export class RoleReference extends Construct implements IGrantable {
  /** Name of the role. */
  readonly roleName: string;
  private readonly policyName: string;
  private policy?: PolicyDocument;

  constructor(scope: Construct, id: string, props: RoleReferenceProps) {
    super(scope, id);
    if (!/^[\w+=,.@-]{1,128}$/.test(props.policyName)) {
      throw new Error(`${this.node.path}: policyName must be 1–128 characters of letters, digits and +=,.@_- (got "${props.policyName}")`);
    }
    this.roleName = props.roleName;
    this.policyName = props.policyName;
  }

  get grantName(): string {
    return this.node.path;
  }

  addToPrincipalPolicy(statement: PolicyStatement): void {
    if (!this.policy) {
      this.policy = new PolicyDocument(this, "policy-document");
      new IamRolePolicy(this, "Default", { name: this.policyName, role: this.roleName, policy: this.policy.json });
    }
    this.policy.addStatements(statement);
  }
}
