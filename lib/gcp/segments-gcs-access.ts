import { Construct } from 'constructs';
import { Fn, TerraformOutput, Token } from 'cdktf';
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { SEGMENTS_GCS_DEFAULT_ORIGINS, SEGMENTS_GCS_PERMISSIONS, segmentsGcsCorsRule } from '../segments';
import { formatProblems } from '../checks';
import { knownProps, unknownPropProblems } from '../checks/known-props';
import { refusalError } from '../checks/refusal';
import { appIndexOf, registerAppCheck } from './private/app-index';
import {
  accessBucketNameProblems,
  accessProblems,
  bucketProjectProblems,
  duplicateRoleProblems,
  originProblems,
} from './private/checks';
import {
  CORS_FILE_NAME,
  CUSTOM_ROLE_DESCRIPTION,
  CUSTOM_ROLE_TITLE,
  DEFAULT_CUSTOM_ROLE_ID,
  corsCommand,
  customRoleIdToCreate,
  serviceAccountMember,
} from './private/defaults';
import { recordRoleCreator } from './private/role-registry';

/** The ID of the custom role SegmentsGcsAccess creates unless told otherwise. */
export const SEGMENTS_GCS_DEFAULT_CUSTOM_ROLE_ID = DEFAULT_CUSTOM_ROLE_ID;

/** The file name the CORS instructions tell `gcloud` to read. */
export const SEGMENTS_GCS_CORS_FILE = CORS_FILE_NAME;

/** Properties of a {@link SegmentsGcsAccess}. */
export interface SegmentsGcsAccessProps {
  /**
   * The name of the bucket to grant Segments read access on, without `gs://`.
   * A token such as `storageBucket.name` is fine.
   */
  readonly bucketName: string;

  /**
   * The service-account email Segments support gives you
   * (`name@project.iam.gserviceaccount.com`). It is granted as `serviceAccount:<email>`.
   */
  readonly segmentsServiceAccount: string;

  /**
   * The project that holds the bucket: the custom role is created there. A project-level custom
   * role can only be granted on resources of its own project.
   * @default - the Google provider's default project (its `project` argument or `GOOGLE_PROJECT`)
   */
  readonly project?: string;

  /**
   * The ID of the custom role to create (`[a-zA-Z0-9_.]{3,64}`, no hyphens). An ID cannot be
   * reused for about 37 days after its role is deleted.
   * @default 'segmentsObjectReader'
   */
  readonly customRoleId?: string;

  /**
   * The full name of an existing custom role to grant instead of creating one
   * (`projects/<project>/roles/<id>` or `organizations/<org>/roles/<id>`), so several buckets can
   * share one role. It should hold `storage.objects.get` only. Cannot be combined with
   * `customRoleId`.
   * @default - a custom role is created
   */
  readonly existingCustomRole?: string;

  /**
   * The origins of Segments' web app, for the CORS instructions: `https://host[:port]`, no path,
   * no wildcard (Cloud Storage matches origins literally, except a lone `*` for any origin).
   * @default ['https://segments.ai', 'https://app.segments.ai'] (SEGMENTS_GCS_DEFAULT_ORIGINS)
   */
  readonly allowedOrigins?: string[];

  /**
   * Whether to output the `gcloud` command and CORS JSON that set Segments' CORS rule on the
   * bucket. Terraform can only set CORS on a bucket it manages, so for a bucket this app does not
   * declare, these outputs are the way. Turn it off when this app declares the bucket with its
   * CORS rule (`SegmentsGcsBucket` does).
   * @default true
   */
  readonly emitCorsInstructions?: boolean;
}

/** Every prop of {@link SegmentsGcsAccessProps}: unknown ones are refused. */
const SEGMENTS_GCS_ACCESS_PROPS = knownProps<SegmentsGcsAccessProps>({
  bucketName: true, segmentsServiceAccount: true, project: true, customRoleId: true, existingCustomRole: true, allowedOrigins: true, emitCorsInstructions: true,
});

/**
 * Grants Segments.ai's service account read access (`storage.objects.get` only) on one Cloud
 * Storage bucket, whether this app manages the bucket or not.
 *
 * Declares a `google_project_iam_custom_role` holding only `storage.objects.get` (or reuses
 * `existingCustomRole`) and a `google_storage_bucket_iam_member` binding it to
 * `serviceAccount:<segmentsServiceAccount>`. The member resource is additive: unlike
 * `_iam_binding` and `_iam_policy` it never removes anyone else's access.
 *
 * Because Terraform can only set CORS on a bucket it manages, it outputs the `gcloud` command
 * and the CORS JSON to run once on the bucket (see `emitCorsInstructions`).
 */
export class SegmentsGcsAccess extends Construct {
  /** The custom role this construct creates; undefined when `existingCustomRole` is used. */
  public readonly customRole?: ProjectIamCustomRole;

  /** The role granted: the created role's `name` (`projects/<p>/roles/<id>`) or `existingCustomRole`. */
  public readonly roleName: string;

  /** The IAM member granted, `serviceAccount:<segmentsServiceAccount>`. */
  public readonly member: string;

  /** The additive bucket IAM grant. */
  public readonly bucketIamMember: StorageBucketIamMember;

  /** The CORS JSON to save as `segments-cors.json`; undefined when `emitCorsInstructions` is false. */
  public readonly corsFileOutput?: TerraformOutput;

  /** The `gcloud storage buckets update` command; undefined when `emitCorsInstructions` is false. */
  public readonly corsCommandOutput?: TerraformOutput;

  constructor(scope: Construct, id: string, props: SegmentsGcsAccessProps) {
    super(scope, id);

    const emitCorsInstructions = props.emitCorsInstructions ?? true;
    const problems = [
      ...unknownPropProblems(props, SEGMENTS_GCS_ACCESS_PROPS),
      ...accessBucketNameProblems(props.bucketName),
      ...accessProblems(props, true),
      ...originProblems(props.allowedOrigins),
    ];
    if (!emitCorsInstructions && props.allowedOrigins !== undefined) {
      problems.push(`allowedOrigins is set but emitCorsInstructions is false: the origins are only used by the CORS instructions; set the CORS rule where the bucket is declared and remove allowedOrigins.`);
    }
    if (problems.length > 0) {
      throw refusalError(this.node.path, 'SegmentsGcsAccess', problems);
    }
    // Checks against the rest of the app run at synth, when the whole tree exists: a bucket or a
    // Google provider declared after this construct counts as much as one declared before.
    const input = {
      segmentsServiceAccount: props.segmentsServiceAccount,
      project: props.project,
      customRoleId: props.customRoleId,
      existingCustomRole: props.existingCustomRole,
    };
    const bucketName = props.bucketName;
    registerAppCheck(this);
    this.node.addValidation({
      validate: () => {
        const index = appIndexOf(this);
        const appProblems = [
          ...bucketProjectProblems(index, this, bucketName, input),
          ...duplicateRoleProblems(index, this, input),
        ];
        return appProblems.length > 0 ? [formatProblems('SegmentsGcsAccess', appProblems)] : [];
      },
    });

    const roleId = customRoleIdToCreate(props.customRoleId, props.existingCustomRole);
    if (roleId !== undefined) {
      this.customRole = new ProjectIamCustomRole(this, 'ObjectReaderRole', {
        roleId,
        project: props.project,
        title: CUSTOM_ROLE_TITLE,
        description: CUSTOM_ROLE_DESCRIPTION,
        permissions: [...SEGMENTS_GCS_PERMISSIONS],
        stage: 'GA',
      });
      recordRoleCreator(this, props.project, roleId);
      this.roleName = this.customRole.name;
    } else {
      this.roleName = props.existingCustomRole!;
    }

    this.member = serviceAccountMember(props.segmentsServiceAccount);
    this.bucketIamMember = new StorageBucketIamMember(this, 'SegmentsReader', {
      bucket: props.bucketName,
      role: this.roleName,
      member: this.member,
    });

    if (emitCorsInstructions) {
      const origins = props.allowedOrigins ?? SEGMENTS_GCS_DEFAULT_ORIGINS;
      const rules = [segmentsGcsCorsRule(origins)];
      this.corsFileOutput = new TerraformOutput(this, 'CorsFile', {
        description: `Segments' CORS rule for the bucket: save it as ${CORS_FILE_NAME} and run the CorsCommand output. Terraform cannot set CORS on a bucket it does not manage.`,
        // A list token (a list variable, Fn.split) is only known at apply time, and cannot be
        // spliced into a JSON string at synth: let Terraform encode the rule then.
        value: Token.isUnresolved(origins) ? Fn.jsonencode(rules) : JSON.stringify(rules, null, 2),
      });
      this.corsCommandOutput = new TerraformOutput(this, 'CorsCommand', {
        description: `Sets Segments' CORS rule on the bucket, replacing the CORS rules it has: run it once where ${CORS_FILE_NAME} holds the CorsFile output.`,
        value: corsCommand(props.bucketName),
      });
    }
  }
}
