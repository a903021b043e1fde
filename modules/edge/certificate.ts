import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";

/** Props of {@link Certificate}. */
export interface CertificateProps {
  /** The host the certificate is for (`api.dev.example.com`). */
  readonly domainName: string;
  /** The public hosted zone the host is in: the validation records go there. */
  readonly zoneId: string;
  /**
   * How long the first apply waits for ACM to issue the certificate. ACM validates once the
   * zone resolves, so a new zone's delegation must be in place by then.
   * @default "45m"
   */
  readonly validationTimeout?: string;
}

/**
 * A public ACM certificate for one host, validated through DNS in its zone, and issued before
 * anything uses it: {@link arn} is the validation's output, so the load balancer is given the
 * certificate only once ACM has issued it. ACM renews it for as long as the validation record
 * stays in the zone. Replaced create-before-destroy, so the listener always has one.
 * @see https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
 */
export class Certificate extends Construct {
  readonly certificate: AcmCertificate;
  /** ARN of the issued certificate. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    this.certificate = new AcmCertificate(this, "Default", {
      domainName: props.domainName,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      options: { certificateTransparencyLoggingPreference: "ENABLED" },
      lifecycle: { createBeforeDestroy: true },
    });
    // One record per name ACM asks to see (one here, as the certificate has one name).
    const options = TerraformIterator.fromComplexList(this.certificate.domainValidationOptions, "domain_name");
    const records = new Route53Record(this, "validation-record", {
      forEach: options,
      zoneId: props.zoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 300,
      // A replacement certificate of the same host asks for the same record.
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty("fqdn")),
      timeouts: { create: props.validationTimeout ?? "45m" },
    });
    this.arn = validation.certificateArn;
  }
}
