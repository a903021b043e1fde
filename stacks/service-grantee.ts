import { platformRoleName, serviceRoleName } from "../config";
import { RoleReference } from "../modules/iam/role-reference";
import { type EnvironmentStack } from "./environment-stack";

/**
 * A service's role (which `<env>-iam` owns and the registry applies first) as a grantee of this
 * stack's resources: the grants go into one inline policy, `<env>-<service>-<layer>`, held in
 * this stack's state (docs/architecture.md, "Where grants live"). The role's name is config's
 * (a literal, `<env>-<service>`), so a stack needs no remote state to grant to any service.
 */
export function serviceGrantee(stack: EnvironmentStack, service: string): RoleReference {
  return grantee(stack, `${service}-role`, serviceRoleName(stack.env, service), service);
}

/**
 * A platform controller's role of `<env>-iam` (`<env>-<workload>`, such as `<env>-keda`) as a
 * grantee of this stack's resources, as {@link serviceGrantee} does for a service: one inline
 * policy `<env>-<workload>-<layer>`, held in this stack's state.
 */
export function platformGrantee(stack: EnvironmentStack, workload: string): RoleReference {
  return grantee(stack, `platform-${workload}-role`, platformRoleName(stack.env, workload), workload);
}

/** The stack's one reference to a role, whose grants go into the inline policy `<env>-<owner>-<layer>`. */
function grantee(stack: EnvironmentStack, id: string, roleName: string, owner: string): RoleReference {
  return (stack.node.tryFindChild(id) as RoleReference | undefined) ?? new RoleReference(stack, id, { roleName, policyName: `${stack.env.name}-${owner}-${stack.layer}` });
}
