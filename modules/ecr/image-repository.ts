import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Construct } from "constructs";
import { type IGrantable } from "../iam/grant";
import { EncryptionKey } from "../kms/encryption-key";

/** Props of {@link ImageRepository}. */
export interface ImageRepositoryProps {
  /** Repository name. */
  readonly name: string;
  /** The account, for the key. */
  readonly accountId: string;
  /**
   * Images kept; older ones expire.
   * @default 10
   */
  readonly keepImages?: number;
}

/**
 * A container image repository: immutable tags (a pushed tag never changes what it points at),
 * scan on push, KMS encryption with a key of its own, and a lifecycle policy that keeps the last
 * images only.
 */
export class ImageRepository extends Construct {
  /** The repository. */
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    const keep = props.keepImages ?? 10;
    if (!Number.isInteger(keep) || keep < 1 || keep > 1000) throw new Error(`${this.node.path}: keepImages must be a whole number from 1 to 1000 (got ${keep})`);
    const key = new EncryptionKey(this, "key", { description: `Encrypts the images of ${props.name}`, aliasName: `alias/ecr-${props.name}`, accountId: props.accountId });
    this.repository = new EcrRepository(this, "Default", {
      name: props.name,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: key.arn }],
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      policy: JSON.stringify({ rules: [{ rulePriority: 1, description: `Keep the last ${keep} images`, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep }, action: { type: "expire" } }] }),
    });
  }

  /** Lets the grantee push images (CI's build role). */
  grantPush(grantee: IGrantable): void {
    grantee.addToPrincipalPolicy({
      Sid: "PushImages",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: this.repository.arn,
    });
  }
}
