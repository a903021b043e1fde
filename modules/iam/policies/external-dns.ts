import { type PolicyStatement } from "../policy-document";

/** What external-dns may write: one hosted zone, and in it only these hosts' records. */
export interface ExternalDnsScope {
  /** The public hosted zone's id (`Z…`). */
  readonly zoneId: string;
  /** The services' hosts, each in the zone. */
  readonly hosts: readonly string[];
}

/** Record types external-dns writes for an ALB host: alias A and AAAA records, CNAME when aliases do not apply, and its TXT ownership records. */
export const EXTERNAL_DNS_RECORD_TYPES = ["A", "AAAA", "CNAME", "TXT"] as const;

/**
 * external-dns's published IAM policy (v0.21.0, `docs/tutorials/aws.md`: ChangeResourceRecordSets,
 * ListResourceRecordSets and ListTagsForResources on `hostedzone/*`, ListHostedZones on `*`),
 * narrowed as its "IAM Permissions with ABAC" section shows: changes to this one zone only, of
 * the hosts config lists and their TXT ownership records, of the record types it writes. Each
 * TXT record of the txt registry is named `<type>-<first label>.<rest>` (external-dns
 * registry/txt.go, toTXTName: `a-api.dev.example.com` for `api.dev.example.com`), hence the
 * `*-<host>` pattern beside each host. ListTagsForResources is left out: external-dns calls it
 * only with `--aws-zone-tags`, which the add-on does not set. ListHostedZones has no resource
 * type (Route 53's Service Authorization Reference), and external-dns lists the zones even with
 * `--zone-id-filter` (provider/aws/aws.go, zones()).
 * @see https://github.com/kubernetes-sigs/external-dns/blob/v0.21.0/docs/tutorials/aws.md
 */
export function externalDnsStatements(scope: ExternalDnsScope): PolicyStatement[] {
  if (scope.hosts.length === 0) throw new Error("externalDnsStatements: no hosts: external-dns would be allowed to write nothing");
  const zone = `arn:aws:route53:::hostedzone/${scope.zoneId}`;
  const names = [...new Set(scope.hosts.flatMap((host) => [host, `*-${host}`]))].sort();
  return [
    {
      Sid: "ChangeOnlyTheServicesRecords",
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: zone,
      Condition: {
        "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": names },
        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": [...EXTERNAL_DNS_RECORD_TYPES], "route53:ChangeResourceRecordSetsActions": ["CREATE", "UPSERT", "DELETE"] },
      },
    },
    { Sid: "ReadTheZonesRecords", Effect: "Allow", Action: "route53:ListResourceRecordSets", Resource: zone },
    { Sid: "FindTheZone", Effect: "Allow", Action: "route53:ListHostedZones", Resource: "*" },
  ];
}
