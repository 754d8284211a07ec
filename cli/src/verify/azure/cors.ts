/**
 * `azure.cors` (per origin): the blob service's CORS rules. Azure evaluates the rules in order and
 * applies the first whose origins, methods and (for a preflight) requested headers all match.
 * An origin matches when it is `*`, equal (ignoring case), or under a leading `*.` subdomain
 * wildcard (`https://*.segments.ai`). A rule's allowed headers are names, `prefix*` or `*`; an
 * empty list, which the vendor's `az storage cors add` stores, matches only a preflight that names
 * no header, so one that asks for `Range` (a suffix range) or a custom header is refused.
 */
import { SEGMENTS_AZURE_CORS_METHODS, segmentsAzureCorsRule } from 'segments-cloud-constructs';
import { CheckOutcome, couldNotRun, fail, pass } from '../report';
import { Read, isFailure, readFailureFix } from '../read';

/** A blob service CORS rule, lists as arrays (fetch.ts splits the data plane's comma-joined strings). */
export interface AzureCorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposedHeaders: readonly string[];
  readonly maxAgeInSeconds?: number;
}

const ID = 'azure.cors';

/** Splits the data plane's `"a,b"` (or `""`) into a list. */
export function splitCorsList(value: string | readonly string[] | undefined): string[] {
  const items = typeof value === 'string' ? value.split(',') : [...(value ?? [])];
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** Whether a rule origin admits the request's origin. */
export function azureOriginMatches(pattern: string, origin: string): boolean {
  const p = pattern.toLowerCase();
  const o = origin.toLowerCase();
  if (p === '*' || p === o) {
    return true;
  }
  const wildcard = /^([a-z]+:\/\/)\*\.(.+)$/.exec(p);
  if (wildcard === null) {
    return false;
  }
  const [, scheme, base] = wildcard;
  return o.startsWith(scheme) && o.slice(scheme.length).endsWith(`.${base}`) && o.length > scheme.length + base.length + 1;
}

/** Whether a rule's allowed headers admit one requested header. */
export function azureHeaderAllowed(patterns: readonly string[], header: string): boolean {
  const h = header.toLowerCase();
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase();
    return p === '*' || p === h || (p.endsWith('*') && h.startsWith(p.slice(0, -1)));
  });
}

/** The index of the first rule Azure applies to a request from the origin with the method and requested headers, or -1. */
export function azureCorsRuleFor(rules: readonly AzureCorsRule[], origin: string, method: string, headers: readonly string[] = []): number {
  return rules.findIndex((rule) =>
    rule.allowedOrigins.some((pattern) => azureOriginMatches(pattern, origin))
    && rule.allowedMethods.some((m) => m.toUpperCase() === method.toUpperCase())
    && headers.every((header) => azureHeaderAllowed(rule.allowedHeaders, header)));
}

/** One outcome per origin. `account` names the account in the fix command. */
export function checkAzureCors(account: string, rules: Read<readonly AzureCorsRule[]>, origins: readonly string[]): CheckOutcome[] {
  if (isFailure(rules)) {
    return [couldNotRun(ID, `Could not read the blob service's CORS rules of ${account} (${rules.message}).`,
      readFailureFix(rules, 'The caller needs to read the blob service properties: Reader on the account (Microsoft.Storage/storageAccounts/blobServices/read), or an account key through AZURE_STORAGE_CONNECTION_STRING.'))];
  }
  return origins.map((origin) => checkOrigin(account, rules.value, origin));
}

function checkOrigin(account: string, rules: readonly AzureCorsRule[], origin: string): CheckOutcome {
  const method = SEGMENTS_AZURE_CORS_METHODS[0];
  const found = azureCorsRuleFor(rules, origin, method);
  if (found >= 0) {
    const rule = rules[found];
    const withHeader = azureCorsRuleFor(rules, origin, method, ['range']);
    const headers = rule.allowedHeaders.length === 0
      ? 'allowed headers [] (empty)'
      : `allowed headers ${JSON.stringify(rule.allowedHeaders)}`;
    const preflight = withHeader < 0
      ? ` No rule allows a requested header for this origin, so a preflight that names one (a suffix Range, a custom header) is refused; GETs without such headers, as <img> and canvas send them, are allowed.`
      : withHeader === found ? '' : ` A preflight that names headers is answered by rule #${withHeader + 1}.`;
    return pass(ID, `Rule #${found + 1} allows ${method} from ${origin}; ${headers}.${preflight}`, origin);
  }
  const near = rules.flatMap((rule, i) => rule.allowedOrigins.some((pattern) => azureOriginMatches(pattern, origin))
    ? [`rule #${i + 1} names the origin but allows only ${rule.allowedMethods.join(', ')}`] : []);
  const what = rules.length === 0 ? 'The blob service has no CORS rule' : `None of the blob service's ${rules.length} CORS rules allows ${method} from ${origin}`;
  const rule = segmentsAzureCorsRule([origin]);
  return fail(ID, `${what}${near.length > 0 ? `: ${near.join('; ')}` : ''}. A browser on ${origin} cannot load the images.`,
    `az storage cors add --services b --methods ${rule.allowedMethods.join(' ')} --origins ${origin} --max-age ${rule.maxAgeInSeconds} --account-name ${account}`, origin);
}
