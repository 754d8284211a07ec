/**
 * What a request's principal is, read from its ARN ("IAM identifiers: IAM ARNs"): its account, its
 * kind, the role of an assumed-role session, and the chain of principals AWS may check for it
 * (account, role, session) when it judges `NotPrincipal`.
 */

/** The request's principal, read once. */
export interface PrincipalInfo {
  /** As given. */
  readonly value: string;
  readonly kind: 'user' | 'role' | 'assumed-role' | 'federated-user' | 'root' | 'service' | 'other';
  /** The 12-digit account, for an IAM or STS ARN. */
  readonly account?: string;
  /** `arn:<partition>:iam::<account>:root`. */
  readonly accountArn?: string;
  /** For an assumed-role session: the role's ARN (any path: AWS's session ARN drops it, so it matches by name). */
  readonly roleName?: string;
  /** For a federated user: the IAM user ARN it was federated from. */
  readonly userArn?: string;
  /** The name of an IAM user (its `aws:username`). */
  readonly userName?: string;
  readonly partition?: string;
}

/** Reads a principal given as an ARN or a service principal name. */
export function principalInfo(value: string): PrincipalInfo {
  if (!value.startsWith('arn:')) {
    return { value, kind: value.includes('.') ? 'service' : 'other' };
  }
  const parts = value.split(':');
  const partition = parts[1];
  const service = parts[2];
  const account = parts[4];
  const resource = parts.slice(5).join(':');
  const base = { value, partition, account, accountArn: `arn:${partition}:iam::${account}:root` };
  if (service === 'iam' && resource === 'root') {
    return { ...base, kind: 'root' };
  }
  if (service === 'iam' && resource.startsWith('user/')) {
    return { ...base, kind: 'user', userName: resource.slice(resource.lastIndexOf('/') + 1) };
  }
  if (service === 'iam' && resource.startsWith('role/')) {
    return { ...base, kind: 'role', roleName: resource.slice(resource.lastIndexOf('/') + 1) };
  }
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    return { ...base, kind: 'assumed-role', roleName: resource.split('/')[1] };
  }
  if (service === 'sts' && resource.startsWith('federated-user/')) {
    return { ...base, kind: 'federated-user', userArn: `arn:${partition}:iam::${account}:user/${resource.slice('federated-user/'.length)}` };
  }
  return { ...base, kind: 'other' };
}
