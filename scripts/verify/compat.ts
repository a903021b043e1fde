/**
 * Attributes the synthesized Terraform uses that exist only in the pinned 6.x AWS provider. When
 * only an older provider is available (the offline mirror has 5.100.0), the verify harness
 * removes them from its working copy before validating, and says so in its summary. The real
 * synthesized output is never weakened for the old provider.
 *
 * Each entry: the resource type (`*` for every resource), the attribute, and why it is 6.x only.
 */
export interface CompatEntry {
  readonly type: string;
  readonly attribute: string;
  readonly reason: string;
}

export const AWS_6_ONLY: readonly CompatEntry[] = [
  { type: "*", attribute: "region", reason: "per-resource region arrived in AWS provider 6.0" },
  { type: "aws_eks_cluster", attribute: "deletion_protection", reason: "EKS deletion protection arrived in AWS provider 6.x" },
  { type: "aws_eks_pod_identity_association", attribute: "target_role_arn", reason: "cross-account pod identity arrived in AWS provider 6.x" },
  { type: "aws_eks_pod_identity_association", attribute: "disable_session_tags", reason: "arrived in AWS provider 6.x" },
];

/** Removes the 6.x-only attributes from a stack's JSON (in place); returns what was removed. */
export function removeNewerAttributes(tf: { resource?: Record<string, Record<string, Record<string, unknown>>> }, entries: readonly CompatEntry[] = AWS_6_ONLY): string[] {
  const removed: string[] = [];
  for (const [type, byName] of Object.entries(tf.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      for (const entry of entries) {
        if ((entry.type === "*" || entry.type === type) && entry.attribute in body) {
          delete body[entry.attribute];
          removed.push(`${type}.${name}.${entry.attribute}`);
        }
      }
    }
  }
  return removed;
}
