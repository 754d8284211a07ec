/** What `verify aws` was asked to check. */
export interface AwsVerifyOptions {
  readonly bucket: string;
  /** The prefixes Segments must read under; empty means the whole bucket. */
  readonly prefixes: readonly string[];
  /** Objects to check one by one. */
  readonly keys: readonly string[];
  /** The page origins a browser sends (concrete, no wildcard). */
  readonly origins: readonly string[];
}
