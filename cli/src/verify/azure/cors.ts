/**
 * `azure.cors` (per origin): the blob service's CORS rules. Azure evaluates the rules in order and
 * applies the first whose origins, methods and (for a preflight) requested headers all match
 * (https://learn.microsoft.com/rest/api/storageservices/cross-origin-resource-sharing--cors--support-for-the-azure-storage-services,
 * "Understanding CORS rule evaluation logic").
 *
 * An origin matches when it is `*` or an exact, case-sensitive match with the browser's `Origin`:
 * Azure's `CorsRule.AllowedOrigins` says "the origin must be an exact case-sensitive match with the
 * origin that the user agent sends to the service. You can also use the wildcard character '*' to
 * allow all origin domains". It documents no other wildcard, so `https://*.segments.ai` is not
 * taken to match (Azurite matches it as a glob, and case-insensitively: see
 * cli/test/verify/azure-cors-azurite.test.ts). A rule's allowed headers are names, `prefix*`
 * or `*`, compared without regard to case (header names are case-insensitive); an empty list,
 * which the vendor's `az storage cors add` stores, matches only a preflight that names no header.
 *
 * The check judges the two request kinds of the browser tier for each origin: no request header
 * (a GET, an `<img crossorigin>`, a plain range) must be allowed, else `fail`; a preflight naming
 * `range` (a suffix or multi-range read) refused is a `warn`, since the vendor's own rule refuses it.
 */
import { SEGMENTS_AZURE_CORS_METHODS, azureCorsOriginMatches, segmentsAzureCorsRule } from 'segments-cloud-constructs';
import { CheckOutcome, couldNotRun, fail, pass, warn } from '../report';
import { Read, isFailure, readFailureFix } from '../read';
import { RANGE_HEADER } from '../preflight-answer';

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

/** Whether a rule origin admits the request's origin: `*`, or the same string (case-sensitive); the constructs' rule too. */
export const azureOriginMatches: (pattern: string, origin: string) => boolean = azureCorsOriginMatches;

/** Whether a rule's allowed headers admit one requested header: `*`, the name, or a `prefix*` (any case). */
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

function headersShown(rule: AzureCorsRule): string {
  return rule.allowedHeaders.length === 0 ? 'allowed headers [] (empty)' : `allowed headers ${JSON.stringify(rule.allowedHeaders)}`;
}

function checkOrigin(account: string, rules: readonly AzureCorsRule[], origin: string): CheckOutcome {
  const method = SEGMENTS_AZURE_CORS_METHODS[0];
  const rule = segmentsAzureCorsRule([origin]);
  const add = `az storage cors add --services b --methods ${rule.allowedMethods.join(' ')} --origins ${origin} --max-age ${rule.maxAgeInSeconds} --account-name ${account}`;
  const found = azureCorsRuleFor(rules, origin, method);
  if (found >= 0) {
    const withRange = azureCorsRuleFor(rules, origin, method, [RANGE_HEADER]);
    if (withRange < 0) {
      return warn(ID, `Rule #${found + 1} allows ${method} from ${origin}; ${headersShown(rules[found])}. No rule allows the Range header for this origin, ` +
        'so a preflight that names it (a suffix or multi-range read) is refused; GETs without such headers, as <img> and canvas send them, are allowed. ' +
        'The vendor\'s rule (az storage cors add without --allowed-headers) is the same.',
      `To allow it too: ${add} --allowed-headers range`, origin);
    }
    const also = withRange === found ? ' and a preflight naming Range' : `; a preflight naming Range is answered by rule #${withRange + 1}`;
    return pass(ID, `Rule #${found + 1} allows ${method} from ${origin}${also}; ${headersShown(rules[found])}.`, origin);
  }
  const near = rules.flatMap((r, i) => {
    if (r.allowedOrigins.some((pattern) => azureOriginMatches(pattern, origin))) {
      return [`rule #${i + 1} names the origin but allows only ${r.allowedMethods.join(', ')}`];
    }
    const close = r.allowedOrigins.filter((pattern) => pattern.toLowerCase() === origin.toLowerCase() || (pattern.includes('*') && pattern !== '*'));
    return close.map((pattern) => pattern.includes('*')
      ? `rule #${i + 1} lists ${pattern}: Azure documents only '*' and exact origins, not a subdomain pattern`
      : `rule #${i + 1} lists ${pattern}, which differs from ${origin} in case: Azure compares origins case-sensitively`);
  });
  const what = rules.length === 0 ? 'The blob service has no CORS rule' : `None of the blob service's ${rules.length} CORS rules allows ${method} from ${origin}`;
  return fail(ID, `${what}${near.length > 0 ? `: ${near.join('; ')}` : ''}. A browser on ${origin} cannot load the images.`, add, origin);
}
