/**
 * The AWS managed rule groups every web ACL of the project runs, with the rules each holds (AWS
 * WAF Developer Guide, AWS Managed Rules: aws-managed-rule-groups-baseline.html,
 * -use-case.html and -ip-rep.html, the latest static versions as published by 2026-09). A count
 * override must name one of them: AWS WAF "silently ignores any override that uses an invalid
 * rule name" of a managed group (API reference, RuleActionOverride), so a misspelt override
 * would leave the rule it was meant to tune blocking, with no error anywhere.
 *
 * When AWS adds a rule to a group, add it here (`aws wafv2 describe-managed-rule-group
 * --vendor-name AWS --name <group> --scope REGIONAL` lists them).
 */
export const WAF_MANAGED_RULES = {
  /** IPs Amazon threat intelligence reports as bots or threats, 25 WCU (AWSManagedIPDDoSList counts by default). */
  AWSManagedRulesAmazonIpReputationList: ["AWSManagedIPReputationList", "AWSManagedReconnaissanceList", "AWSManagedIPDDoSList"],
  /** The core rule set (OWASP Top 10 classes), 700 WCU. */
  AWSManagedRulesCommonRuleSet: [
    "NoUserAgent_HEADER", "UserAgent_BadBots_HEADER", "SizeRestrictions_QUERYSTRING", "SizeRestrictions_Cookie_HEADER", "SizeRestrictions_BODY", "SizeRestrictions_URIPATH",
    "EC2MetaDataSSRF_BODY", "EC2MetaDataSSRF_COOKIE", "EC2MetaDataSSRF_URIPATH", "EC2MetaDataSSRF_QUERYARGUMENTS", "GenericLFI_QUERYARGUMENTS", "GenericLFI_URIPATH", "GenericLFI_BODY",
    "RestrictedExtensions_URIPATH", "RestrictedExtensions_QUERYARGUMENTS", "GenericRFI_QUERYARGUMENTS", "GenericRFI_BODY", "GenericRFI_URIPATH",
    "CrossSiteScripting_COOKIE", "CrossSiteScripting_QUERYARGUMENTS", "CrossSiteScripting_BODY", "CrossSiteScripting_URIPATH",
  ],
  /** Request patterns known to be invalid or to exploit vulnerabilities (Log4j, Java deserialization, React server components), 200 WCU. */
  AWSManagedRulesKnownBadInputsRuleSet: [
    "JavaDeserializationRCE_HEADER", "JavaDeserializationRCE_BODY", "JavaDeserializationRCE_URIPATH", "JavaDeserializationRCE_QUERYSTRING", "Host_localhost_HEADER", "PROPFIND_METHOD",
    "ExploitablePaths_URIPATH", "Log4JRCE_HEADER", "Log4JRCE_QUERYSTRING", "Log4JRCE_BODY", "Log4JRCE_URIPATH", "ReactJSRCE_BODY",
  ],
  /** SQL injection, 200 WCU (static version 2.x: the header and URI-path extended patterns included). */
  AWSManagedRulesSQLiRuleSet: [
    "SQLi_QUERYARGUMENTS", "SQLiExtendedPatterns_QUERYARGUMENTS", "SQLi_BODY", "SQLiExtendedPatterns_BODY", "SQLiExtendedPatterns_HEADER", "SQLiExtendedPatterns_URIPATH", "SQLi_COOKIE", "SQLi_URIPATH",
  ],
} as const satisfies Record<string, readonly string[]>;

/** The managed rule groups' names, in the ACL's priority order: reputation first (cheapest, drops known-bad sources before any inspection). */
export const WAF_MANAGED_GROUPS = ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"] as const;
export type WafManagedGroup = (typeof WAF_MANAGED_GROUPS)[number];
