import { type Plan, type ResourceChange, type StackPlan } from "../../review";

/**
 * A deterministic plan of `stacks` × `perStack` changes with every kind of change in it, for the
 * size-budget test and the rendering benchmark (10,000 changes across 20 stacks by default).
 */
export function generateLargePlans(stacks = 20, perStack = 500): StackPlan[] {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const kinds: Array<ResourceChange["change"]["actions"]> = [["create"], ["create"], ["update"], ["update"], ["delete"], ["delete", "create"], ["create", "delete"], ["no-op"]];
  const types = ["aws_subnet", "aws_route", "aws_security_group", "aws_iam_role_policy", "aws_db_instance", "aws_s3_bucket", "helm_release"];
  return Array.from({ length: stacks }, (_, s) => {
    const stack = `env${String(s).padStart(2, "0")}-network`;
    const resource_changes: ResourceChange[] = Array.from({ length: perStack }, (_, i) => {
      const actions = kinds[Math.floor(random() * kinds.length)] as ResourceChange["change"]["actions"];
      const type = types[i % types.length] as string;
      const attrs = (v: number) => ({
        name: `${stack}-${type}-${i}`,
        cidr_block: `10.${s}.${i % 256}.0/24`,
        tags: { Name: `${stack}-${i}`, owner: "platform-team", revision: String(v) },
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: `arn:aws:s3:::bucket-${i}-${v}/*` }] }),
        password: `secret-${s}-${i}-${v}`,
      });
      return {
        address: `${type}.r${i}`,
        previous_address: i % 97 === 0 ? `${type}.old${i}` : undefined,
        mode: "managed",
        type,
        name: `r${i}`,
        action_reason: actions.length === 2 ? "replace_because_cannot_update" : undefined,
        change: {
          actions,
          before: actions[0] === "create" && actions.length === 1 ? null : attrs(1),
          after: actions[0] === "delete" && actions.length === 1 ? null : attrs(2),
          after_unknown: { id: true, arn: true },
          before_sensitive: { password: true },
          after_sensitive: { password: true },
          replace_paths: actions.length === 2 ? [["cidr_block"]] : undefined,
          importing: i % 89 === 0 ? { id: `import-${i}` } : undefined,
        },
      };
    });
    const plan: Plan = { format_version: "1.2", resource_changes, output_changes: { vpc_id: { actions: ["update"], before: "vpc-1", after: null, after_unknown: true } }, complete: true };
    return { stack, plan };
  });
}
