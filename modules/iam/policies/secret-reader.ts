import { type PolicyStatement } from "../policy-document";

/**
 * What External Secrets needs to sync the secrets under some prefixes, as one store's role: their
 * values (whichever call reads them: BatchGetSecretValue reads each secret with the caller's
 * GetSecretValue permission on it), and the calls that find secrets by name.
 */
export function secretReaderStatements(secretArns: readonly string[]): PolicyStatement[] {
  return [
    ...(secretArns.length ? [{ Sid: "ReadTheseSecrets", Effect: "Allow" as const, Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"], Resource: [...secretArns] }] : []),
    // An ExternalSecret finds its secrets by name (dataFrom.find), which ESO v2.9.0's AWS provider
    // does with BatchGetSecretValue filtered on the prefix; a filtered batch also needs ListSecrets.
    // Neither action has a resource type (Service Authorization Reference, AWS Secrets Manager), so
    // they take "*": they list names and metadata, never a value, and a secret outside the
    // prefixes is left out of the batch for want of GetSecretValue on it.
    { Sid: "FindSecretsByName", Effect: "Allow" as const, Action: ["secretsmanager:BatchGetSecretValue", "secretsmanager:ListSecrets"], Resource: "*" },
  ];
}
