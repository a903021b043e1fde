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

/**
 * Resource types the synthesized Terraform uses that exist only in a 6.x AWS provider. An older
 * provider cannot validate them at all, so the harness leaves them out of its copy (with every
 * block that refers to them) and names them in its summary.
 */
export interface CompatResource {
  readonly type: string;
  /** The first provider version that has it. */
  readonly since: string;
  readonly reason: string;
}

export const AWS_6_ONLY_RESOURCES: readonly CompatResource[] = [
  { type: "aws_msk_topic", since: "6.38.0", reason: "MSK's topic API arrived in AWS provider 6.38.0 (hashicorp/terraform-provider-aws#46490); <env>-streaming requires that version" },
];

/**
 * Removes the 6.x-only resources from a stack's JSON (in place), and any other resource or
 * output that refers to one of them; returns the addresses removed.
 */
export function removeNewerResources(tf: { resource?: Record<string, Record<string, Record<string, unknown>>>; output?: Record<string, unknown> }, entries: readonly CompatResource[] = AWS_6_ONLY_RESOURCES): string[] {
  const removed: string[] = [];
  for (const { type } of entries) {
    for (const name of Object.keys(tf.resource?.[type] ?? {})) removed.push(`${type}.${name}`);
    if (tf.resource) delete tf.resource[type];
  }
  // Whatever interpolates a removed address would fail validation: it goes too.
  const refersToRemoved = (body: unknown) => removed.some((address) => JSON.stringify(body).includes(`\${${address}`) || JSON.stringify(body).includes(`${address}.`));
  for (const [type, byName] of Object.entries(tf.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      if (refersToRemoved(body)) {
        delete byName[name];
        removed.push(`${type}.${name}`);
      }
    }
    if (Object.keys(byName).length === 0) delete tf.resource?.[type];
  }
  for (const [name, body] of Object.entries(tf.output ?? {})) {
    if (refersToRemoved(body)) {
      delete tf.output?.[name];
      removed.push(`output.${name}`);
    }
  }
  return removed;
}

/**
 * Attribute values only a 6.x AWS provider accepts, with the nearest value an older one does:
 * the harness puts that in its copy so the rest of the block still validates. The real output
 * keeps the newer value.
 */
export interface CompatValue {
  readonly type: string;
  readonly attribute: string;
  readonly value: string;
  readonly olderValue: string;
  readonly reason: string;
}

export const AWS_6_ONLY_VALUES: readonly CompatValue[] = [
  {
    type: "aws_lambda_function",
    attribute: "runtime",
    value: "nodejs24.x",
    olderValue: "nodejs22.x",
    reason: "the provider accepts runtime nodejs24.x from 6.20.0 (CHANGELOG, hashicorp/terraform-provider-aws#45024); 5.100's validator stops at nodejs22.x",
  },
];

/** Replaces the 6.x-only values in a stack's JSON (in place); returns what was replaced. */
export function replaceNewerValues(tf: { resource?: Record<string, Record<string, Record<string, unknown>>> }, entries: readonly CompatValue[] = AWS_6_ONLY_VALUES): string[] {
  const replaced: string[] = [];
  for (const entry of entries) {
    for (const [name, body] of Object.entries(tf.resource?.[entry.type] ?? {})) {
      if (body[entry.attribute] === entry.value) {
        body[entry.attribute] = entry.olderValue;
        replaced.push(`${entry.type}.${name}.${entry.attribute} ${entry.value} → ${entry.olderValue}`);
      }
    }
  }
  return replaced;
}

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
