import { Construct } from "constructs";
import { type ChartRelease } from "../helm/chart-release";
import { addonRelease, type WorkloadAddonProps, type ChartSource, placementOf, roleAnnotations } from "./addon";

/** The pinned chart (app v0.21.0). Its one CRD (DNSEndpoint) matters only to the `crd` source, which is not used. */
export const EXTERNAL_DNS_CHART: ChartSource = { chart: "external-dns", repository: "https://kubernetes-sigs.github.io/external-dns", version: "1.21.1", namespace: "external-dns" };

/** Props of {@link ExternalDns}. */
export interface ExternalDnsProps extends WorkloadAddonProps {
  /** ARN of its workload role (`<env>-iam`): changes the services' records of the one zone. */
  readonly roleArn: string;
  /** The public hosted zone it writes. */
  readonly zoneId: string;
  /** The zone's name: the only domain it considers. */
  readonly zoneName: string;
  /** Its TXT ownership id: the cluster's name, so two clusters never fight over a record. */
  readonly ownerId: string;
  /** The region, for the AWS SDK (Route 53 itself is global). */
  readonly region: string;
  /** The IngressClass whose Ingresses it reads (the load balancer controller's). */
  readonly ingressClass: string;
}

/**
 * external-dns: writes each Ingress host's record (an alias to its ALB) into the environment's
 * zone, so a host follows its load balancer when the ALB is recreated. It reads Ingresses of
 * the ALB class only, in the one zone (`--zone-id-filter`, `domainFilters`), and owns what it
 * writes through TXT records carrying the cluster's id: `sync` deletes a record when its Ingress
 * goes, and never touches a record it does not own.
 * @see https://github.com/kubernetes-sigs/external-dns/blob/v0.21.0/docs/tutorials/aws.md
 */
export class ExternalDns extends Construct {
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    this.release = addonRelease(this, "release", EXTERNAL_DNS_CHART, {
      provider: { name: "aws" },
      sources: ["ingress"],
      policy: "sync",
      registry: "txt",
      txtOwnerId: props.ownerId,
      domainFilters: [props.zoneName],
      extraArgs: [`--zone-id-filter=${props.zoneId}`, "--aws-zone-type=public", `--ingress-class=${props.ingressClass}`],
      // A new Ingress gets its record within seconds instead of at the next minute's loop.
      triggerLoopOnEvent: true,
      env: [{ name: "AWS_DEFAULT_REGION", value: props.region }],
      serviceAccount: { create: true, name: "external-dns", annotations: roleAnnotations(props.identityMode, props.roleArn) },
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
      ...placementOf(props),
    }, props);
  }
}
