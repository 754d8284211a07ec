/**
 * `Principal` and `NotPrincipal` ("AWS JSON policy elements: Principal", "...: NotPrincipal").
 *
 * | entry                                   | matches                                              |
 * |-----------------------------------------|------------------------------------------------------|
 * | `"*"`, `{"AWS": "*"}`                   | everyone                                             |
 * | `{"AWS": "111122223333"}`, `...:root`   | the account: every principal in it, *at account level* |
 * | `{"AWS": "<user or role ARN>"}`         | that user or role, and the role's sessions           |
 * | `{"AWS": "<assumed-role session ARN>"}` | that session                                         |
 * | `{"Service": "s3.amazonaws.com"}`       | that service principal                               |
 * | `{"CanonicalUser": "<id>"}`             | the principal with that canonical user ID            |
 * | `{"Federated": "<provider>"}`           | that federated principal                             |
 *
 * An account-level match grants to the account, not to the principal: AWS then needs the account's
 * own identity policy to allow too, even in the same account ("Cross-account policy evaluation
 * logic"; "Policy evaluation for requests within a single account").
 */
import type { IamNonLiteral, IamPrincipalEntry } from './policy-document';
import type { PrincipalInfo } from './principal-arn';
import type { IamTruth } from './result';
import { or3 } from './truth';

/** How a principal element matches: directly (the principal itself) and at all (directly or its account). */
export interface PrincipalMatch {
  readonly direct: IamTruth;
  readonly any: IamTruth;
}

const NONE: PrincipalMatch = { direct: false, any: false };
const DIRECT: PrincipalMatch = { direct: true, any: true };
const ACCOUNT: PrincipalMatch = { direct: false, any: true };
const UNKNOWN: PrincipalMatch = { direct: 'unknown', any: 'unknown' };

/** How one entry matches the principal. */
function entryMatch(entry: IamPrincipalEntry, principal: PrincipalInfo, canonicalUser: string | undefined): PrincipalMatch {
  const value = entry.value;
  if (typeof value !== 'string') {
    return UNKNOWN;
  }
  switch (entry.type) {
    case '*':
      return DIRECT;
    case 'Service':
      return principal.kind === 'service' && value === principal.value ? DIRECT : NONE;
    case 'CanonicalUser':
      return canonicalUser !== undefined && value === canonicalUser ? DIRECT : NONE;
    case 'Federated':
      return value === principal.value ? DIRECT : NONE;
    case 'AWS':
      return awsEntryMatch(value, principal);
  }
}

function awsEntryMatch(value: string, principal: PrincipalInfo): PrincipalMatch {
  if (value === '*') {
    return DIRECT;
  }
  if (principal.account === undefined) {
    return NONE;
  }
  if (value === principal.account || value === principal.accountArn) {
    return principal.kind === 'root' ? DIRECT : ACCOUNT;
  }
  if (value === principal.value) {
    return DIRECT;
  }
  if (principal.kind === 'assumed-role' && isRoleArnOf(value, principal)) {
    return DIRECT;
  }
  if (principal.kind === 'federated-user' && value === principal.userArn) {
    return DIRECT;
  }
  return NONE;
}

/** Whether `arn` is the role (any path) whose session `principal` is. */
function isRoleArnOf(arn: string, principal: PrincipalInfo): boolean {
  const prefix = `arn:${principal.partition}:iam::${principal.account}:role/`;
  return arn.startsWith(prefix) && arn.slice(arn.lastIndexOf('/') + 1) === principal.roleName;
}

/** How a `Principal` element matches the request's principal. */
export function principalElementMatch(element: readonly IamPrincipalEntry[] | IamNonLiteral, principal: PrincipalInfo, canonicalUser: string | undefined): PrincipalMatch {
  if (!Array.isArray(element)) {
    return UNKNOWN;
  }
  let direct: IamTruth = false;
  let any: IamTruth = false;
  for (const entry of element as readonly IamPrincipalEntry[]) {
    const m = entryMatch(entry, principal, canonicalUser);
    direct = or3(direct, m.direct);
    any = or3(any, m.any);
    if (direct === true) {
      return DIRECT;
    }
  }
  return { direct, any };
}

/**
 * Whether a `NotPrincipal` element leaves the request's principal in the statement (the statement
 * applies to it). AWS "might validate the account first, then the role, and then the assumed-role
 * user" ("AWS JSON policy elements: NotPrincipal"), so a principal is left out for certain only when
 * it and its chain (its account; for a session, its role too) are all listed, and applies for
 * certain only when none of them is. When some are listed and some not, AWS documents that the
 * statement "might" apply: unknown. A session is listed only by
 * its own session ARN ("Principals must always name a specific session").
 */
export function notPrincipalApplies(element: readonly IamPrincipalEntry[] | IamNonLiteral, principal: PrincipalInfo, canonicalUser: string | undefined): IamTruth {
  if (!Array.isArray(element)) {
    return 'unknown';
  }
  const entries = element as readonly IamPrincipalEntry[];
  const listed = (test: (entry: IamPrincipalEntry, value: string) => boolean): IamTruth => {
    let found: IamTruth = false;
    for (const entry of entries) {
      if (typeof entry.value !== 'string') {
        found = 'unknown';
      } else if (entry.type === '*' || (entry.type === 'AWS' && entry.value === '*') || test(entry, entry.value)) {
        return true;
      }
    }
    return found;
  };
  const self = listed((entry, value) => entry.type === 'AWS'
    ? value === principal.value || (principal.kind === 'root' && value === principal.account)
    : entryMatch(entry, principal, canonicalUser).direct === true);
  const members: IamTruth[] = [self];
  if (principal.account !== undefined && principal.kind !== 'root') {
    members.push(listed((entry, value) => entry.type === 'AWS' && (value === principal.account || value === principal.accountArn)));
  }
  if (principal.kind === 'assumed-role') {
    members.push(listed((entry, value) => entry.type === 'AWS' && isRoleArnOf(value, principal)));
  }
  if (members.every((m) => m === false)) {
    return true;
  }
  return members.every((m) => m === true) ? false : 'unknown';
}
