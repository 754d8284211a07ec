/**
 * The size S3 measures a bucket policy by, bounded from the rendered template: CloudFormation
 * turns each intrinsic into a string, and for the ones this library can bound (the bucket's name
 * and ARN, IAM role and user ARNs, pseudo parameters) the longest that string can be is known
 * from the template. Pure: no aws-cdk-lib.
 */

import { S3_BUCKET_POLICY_MAX_BYTES } from '../../s3/bucket-policy';

export { S3_BUCKET_POLICY_MAX_BYTES };

/** The longest value an intrinsic nothing is known about can take: IAM's limit on an ARN. */
export const UNKNOWN_VALUE_MAX_BYTES = 2048;

/** Bounds of a policy's deployed size in bytes (minified JSON, UTF-8). */
export interface PolicySizeBound {
  /** With every intrinsic at its longest; intrinsics that cannot be bounded count as empty. */
  readonly bytes: number;
  /** How many intrinsics could not be bounded (parameters, imports, other resources' attributes). */
  readonly unknownValues: number;
}

type Resources = Readonly<Record<string, { Type?: string; Properties?: Record<string, unknown> }>>;

/** The longest partition name (`aws-us-gov`), account ID, region and URL suffix. */
const PSEUDO_MAX: Readonly<Record<string, number>> = {
  'AWS::Partition': 10,
  'AWS::AccountId': 12,
  'AWS::Region': 20,
  'AWS::URLSuffix': 16,
  'AWS::NoValue': 0,
};
const NAME_MAX: Readonly<Record<string, [string, number]>> = {
  'AWS::S3::Bucket': ['BucketName', 63],
  'AWS::IAM::Role': ['RoleName', 64],
  'AWS::IAM::User': ['UserName', 64],
};

/** An upper bound of the deployed size of `document`, a policy document in the template whose resources are `resources`. */
export function policySizeBound(document: unknown, resources: Resources): PolicySizeBound {
  // A quick, looser bound first: the rendered JSON with every intrinsic (and `${}` of Fn::Sub) at
  // the longest any value can be. Most policies are far below the limit by this bound already.
  const json = JSON.stringify(document) ?? '';
  const intrinsics = occurrences(json, '"Ref":') + occurrences(json, '"Fn::') + occurrences(json, '${');
  const quick = Buffer.byteLength(json, 'utf8') + intrinsics * UNKNOWN_VALUE_MAX_BYTES;
  if (quick <= S3_BUCKET_POLICY_MAX_BYTES) {
    return { bytes: quick, unknownValues: 0 };
  }
  let unknownValues = 0;
  const literalLength = (value: unknown): number | undefined => (typeof value === 'string' ? value.length : undefined);
  const nameLength = (logicalId: unknown): number | undefined => {
    const resource = typeof logicalId === 'string' ? resources[logicalId] : undefined;
    const name = resource?.Type ? NAME_MAX[resource.Type] : undefined;
    return name ? literalLength(resource!.Properties?.[name[0]]) ?? name[1] : undefined;
  };
  const arnLength = (logicalId: unknown): number | undefined => {
    const resource = typeof logicalId === 'string' ? resources[logicalId] : undefined;
    const name = nameLength(logicalId);
    if (name === undefined) {
      return undefined;
    }
    if (resource!.Type === 'AWS::S3::Bucket') {
      return 'arn::s3:::'.length + PSEUDO_MAX['AWS::Partition'] + name;
    }
    const path = resource!.Properties?.Path;
    const pathLength = path === undefined ? 1 : literalLength(path) ?? 512;
    return 'arn::iam:::role'.length + PSEUDO_MAX['AWS::Partition'] + PSEUDO_MAX['AWS::AccountId'] + pathLength + name;
  };
  /** The longest string an intrinsic can become, or undefined if unknown. */
  const longest = (value: Record<string, unknown>): number | undefined => {
    if ('Ref' in value) {
      return PSEUDO_MAX[value.Ref as string] ?? nameLength(value.Ref);
    }
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'Arn') {
      return arnLength(getAtt[0]);
    }
    const join = value['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      const parts = join[1].map((part: unknown) => stringLength(part));
      return parts.reduce((sum: number, n: number) => sum + n, 0) + stringLength(join[0]) * Math.max(0, parts.length - 1);
    }
    return undefined;
  };
  /** Bytes of a string value once deployed, JSON-escaped, without its quotes. */
  const stringLength = (value: unknown): number => {
    if (typeof value === 'string') {
      return Buffer.byteLength(JSON.stringify(value), 'utf8') - 2;
    }
    const n = typeof value === 'object' && value !== null ? longest(value as Record<string, unknown>) : undefined;
    if (n === undefined) {
      unknownValues++;
      return 0;
    }
    return n;
  };
  const size = (value: unknown): number => {
    if (Array.isArray(value)) {
      return 2 + value.reduce((sum: number, item) => sum + size(item), 0) + Math.max(0, value.length - 1);
    }
    if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      const intrinsic = entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'));
      if (intrinsic) {
        return 2 + stringLength(value);
      }
      return 2 + entries.reduce((sum, [k, v]) => sum + Buffer.byteLength(JSON.stringify(k), 'utf8') + 1 + size(v), 0) + Math.max(0, entries.length - 1);
    }
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  };
  const bytes = size(document);
  return { bytes, unknownValues };
}

/** How often `part` occurs in `text` (without overlaps). */
function occurrences(text: string, part: string): number {
  let count = 0;
  for (let i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length)) {
    count++;
  }
  return count;
}
