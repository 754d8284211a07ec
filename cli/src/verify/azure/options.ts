/** What `verify azure` was asked to check. */
export interface AzureVerifyOptions {
  readonly account: string;
  readonly subscription?: string;
  /** The container Segments reads, for the container-scope reasoning of azure.role. */
  readonly container?: string;
  /** Blobs as `container/path`. */
  readonly blobs: readonly string[];
  readonly origins: readonly string[];
}
