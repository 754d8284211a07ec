/**
 * The properties of the `Custom::SegmentsImportedBucketAccess` resource: what the construct writes
 * into the template and the handler reads from its event. CloudFormation passes every scalar as a
 * string, so the flags are the strings 'true' / 'false' and 'destroy' / 'retain'. Imports nothing,
 * so both the construct (synth time) and the handler bundle (deploy time) can use it.
 */

/** The CloudFormation type of the custom resource. */
export const SEGMENTS_IMPORTED_BUCKET_ACCESS_RESOURCE_TYPE = 'Custom::SegmentsImportedBucketAccess';

/** What the handler does with our statement and rule when the resource is deleted. */
export type GrantRemovalPolicy = 'destroy' | 'retain';

/** The custom resource's properties, as the handler receives them. */
export interface ImportedBucketAccessProperties {
  /** The bucket whose policy and CORS configuration receive the Segments entries. */
  readonly BucketName: string;
  /** The account that must own the bucket; every S3 call passes it as `ExpectedBucketOwner`. */
  readonly ExpectedBucketOwner: string;
  /** Key prefixes Segments may read; absent for the whole bucket. */
  readonly KeyPrefixes?: string[];
  /** Origins of the Segments CORS rule. */
  readonly AllowedOrigins: string[];
  /** 'true' when a different existing Segments statement or rule may be replaced. */
  readonly AdoptExisting: 'true' | 'false';
  /** 'retain' leaves the grant in place on delete. */
  readonly RemovalPolicy: GrantRemovalPolicy;
}

/** The keys of the response data, readable with `getAttString` and shown in the handler's log. */
export const ImportedBucketAccessAttributes = {
  /** How the bucket encrypts by default, and whether a customer key's policy needs the Segments statement. */
  DEFAULT_ENCRYPTION: 'DefaultEncryption',
  /** The bucket's Object Ownership setting, and whether it keeps ACLs on. */
  OBJECT_OWNERSHIP: 'ObjectOwnership',
  /** Deny statements of the bucket policy that may lock Segments out, or 'none'. */
  LOCKOUT_DENIES: 'LockoutDenies',
  /** An earlier CORS rule that S3 applies to Segments' requests instead of ours, or 'none'. */
  SHADOWING_CORS_RULE: 'ShadowingCorsRule',
  /**
   * After an Update that moved the grant to another bucket (a bucket name from a token): whether
   * the old bucket's Segments entries were removed, or what to remove by hand; 'none' otherwise.
   */
  PREVIOUS_BUCKET: 'PreviousBucket',
  /** Other Allow statements that can apply to Segments' user and grant it more than s3:GetObject, or 'none'. */
  WIDER_SEGMENTS_ALLOWS: 'WiderSegmentsAllows',
} as const;
