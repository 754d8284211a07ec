/** What `verify gcs` was asked to check. */
export interface GcsVerifyOptions {
  readonly bucket: string;
  /** Segments' service account email (Segments gives it to each customer). */
  readonly serviceAccount: string;
  readonly keys: readonly string[];
  /** The page origins a browser sends (concrete, no wildcard). */
  readonly origins: readonly string[];
}
