import { RoleReference } from "../modules/iam/role-reference";
import { iamFromRemoteState } from "./contracts/iam";
import { type EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";

/**
 * The application's role (which `<env>-iam` owns) as a grantee of this stack's resources: the
 * grants go into one inline policy, `<env>-app-<layer>`, held in this stack's state
 * (docs/architecture.md, "Where grants live").
 */
export function appRoleGrantee(stack: EnvironmentStack, props: EnvironmentStackProps): RoleReference {
  const iam = iamFromRemoteState(stack, props.backend, props.env);
  return new RoleReference(stack, "app-role", { roleName: iam.app_role_name, policyName: `${props.env.name}-app-${stack.layer}` });
}
