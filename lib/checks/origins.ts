/**
 * CORS origin checks for every cloud: what browsers send in the Origin header, and which `*`
 * wildcard each cloud matches.
 */

import { isPublicSuffixOrAncestor } from './public-suffixes';

/** Which `*` wildcard a cloud's CORS origins support. */
export enum OriginWildcard {
  /**
   * S3: one `*` as the whole first label, `https://*.example.com`, matching the
   * subdomains of a host of at least two labels (not the host itself).
   */
  LEADING_SUBDOMAIN = 'leading-subdomain',
  /**
   * Azure Storage: no wildcard but a lone `*`. An allowed origin matches the browser's Origin
   * exactly and case-sensitively (`azureCorsOriginMatches`), so `https://*.example.com` would match
   * no browser.
   */
  AZURE_EXACT = 'azure-exact',
  /**
   * Cloud Storage: no wildcard. Google documents only a lone `*` ("any Origin") and otherwise
   * matches origins literally, so `https://*.example.com` would be a literal string.
   */
  NONE = 'none',
}

/**
 * How Azure Storage matches one of a CORS rule's allowed origins with the Origin a browser sends:
 * `*`, or the same string, case-sensitively. Microsoft's `CorsRule.AllowedOrigins`: "the origin must
 * be an exact case-sensitive match with the origin that the user agent sends to the service. You
 * can also use the wildcard character '*' to allow all origin domains"; no other wildcard is
 * documented (https://learn.microsoft.com/rest/api/storageservices/cross-origin-resource-sharing--cors--support-for-the-azure-storage-services).
 * The one rule both the Azure constructs (`OriginWildcard.AZURE_EXACT`) and `verify azure` follow.
 */
export function azureCorsOriginMatches(allowedOrigin: string, origin: string): boolean {
  return allowedOrigin === '*' || allowedOrigin === origin;
}

/** A DNS label in lowercase: letters, digits and inner hyphens, at most 63 characters. */
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Problems with a list of CORS origins, one per origin (plus one per duplicate).
 *
 * | origin                                  | LEADING_SUBDOMAIN | NONE    | why                                              |
 * |-----------------------------------------|-------------------|---------|--------------------------------------------------|
 * | `https://host`, `https://host:8443`     | accepted          | accepted| what browsers send in the Origin header          |
 * | `https://*.host.tld`                    | accepted          | refused | a subdomain wildcard only S3 documents (AZURE_EXACT refuses it as NONE does: Azure matches origins exactly) |
 * | `*`, `https://*`, `https://*.tld`       | refused           | refused | every website, or every site under a TLD         |
 * | `https://*.co.uk`, `https://*.github.io`, `https://*.windows.net` | refused | refused | every site under a public suffix of the Public Suffix List, or over one (`windows.net` holds `blob.core.windows.net`) |
 * | `https://localhost`                     | refused           | refused | a single-label host; Segments never serves from one |
 * | `https://*host.tld`                     | refused           | refused | also matches `https://evilhost.tld`              |
 * | `https://host.tld*`, `https://a.*.tld`  | refused           | refused | a wildcard other than the first label            |
 * | `https://host:443`, `https://host:0443` | refused           | refused | browsers leave the default port out: never matches |
 * | `https://host:080`                      | refused           | refused | browsers send the port without leading zeros     |
 * | `http://`, path, query, trailing slash, upper case | refused | refused | browsers send `https://host` in lowercase; matched literally |
 *
 * `defaultOrigins`, when given, is named in the message for an empty list. Every origin a message
 * suggests ("write '...'") passes this check itself.
 */
export function httpsOriginProblems(
  prop: string,
  origins: readonly string[],
  wildcard: OriginWildcard,
  defaultOrigins?: readonly string[],
): string[] {
  if (origins.length === 0) {
    const fallback = defaultOrigins === undefined ? 'the default origins' : `the default ${defaultOrigins.map((o) => `'${o}'`).join(', ')}`;
    return [`${prop} is empty, so no browser could load the images: omit it to allow ${fallback}, or list the origins Segments' web app uses.`];
  }
  const problems: string[] = [];
  origins.forEach((origin, i) => {
    const problem = originProblem(origin, wildcard);
    if (problem !== undefined) {
      problems.push(`${prop}[${i}] ('${origin}') ${problem}`);
    }
    if (origins.indexOf(origin) !== i) {
      problems.push(`${prop}[${i}] ('${origin}') is listed twice: remove the duplicate.`);
    }
  });
  return problems;
}

/**
 * The origin most likely meant: https, lowercase, without path, query, fragment, default port or
 * leading zeros in the port. Only quoted in a message when it passes the check itself.
 */
function likelyOrigin(origin: string): string {
  const rest = origin.replace(/^https?:\/\//i, '').toLowerCase();
  const cut = rest.search(/[/?#]/);
  const [host, port, ...more] = (cut >= 0 ? rest.slice(0, cut) : rest).split(':');
  if (more.length > 0 || port === undefined || !/^\d+$/.test(port)) {
    return `https://${[host, port, ...more].filter((part) => part !== undefined).join(':')}`;
  }
  const number = Number(port);
  return number === 443 ? `https://${host}` : `https://${host}:${number}`;
}

/** `write '<likely origin>'` when that origin passes the check, else `fallback`. */
function writeLikely(origin: string, wildcard: OriginWildcard, fallback: string): string {
  const likely = likelyOrigin(origin);
  return likely !== origin && originProblem(likely, wildcard) === undefined ? `write '${likely}'` : fallback;
}

/** What is wrong with one origin (the rest of a sentence about it), or undefined. */
function originProblem(origin: string, wildcard: OriginWildcard): string | undefined {
  const example = wildcard === OriginWildcard.LEADING_SUBDOMAIN ? "'https://*.segments.ai'" : "'https://app.segments.ai'";
  if (origin === '*') {
    return `allows every website to read the images through visitors' browsers: list Segments' origins instead, such as ${example}.`;
  }
  if (origin.startsWith('http://')) {
    return `must use https (Segments' web app is served over https only): ${writeLikely(origin, wildcard, "write it as 'https://host'")}.`;
  }
  if (!origin.startsWith('https://')) {
    return `must start with 'https://': write it as 'https://host', such as 'https://segments.ai'.`;
  }
  if (origin !== origin.toLowerCase()) {
    return `has uppercase letters: browsers send origins in lowercase and the cloud compares them literally; ${writeLikely(origin, wildcard, 'write it in lowercase')}.`;
  }
  const rest = origin.slice('https://'.length);
  const cut = rest.search(/[/?#]/);
  if (cut >= 0) {
    const what = rest[cut] === '?' ? 'a query' : rest[cut] === '#' ? 'a fragment' : cut === rest.length - 1 ? 'a trailing slash' : 'a path';
    return `has ${what}: an origin is only scheme, host and port, which is all the browser's Origin header holds; ${writeLikely(origin, wildcard, 'remove it')}.`;
  }
  const [host, port, ...more] = rest.split(':');
  if (more.length > 0 || (port !== undefined && !/^\d{1,5}$/.test(port))) {
    return `is not of the form 'https://host[:port]'.`;
  }
  if (port !== undefined && Number(port) === 443) {
    return `names the default port 443, which browsers leave out of the Origin header, so the rule would never match: ${writeLikely(origin, wildcard, 'remove the port')}.`;
  }
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return `has port ${port}, outside 1-65535.`;
  }
  if (port !== undefined && port.startsWith('0')) {
    return `has a port with a leading zero, which browsers never send, so the rule would never match: ${writeLikely(origin, wildcard, 'remove the leading zeros')}.`;
  }
  const labels = host.split('.');
  if (host.includes('*')) {
    return wildcardProblem(host, labels, wildcard);
  }
  if (!labels.every((label) => HOST_LABEL.test(label))) {
    return `is not of the form 'https://host[:port]': the host must be dot-separated labels of lowercase letters, digits and inner hyphens.`;
  }
  if (labels.length < 2) {
    return `has a single-label host, which Segments' web app is never served from: list the full host names it uses, such as 'https://segments.ai'.`;
  }
  return undefined;
}

/** What is wrong with a host holding a `*`, or undefined for an accepted leading subdomain wildcard. */
function wildcardProblem(host: string, labels: string[], wildcard: OriginWildcard): string | undefined {
  if (wildcard === OriginWildcard.NONE || wildcard === OriginWildcard.AZURE_EXACT) {
    const base = host.slice(2);
    const literal = /^\*\.[^*]+\.[^*]+$/.test(host) ? `, such as 'https://${base}' and 'https://app.${base}'` : '';
    const rule = wildcard === OriginWildcard.NONE
      ? 'Cloud Storage matches origins literally except a lone \'*\' (any origin) and Google documents no subdomain wildcard, so this may match no browser'
      : 'Azure matches an allowed origin exactly and case-sensitively with the browser\'s Origin, or a lone \'*\' (any origin), and documents no subdomain wildcard, so this would match no browser';
    return `contains '*': ${rule}; list each host in full${literal}.`;
  }
  if (host === '*') {
    return `matches every https website: list Segments' origins instead, such as 'https://*.segments.ai'.`;
  }
  const [first, ...after] = labels;
  if (first !== '*' || after.some((label) => label.includes('*'))) {
    if (first.startsWith('*') && first !== '*' && !after.some((label) => label.includes('*'))) {
      const suffix = host.slice(1);
      const subdomains = `https://*.${suffix.replace(/^[-.*]+/, '')}`;
      const fix = originProblem(subdomains, wildcard) === undefined ? `: write '${subdomains}' for the subdomains of a host` : '';
      return `would also match hosts that merely end in '${suffix.replace(/^\*+/, '')}', such as 'https://evil${suffix.replace(/^\*+/, '')}'${fix}.`;
    }
    return `has a '*' that is not the whole first label: only a leading subdomain wildcard such as 'https://*.segments.ai' is allowed; list other hosts in full.`;
  }
  if (after.length < 2) {
    return `would match every site under '.${after.join('.')}': give a host of at least two labels after '*.', such as 'https://*.segments.ai'.`;
  }
  if (!after.every((label) => HOST_LABEL.test(label))) {
    return `is not of the form 'https://*.host[:port]': the host must be dot-separated labels of lowercase letters, digits and inner hyphens.`;
  }
  const suffix = after.join('.');
  if (isPublicSuffixOrAncestor(suffix)) {
    return `would match every site under '.${suffix}', which is or holds a public suffix under which anyone can get a host (S3 and Azure's '*' also matches dots): list the full host names instead, or a wildcard over your own domain such as 'https://*.segments.ai'.`;
  }
  return undefined;
}
