import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { SEGMENTS_GCS_DEFAULT_ORIGINS, gsUrl, segmentsGcsCorsRule } from '../segments';
import { gcsBucketNameProblems, isDottedGcsBucketName } from '../checks';
import { knownProps, unknownPropProblems } from '../checks/known-props';
import { refusalError } from '../checks/refusal';
import {
  accessProblems,
  isLiteral,
  locationProblems,
  originProblems,
  storageClassProblems,
} from './private/checks';
import { GcsWarning, warn } from './private/warnings';
import { SegmentsGcsAccess } from './segments-gcs-access';

/** Properties of a {@link SegmentsGcsBucket}. */
export interface SegmentsGcsBucketProps {
  /**
   * The bucket's globally unique name: 3 to 63 lowercase letters, digits, `-`, `_` and `.`,
   * starting and ending with a letter or digit. Dotted names need domain verification.
   */
  readonly name: string;

  /** The bucket's location, such as `EU`, `US` or `europe-west1`. */
  readonly location: string;

  /**
   * The project to create the bucket (and the custom role) in.
   * @default - the Google provider's default project (its `project` argument or `GOOGLE_PROJECT`)
   */
  readonly project?: string;

  /**
   * The service-account email Segments support gives you
   * (`name@project.iam.gserviceaccount.com`), granted read access on the bucket.
   * @default - no access is granted (a warning says so): the bucket and its CORS rule are declared
   */
  readonly segmentsServiceAccount?: string;

  /**
   * The origins of Segments' web app allowed by the bucket's CORS rule: `https://host[:port]`,
   * no path, no wildcard (Cloud Storage matches origins literally, except a lone `*` for any origin).
   * @default ['https://segments.ai', 'https://app.segments.ai'] (SEGMENTS_GCS_DEFAULT_ORIGINS)
   */
  readonly allowedOrigins?: string[];

  /**
   * The ID of the custom role to create (`[a-zA-Z0-9_.]{3,64}`, no hyphens).
   * @default 'segmentsObjectReader'
   */
  readonly customRoleId?: string;

  /**
   * The full name of an existing custom role to grant instead of creating one
   * (`projects/<project>/roles/<id>` or `organizations/<org>/roles/<id>`). Cannot be combined
   * with `customRoleId`.
   * @default - a custom role is created
   */
  readonly existingCustomRole?: string;

  /**
   * Whether object versioning is on, so an overwritten or deleted object can be restored.
   * @default true
   */
  readonly versioning?: boolean;

  /**
   * Labels of the bucket.
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * The bucket's default storage class: `STANDARD`, `NEARLINE`, `COLDLINE` or `ARCHIVE` (the legacy
   * `MULTI_REGIONAL` and `REGIONAL` are accepted too). Uppercase, as Cloud Storage spells them.
   * @default - Cloud Storage's default, `STANDARD`
   */
  readonly storageClass?: string;

  /**
   * Whether `terraform destroy` (or removing this construct) may delete the bucket while it holds
   * objects. **This deletes customer data**, every object and every version, without a prompt.
   * @default false
   */
  readonly forceDestroy?: boolean;
}

/** Every prop of {@link SegmentsGcsBucketProps}: unknown ones are refused. */
const SEGMENTS_GCS_BUCKET_PROPS = knownProps<SegmentsGcsBucketProps>({
  name: true, location: true, project: true, segmentsServiceAccount: true, allowedOrigins: true, customRoleId: true, existingCustomRole: true, versioning: true, labels: true, storageClass: true, forceDestroy: true,
});

/**
 * A Cloud Storage bucket that Segments.ai can read, set up as Segments' Cloud integrations doc
 * describes.
 *
 * Declares a `google_storage_bucket` with uniform bucket-level access, public access prevention
 * enforced and exactly the vendor's CORS rule, and, when `segmentsServiceAccount` is given,
 * grants that service account `storage.objects.get` through a {@link SegmentsGcsAccess}.
 * Outputs the bucket name and its `gs://` URL.
 */
export class SegmentsGcsBucket extends Construct {
  /** The bucket. */
  public readonly bucket: StorageBucket;

  /** The grant to Segments' service account; undefined when `segmentsServiceAccount` is omitted. */
  public readonly access?: SegmentsGcsAccess;

  /**
   * The bucket's URL, `gs://<name>`: a plain string such as `'gs://acme-segments-data'` when `name`
   * is a literal, and a token Terraform resolves at apply when `name` is known only then.
   */
  public readonly gsUrl: string;

  /** The output holding the bucket name. */
  public readonly bucketNameOutput: TerraformOutput;

  /** The output holding the bucket's `gs://` URL. */
  public readonly gsUrlOutput: TerraformOutput;

  constructor(scope: Construct, id: string, props: SegmentsGcsBucketProps) {
    super(scope, id);

    const problems = [
      ...unknownPropProblems(props, SEGMENTS_GCS_BUCKET_PROPS),
      ...(isLiteral(props.name) ? gcsBucketNameProblems('name', props.name) : []),
      ...locationProblems(props.location),
      ...accessProblems(props, false),
      ...originProblems(props.allowedOrigins),
      ...storageClassProblems(props.storageClass),
    ];
    if (problems.length > 0) {
      throw refusalError(this.node.path, 'SegmentsGcsBucket', problems);
    }

    if (isLiteral(props.name) && isDottedGcsBucketName(props.name)) {
      warn(this, GcsWarning.DOTTED_BUCKET_NAME, `name '${props.name}' has dots: Cloud Storage only creates it once you have verified the domain in Google Search Console; otherwise use '-' instead of '.'.`);
    }
    if (props.forceDestroy === true) {
      warn(this, GcsWarning.FORCE_DESTROY, `forceDestroy is true: terraform destroy, or removing this construct, deletes bucket '${props.name}' with every object and version in it, without a prompt.`);
    }

    this.bucket = new StorageBucket(this, 'Bucket', {
      name: props.name,
      location: props.location,
      project: props.project,
      storageClass: props.storageClass,
      labels: props.labels,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      forceDestroy: props.forceDestroy ?? false,
      versioning: { enabled: props.versioning ?? true },
      cors: [segmentsGcsCorsRule(props.allowedOrigins ?? SEGMENTS_GCS_DEFAULT_ORIGINS)],
    });
    // A literal name gives a literal URL, usable in code at synth (as urlPrefix is on AWS).
    this.gsUrl = gsUrl(isLiteral(props.name) ? props.name : this.bucket.name);

    if (props.segmentsServiceAccount === undefined) {
      warn(this, GcsWarning.NO_SERVICE_ACCOUNT, `segmentsServiceAccount is not set: the bucket and its CORS rule are declared, but Segments cannot read it until you grant access; ask Segments support for its service account and set segmentsServiceAccount.`);
    } else {
      // The bucket carries the CORS rule itself, so the access construct's gcloud instructions
      // (for buckets Terraform does not manage) would only mislead.
      this.access = new SegmentsGcsAccess(this, 'Access', {
        bucketName: this.bucket.name,
        segmentsServiceAccount: props.segmentsServiceAccount,
        project: props.project,
        customRoleId: props.customRoleId,
        existingCustomRole: props.existingCustomRole,
        emitCorsInstructions: false,
      });
    }

    this.bucketNameOutput = new TerraformOutput(this, 'BucketName', {
      description: 'The name of the bucket Segments.ai reads.',
      value: this.bucket.name,
    });
    this.gsUrlOutput = new TerraformOutput(this, 'GsUrl', {
      description: 'The gs:// URL of the bucket Segments.ai reads.',
      // From the bucket's attribute, not the literal: the output then follows the created bucket.
      value: gsUrl(this.bucket.name),
    });
  }
}
