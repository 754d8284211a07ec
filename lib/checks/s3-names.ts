/** S3 bucket name checks. */

import { bucketUrlOrArnProblem } from './bucket-urls';

/**
 * Problems with an S3 bucket name: S3's naming rules, plus no dots, because the
 * `*.s3.<region>.amazonaws.com` certificate does not cover dotted names in the virtual-hosted
 * HTTPS URLs Segments requires.
 */
export function s3BucketNameProblems(prop: string, name: string): string[] {
  const where = `${prop} ('${name}')`;
  const url = bucketUrlOrArnProblem(prop, name, (bare) => s3BucketNameProblems(prop, bare));
  if (url !== undefined) {
    return [url];
  }
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) {
    problems.push(`${where} is ${name.length} characters long: S3 bucket names have 3 to 63.`);
  }
  const dot = s3BucketNameDotProblem(prop, name);
  if (dot) {
    problems.push(dot);
  }
  if (!/^[a-z0-9.-]*$/.test(name)) {
    problems.push(`${where} may only contain lowercase letters, digits and '-'.${s3NameHint(name)}`);
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    problems.push(`${where} must start and end with a lowercase letter or a digit.`);
  }
  const reservedPrefix = S3_RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (reservedPrefix) {
    problems.push(`${where} starts with '${reservedPrefix}', which S3 reserves.`);
  }
  const reservedSuffix = S3_RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (reservedSuffix) {
    problems.push(`${where} ends with '${reservedSuffix}', which S3 reserves.`);
  }
  return problems;
}

/** Name prefixes and suffixes S3 reserves for its own features. */
const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '--x-s3', '--table-s3'];

/** A valid S3 name close to `name` (lowercase, every run of other characters a '-'), when there is one. */
function s3NameHint(name: string): string {
  const suggestion = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return suggestion !== name && s3BucketNameProblems('bucketName', suggestion).length === 0 ? ` Try '${suggestion}'.` : '';
}

/**
 * The problem with a dot in an S3 bucket name, or undefined when it has none. Separate from
 * `s3BucketNameProblems` (which includes it) so that a caller facing a bucket that already exists,
 * and cannot be renamed, can warn about it instead of refusing.
 */
export function s3BucketNameDotProblem(prop: string, name: string): string | undefined {
  if (!name.includes('.')) {
    return undefined;
  }
  return `${prop} ('${name}') contains a dot: virtual-hosted HTTPS URLs (https://<bucket>.s3.<region>.amazonaws.com), which Segments requires, fail TLS on dotted names; use '-' instead.`;
}
