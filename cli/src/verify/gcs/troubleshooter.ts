/**
 * Google's own answer to "can this principal use this permission on this resource": the Policy
 * Troubleshooter API v3 (`POST https://policytroubleshooter.googleapis.com/v3/iam:troubleshoot`),
 * which weighs the allow policies of the resource and every ancestor (bucket, project, folders,
 * organization), IAM deny policies and conditions. Asked for Segments' service account and
 * `storage.objects.get` on each object `verify gcs` checks.
 * https://cloud.google.com/policy-intelligence/docs/troubleshoot-access
 */

/** The answer of `iam:troubleshoot` (the fields used). */
export interface GcsTroubleshootResponse {
  /** `CAN_ACCESS`, `CANNOT_ACCESS`, `UNKNOWN_INFO` (the caller could not read every policy) or `UNKNOWN_CONDITIONAL`. */
  readonly overallAccessState?: string;
  readonly allowPolicyExplanation?: { readonly allowAccessState?: string };
  readonly denyPolicyExplanation?: {
    readonly denyAccessState?: string;
    readonly explainedResources?: readonly { readonly fullResourceName?: string; readonly denyAccessState?: string }[];
  };
}

/** The full resource name of an object, as the troubleshooter takes it. */
export function objectResourceName(bucket: string, object: string): string {
  return `//storage.googleapis.com/projects/_/buckets/${bucket}/objects/${object}`;
}

/** The request body of `iam:troubleshoot`. */
export function troubleshootRequest(serviceAccount: string, bucket: string, object: string, permission: string): unknown {
  return { accessTuple: { principal: serviceAccount, fullResourceName: objectResourceName(bucket, object), permission } };
}

/** The resources whose deny policies deny the permission, as the answer names them. */
export function denyingResources(response: GcsTroubleshootResponse): string[] {
  return (response.denyPolicyExplanation?.explainedResources ?? [])
    .filter((resource) => resource.denyAccessState === 'DENY_ACCESS_STATE_DENIED')
    .map((resource) => resource.fullResourceName ?? '(unnamed resource)');
}

/** `allow NOT_GRANTED, deny DENIED` from the answer's two explanations. */
export function explanation(response: GcsTroubleshootResponse): string {
  const allow = (response.allowPolicyExplanation?.allowAccessState ?? 'not stated').replace(/^ALLOW_ACCESS_STATE_/, '');
  const deny = (response.denyPolicyExplanation?.denyAccessState ?? 'not stated').replace(/^DENY_ACCESS_STATE_/, '');
  return `allow policies: ${allow}; deny policies: ${deny}`;
}
