/**
 * A request read once for many statements: its principal parsed, its context indexed, and the
 * context keys AWS derives from the principal ("AWS global condition context keys": aws:PrincipalArn,
 * aws:PrincipalAccount, aws:username, aws:PrincipalServiceName, aws:ResourceAccount) added unless the
 * caller's context names them.
 */
import { ContextIndex } from './context';
import type { PrincipalInfo } from './principal-arn';
import { principalInfo } from './principal-arn';
import type { IamRequest } from './request';

/** A request ready for evaluation. */
export interface PreparedRequest {
  readonly request: IamRequest;
  readonly principal: PrincipalInfo;
  readonly context: ContextIndex;
}

const CACHE = new WeakMap<IamRequest, PreparedRequest>();

/** Prepares `request` (once per request object). */
export function prepareRequest(request: IamRequest): PreparedRequest {
  const cached = CACHE.get(request);
  if (cached !== undefined) {
    return cached;
  }
  const principal = principalInfo(request.principal);
  const derived: Record<string, string> = {};
  if (principal.kind === 'service') {
    derived['aws:PrincipalServiceName'] = principal.value;
  } else if (principal.account !== undefined) {
    derived['aws:PrincipalAccount'] = principal.account;
    if (principal.kind !== 'assumed-role' && principal.kind !== 'federated-user') {
      derived['aws:PrincipalArn'] = principal.value;
    }
    if (principal.userName !== undefined) {
      derived['aws:username'] = principal.userName;
    }
  }
  if (request.resourceAccount !== undefined) {
    derived['aws:ResourceAccount'] = request.resourceAccount;
  }
  const prepared = { request, principal, context: new ContextIndex(request, derived) };
  CACHE.set(request, prepared);
  return prepared;
}
