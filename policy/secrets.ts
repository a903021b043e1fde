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

/**
 * Secrets recognisable by their shape, wherever they appear in a value: credentials in a URL
 * (`postgres://app:PASSWORD@db`), private keys, and well-known token formats. Each replacement
 * keeps what a reviewer needs (scheme, user, host) and hides the secret.
 */
const SECRET_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, "$1(sensitive)@"],
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, "(sensitive private key)"],
  [/\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}/g, "(sensitive token)"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, "(sensitive token)"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, "(sensitive token)"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, "(sensitive access key id)"],
];

/** A text with every recognisable secret masked; unchanged when there is none. */
export function maskSecretShapes(text: string): string {
  return SECRET_SHAPES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
