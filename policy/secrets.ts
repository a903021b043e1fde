/**
 * The one definition of "named like a secret", shared by the policy pack (no literal secrets in
 * the synthesized Terraform) and the review tools (mask such values in plan comments), so the two
 * can never disagree about what counts.
 */

/** Key names that mark a value as secret: password, passphrase, secret, secret_string, token, private key, API key, credentials, auth string. */
export const SECRET_KEY = /(pass(word|wd|phrase)?|secret(_?string)?|token|private_?key|api_?key|credentials?|client_key|auth_?string)$/i;

/** Names that point at a secret rather than hold one (Helm's `existingSecret` convention). */
const SECRET_POINTER = /^(existing|external)/i;

/** Whether a key's name says its value is a secret (pointers to secrets excluded). */
export function isSecretName(name: string): boolean {
  return SECRET_KEY.test(name) && !SECRET_POINTER.test(name);
}
