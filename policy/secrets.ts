/**
 * The one definition of "named like a secret", shared by the policy pack (no literal secrets in
 * the synthesized Terraform) and the review tools (mask such values in plan comments and logs),
 * so the two can never disagree about what counts.
 *
 * Why not a maintained rule set from npm: the obvious one, secretlint's
 * `@secretlint/secretlint-rule-preset-recommend` (latest 13.1.0 when this was written), needs
 * Node ≥ 22 from 12.1.0 on (`npm view … engines`; this project runs on Node 20, where it would
 * stay at 12.0.0 for good), is ESM-only (Jest and the compiled scripts here are CommonJS), and
 * its core has only an asynchronous API (`lintSource` returns a Promise) built to report
 * findings in files, not to mask a value in place. The renderer masks each value synchronously and mask-log masks a stream line by
 * line, so the shapes are kept here, each citing where its format is defined; the list follows
 * the rules of that preset where they apply (AWS, GitHub, GitLab, Slack, npm, private keys,
 * basic auth and database connection strings).
 */

/**
 * Key names that mark a value as secret: password, passphrase, secret, secret string, secret
 * access key (`AWS_SECRET_ACCESS_KEY`), token, private key, API key, credentials, auth string,
 * each also as a plural (`secrets`, `apiKeys`, `passwords`, `tokens`).
 */
export const SECRET_KEY = /(pass(word|wd|phrase)?|secret(_?string|_?access_?key)?|token|private_?key|api_?key|credentials?|client_key|auth_?string)s?$/i;

/** Names that point at a secret rather than hold one (Helm's `existingSecret` convention). */
const SECRET_POINTER = /^(existing|external)/i;

/**
 * Names that end like a secret's and hold none: `http_tokens` is the EC2 instance metadata
 * setting `optional` | `required` (IMDSv2), in launch templates and in the Karpenter node
 * class's `metadataOptions.httpTokens`
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceMetadataOptionsRequest.html).
 */
const NOT_SECRET = /^http_?tokens$/i;

/** Whether a key's name says its value is a secret (pointers to secrets excluded). */
export function isSecretName(name: string): boolean {
  return SECRET_KEY.test(name) && !SECRET_POINTER.test(name) && !NOT_SECRET.test(name);
}

/**
 * Whether a name given as data names a secret: the last part of a dotted or slashed name
 * (`auth.password` of a Helm `set`, `DB_PASSWORD` of a container's `env`).
 */
export function namesSecret(name: string): boolean {
  return isSecretName(name.split(/[./]/).pop() ?? name);
}

const MASK = "(sensitive)";

/**
 * Secrets recognisable by their shape, wherever they appear in a value or a log line. Each
 * replacement keeps what a reader needs (scheme, user, host, parameter name) and hides the
 * secret. Every shape names where its format is defined.
 */
const SECRET_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  // Private keys in PEM (RFC 7468 §§10-11: PRIVATE KEY, ENCRYPTED PRIVATE KEY; RSA, EC, DSA and
  // OPENSSH labels) and OpenPGP armor (RFC 4880 §6.2: BEGIN PGP PRIVATE KEY BLOCK). A block cut
  // off before its END line is masked to the end of the text.
  [/-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END \1PRIVATE KEY\2-----|$)/g, "(sensitive private key)"],
  // Credentials in a URL's userinfo (RFC 3986 §3.2.1), with or without a user (`redis://:pw@host`).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'<>]*:)[^\s@/"'<>]+@/gi, `$1${MASK}@`],
  // Slack incoming webhooks and workflow triggers: the path is the secret
  // (https://api.slack.com/messaging/webhooks: https://hooks.slack.com/services/T…/B…/…).
  [/\b(https:\/\/hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/)[\w/-]+/gi, `$1${MASK}`],
  // Secrets in a query string: `?password=`, `&token=`, `access_token` (RFC 6750 §2.3), AWS
  // presigned URLs' `X-Amz-Signature`, `X-Amz-Security-Token` and `X-Amz-Credential`
  // (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
  [/([?&;][\w.%-]*?(?:pass(?:word|wd|phrase)?|secret|token|api_?key|apikey|access_?key|signature|sig|credential|auth)s?=)[^&#\s"'<>]+/gi, `$1${MASK}`],
  // HTTP credentials: `Bearer <b64token>` (RFC 6750 §2.1) and `Basic <base64>` (RFC 7617 §2),
  // the latter only when it looks like base64 and not like a word ("Basic authentication").
  [/\b(Bearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1${MASK}`],
  [/\b(Basic\s+)(?=[A-Za-z0-9+/]*[A-Z0-9+/])(?=[A-Za-z0-9+/]*[a-z0-9+/])[A-Za-z0-9+/]{8,}={0,2}/g, `$1${MASK}`],
  // GitHub tokens: ghp_, gho_, ghu_, ghs_, ghr_ and fine-grained github_pat_
  // (https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats).
  [/\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}/g, "(sensitive token)"],
  // GitLab personal, project and group access tokens (https://docs.gitlab.com/security/tokens/#token-prefixes).
  [/\bglpat-[A-Za-z0-9_-]{20,}/g, "(sensitive token)"],
  // Slack bot, user, app, configuration, refresh and session tokens (https://api.slack.com/authentication/token-types).
  [/\b(xox[abcdeoprs]|xapp)-[A-Za-z0-9-]{10,}/g, "(sensitive token)"],
  // npm access tokens (https://docs.npmjs.com/about-access-tokens).
  [/\bnpm_[A-Za-z0-9]{36}\b/g, "(sensitive token)"],
  // HashiCorp Vault service, batch and recovery tokens (https://developer.hashicorp.com/vault/docs/concepts/tokens).
  [/\bhv[sbr]\.[A-Za-z0-9_-]{24,}/g, "(sensitive token)"],
  // JSON Web Tokens: three base64url parts, the header starting `{"` (RFC 7519 §3).
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, "(sensitive token)"],
  // AWS access key ids (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids).
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, "(sensitive access key id)"],
  // Google API keys (https://cloud.google.com/docs/authentication/api-keys).
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, "(sensitive token)"],
];

/** A text with every recognisable secret masked; unchanged when there is none. */
export function maskSecretShapes(text: string): string {
  return SECRET_SHAPES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

// A quoted string (either quote, escapes allowed) or a bare word, then Terraform's `-> new`.
const VALUE = String.raw`(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;}\])]+)`;
const NAME = String.raw`[A-Za-z_][\w.-]*`;
const ASSIGNED = String.raw`(${VALUE}(?:\s*->\s*${VALUE})?)`;
/**
 * `name = value` anywhere (Terraform, the shell); `name: value` only where a key stands: quoted
 * (JSON), at the start of a line (YAML) or after `{` or `,` (an inline map). A colon in prose
 * ("Error: creating token: AccessDenied") is not an assignment.
 */
const ASSIGNMENTS = [
  new RegExp(String.raw`(^|[\s{,(;])(["']?)(${NAME})\2(\s*=>?\s*)${ASSIGNED}`, "g"),
  new RegExp(String.raw`(^\s*(?:-\s+)?|[{,]\s*)(["']?)(${NAME})\2(\s*:\s*)${ASSIGNED}`, "g"),
  new RegExp(String.raw`(^|[\s{,(\[])(["'])(${NAME})\2(\s*:\s*)${ASSIGNED}`, "g"),
];
const NAME_FIELD = new RegExp(String.raw`(?:^|[\s{,(;])["']?(?:name|key)["']?\s*(?::|=|=>)\s*["']?([\w.-]+)`, "i");
const VALUE_FIELD = new RegExp(String.raw`((?:^|[\s{,(;])["']?value["']?\s*(?::|=|=>)\s*)(${VALUE}(?:\s*->\s*${VALUE})?)`, "gi");
const KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
const KEY_END = /-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
/** A private key block longer than this is taken as cut off: masking stops, so the rest of a log stays readable. */
const MAX_KEY_LINES = 1_000;
/** A `value` this many lines after a secret-named `name` is its value (Terraform prints `name` first: keys are sorted). */
const SIBLING_LINES = 3;

const maskAssigned = (match: string, lead: string, quote: string, name: string, sep: string, value: string) =>
  namesSecret(name) && !value.startsWith("(sensitive") ? `${lead}${quote}${name}${quote}${sep}${MASK}` : match;

/**
 * A masker for a text read line by line (a `terraform plan` or `apply` log, scripts/mask-log.ts):
 * every secret shape, every value assigned to a name like a secret (`password = "…"`,
 * `"api_token": "…"`, `DB_PASSWORD=…`), the `value` next to a secret-named `name` or `key`
 * (a container's `env`, a Helm `set`), and every line of a private key block. It keeps state
 * across lines, so one masker serves one stream.
 */
export function lineMasker(): (line: string) => string {
  let keyLines = 0;
  let siblingLines = 0;
  return (line) => {
    if (keyLines > 0) {
      const end = KEY_END.exec(line);
      if (end) {
        keyLines = 0;
        return `(sensitive private key)${maskLine(line.slice(end.index + end[0].length))}`;
      }
      keyLines -= 1;
      return `${/^\s*/.exec(line)?.[0] ?? ""}(sensitive private key)`;
    }
    const begin = KEY_BEGIN.exec(line);
    if (begin && !KEY_END.test(line.slice(begin.index))) keyLines = MAX_KEY_LINES;
    const name = NAME_FIELD.exec(line)?.[1];
    if (name !== undefined) siblingLines = namesSecret(name) ? SIBLING_LINES : 0;
    let out = maskLine(line);
    if (siblingLines > 0) {
      const masked = out.replace(VALUE_FIELD, (match, lead: string, value: string) => (value.startsWith("(sensitive") ? match : `${lead}${MASK}`));
      if (masked !== out) siblingLines = 0;
      else if (name === undefined) siblingLines -= 1;
      out = masked;
    }
    return out;
  };
}

function maskLine(line: string): string {
  return ASSIGNMENTS.reduce((out, pattern) => out.replace(pattern, maskAssigned), maskSecretShapes(line));
}
