import { z } from "zod";
import { LOG_RETENTION_DAYS } from "../modules/logs/retention";
import { WAF_MANAGED_GROUPS } from "../modules/edge/waf-rules";
import { strict } from "./strict";

/**
 * The `dns` and `waf` sections of an environment file: the public edge of its services. The
 * zone (made by `<env>-dns`, or an existing one), the certificates and the web ACL (made by
 * `<env>-edge`), and external-dns (an add-on of `<env>-platform`) that writes each host's record.
 * Cross-field checks live in `edge-checks.ts`.
 */

/** A public DNS name: lowercase labels, no trailing dot. */
export const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const dnsSchema = strict({
  zone: z
    .string()
    .regex(DNS_NAME, "must be a DNS name such as dev.example.com (lowercase, no trailing dot)")
    .describe("The public hosted zone every host of this environment is in. Without zoneId, `<env>-dns` creates it: delegate it from the parent zone with the four NS records it outputs (docs/how-to.md, \"Give the app a public name\")."),
  zoneId: z
    .string()
    .regex(/^Z[0-9A-Z]{1,31}$/, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (Z and up to 31 uppercase letters or digits, no /hostedzone/ prefix)")
    .optional()
    .describe("Use this existing public hosted zone (named `zone`) instead of creating one; nothing of it but the records external-dns and certificate validation write is managed here."),
}).describe("The environment's public DNS zone. With it, each service's host gets an ACM certificate (validated in the zone) and its record from external-dns. Leave out to bring certificates yourself (app.ingress.certificateArn) and manage records elsewhere.");

/** A rule name inside a managed rule group. */
const ruleName = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "must be a rule name of the group, such as SizeRestrictions_BODY");

export const wafSchema = strict({
  enabled: z.boolean().default(true).describe("Make the web ACL and attach it to the ALB. Off, the ALB faces the internet unfiltered, which the policy pack reports (PI-WAF-001)."),
  rateLimit: z
    .int()
    .min(10, "must be 10–2,000,000,000: AWS WAF's range for a rate-based rule")
    .max(2_000_000_000, "must be 10–2,000,000,000: AWS WAF's range for a rate-based rule")
    .default(2000)
    .describe("Requests one client IP may send in rateWindowSeconds; beyond it WAF blocks that IP until its rate falls."),
  rateWindowSeconds: z
    .union([60, 120, 300, 600].map((n) => z.literal(n)) as [z.ZodLiteral<number>, z.ZodLiteral<number>, ...z.ZodLiteral<number>[]])
    .default(300)
    .describe("The window the rate is counted over: 60, 120, 300 or 600 seconds."),
  countInsteadOfBlock: z
    .partialRecord(z.enum(WAF_MANAGED_GROUPS), z.array(ruleName).min(1))
    .default({})
    .describe("Rules of the managed groups that count matching requests instead of blocking them, by group, while a false positive is tuned away (WAF's logs name the rule). Each one weakens the ACL: keep the list short and dated in a comment."),
  logRetentionDays: z.literal(LOG_RETENTION_DAYS).default(90).describe("Retention of the ACL's request logs (log group aws-waf-logs-<env>), in days."),
}).describe("The regional web ACL `<env>-edge` makes for the environment's ALB: AWS managed rule groups (Common, KnownBadInputs, SQLi, Amazon IP reputation), a rate-based rule, and logging. Not made when app.ingress.wafAclArn names an ACL made elsewhere.");

export type DnsConfig = z.output<typeof dnsSchema>;
export type WafConfig = z.output<typeof wafSchema>;
