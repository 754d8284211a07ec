/**
 * Pure checks of user input, shared by the AWS and Google halves.
 *
 * Each function returns a list of problems (empty when the input is fine). Every problem names the
 * prop it is about and says how to fix it, so a construct can collect all of them and fail once at
 * synth time. Callers skip values that are unresolved tokens: those are only known at deploy time.
 */

/** Which `*` wildcard a cloud's CORS origins support. */
export enum OriginWildcard {
  /**
   * S3 and Azure: one `*` as the whole first label, `https://*.example.com`, matching the
   * subdomains of a host of at least two labels (not the host itself).
   */
  LEADING_SUBDOMAIN = 'leading-subdomain',
  /**
   * Cloud Storage: no wildcard. Google documents only a lone `*` ("any Origin") and otherwise
   * matches origins literally, so `https://*.example.com` would be a literal string.
   */
  NONE = 'none',
}

/** A DNS label in lowercase: letters, digits and inner hyphens, at most 63 characters. */
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Problems with a list of CORS origins, one per origin (plus one per duplicate).
 *
 * | origin                                  | LEADING_SUBDOMAIN | NONE    | why                                              |
 * |-----------------------------------------|-------------------|---------|--------------------------------------------------|
 * | `https://host`, `https://host:8443`     | accepted          | accepted| what browsers send in the Origin header          |
 * | `https://*.host.tld`                    | accepted          | refused | a subdomain wildcard only S3 and Azure document  |
 * | `*`, `https://*`, `https://*.tld`       | refused           | refused | every website, or every site under a TLD         |
 * | `https://*.co.uk`, `https://*.github.io` | refused          | refused | every site under a public suffix (`WILDCARD_REFUSED_PUBLIC_SUFFIXES`) |
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
 * Public suffixes under which anyone can get a host (a cloud's shared domains, a country's
 * second-level domains), so that a `https://*.<suffix>` origin would let every customer of that
 * cloud, or every company in that country, read the images. Not the whole Public Suffix List: the
 * common ones, which a wildcard is most likely to be written over by mistake. Any name under
 * `amazonaws.com` is refused too (S3 buckets, API Gateway, load balancers live there).
 */
export const WILDCARD_REFUSED_PUBLIC_SUFFIXES: readonly string[] = [
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'com.au', 'net.au', 'org.au', 'co.nz', 'co.jp', 'ne.jp', 'co.in',
  'co.za', 'com.br', 'com.cn', 'com.mx', 'com.tr', 'co.kr',
  'amazonaws.com', 'cloudfront.net', 'awsapprunner.com', 'amplifyapp.com',
  'appspot.com', 'web.app', 'firebaseapp.com', 'run.app', 'cloudfunctions.net', 'googleusercontent.com',
  'azurewebsites.net', 'blob.core.windows.net', 'web.core.windows.net', 'azurestaticapps.net', 'cloudapp.net', 'azureedge.net',
  'github.io', 'gitlab.io', 'herokuapp.com', 'vercel.app', 'netlify.app', 'pages.dev', 'workers.dev',
  'fly.dev', 'onrender.com', 'blogspot.com',
];

/** Whether `https://*.<suffix>` would cover a public suffix. */
function isRefusedWildcardSuffix(suffix: string): boolean {
  return WILDCARD_REFUSED_PUBLIC_SUFFIXES.includes(suffix) || suffix.endsWith('.amazonaws.com');
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
  const example = wildcard === OriginWildcard.NONE ? "'https://app.segments.ai'" : "'https://*.segments.ai'";
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
  if (wildcard === OriginWildcard.NONE) {
    const base = host.slice(2);
    const literal = /^\*\.[^*]+\.[^*]+$/.test(host) ? `, such as 'https://${base}' and 'https://app.${base}'` : '';
    return `contains '*': Cloud Storage matches origins literally except a lone '*' (any origin) and Google documents no subdomain wildcard, so this may match no browser; list each host in full${literal}.`;
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
  if (isRefusedWildcardSuffix(suffix)) {
    return `would match every site under '.${suffix}', a public suffix under which anyone can get a host: list the full host names instead, or a wildcard over your own domain such as 'https://*.segments.ai'.`;
  }
  return undefined;
}

/**
 * Runs `check` on the elements of a list prop that are known at synth time, for every half alike.
 * `isToken` is the cloud library's `Token.isUnresolved`: a list that is itself a token, or that
 * holds only tokens, is left to the half (checked once resolved, or warned about).
 */
export function literalElementProblems(
  values: readonly string[] | undefined,
  isToken: (value: unknown) => boolean,
  check: (literal: string[]) => string[],
): string[] {
  if (values === undefined || isToken(values)) {
    return [];
  }
  const literal = values.filter((value) => !isToken(value));
  return values.length > 0 && literal.length === 0 ? [] : check(literal);
}

/**
 * Problems with S3 key prefixes. A prefix is matched literally by IAM's `<bucket-arn>/<prefix>*`,
 * so it may not start with `/` (S3 keys do not) nor contain the IAM wildcards `*` and `?`.
 */
export function keyPrefixProblems(prop: string, prefixes: readonly string[]): string[] {
  if (prefixes.length === 0) {
    return [`${prop} is empty, which would grant nothing: omit it to grant the whole bucket, or list at least one prefix such as 'images/'.`];
  }
  const problems: string[] = [];
  prefixes.forEach((prefix, i) => {
    const where = `${prop}[${i}] ('${prefix}')`;
    if (prefix.length === 0) {
      problems.push(`${prop}[${i}] is an empty string: omit ${prop} to grant the whole bucket.`);
    } else if (prefix.startsWith('/')) {
      problems.push(`${where} starts with '/': S3 keys do not, so it would match nothing; write '${prefix.replace(/^\/+/, '')}'.`);
    }
    if (prefix.includes('${')) {
      problems.push(`${where} contains '\${', which IAM reads as the start of a policy variable: remove it.`);
    }
    if (/[*?]/.test(prefix)) {
      problems.push(`${where} contains '*' or '?': a prefix is matched literally; remove the wildcard (every key that starts with the prefix is included).`);
    }
    const bare = barePrefix(prefix);
    if (bare !== undefined) {
      problems.push(`${where} is a URL or an ARN, not a key prefix: give the start of the object keys only${bare ? `, such as '${bare}'` : ''}.`);
    }
    const bytes = new TextEncoder().encode(prefix).length;
    if (bytes > S3_MAX_KEY_BYTES) {
      problems.push(`${prop}[${i}] ('${prefix.slice(0, 40)}…') is ${bytes} bytes long: S3 keys have at most ${S3_MAX_KEY_BYTES}, so it would match nothing.`);
    }
    const control = /[\u0000-\u001f\u007f-\u009f]/.exec(prefix);
    if (control) {
      problems.push(`${where} contains the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}: remove it.`);
    }
    const segments = prefix.split('/');
    const last = segments[segments.length - 1];
    if (hasDotSegment(segments.slice(0, -1).join('/'))) {
      problems.push(`${where} has a '.' or '..' segment: URLs collapse it, so the image URLs Segments gets would name other keys; write the prefix without it.`);
    } else if (last === '.' || last === '..') {
      // 'images/.' also matches 'images/.hidden/…', yet reads as 'images/' in a URL: refusing is the safer reading.
      const folder = segments.slice(0, last === '.' ? -1 : -2).join('/');
      const meaning = folder === '' ? 'the whole bucket' : `the folder '${folder}/'`;
      problems.push(`${where} ends in a '${last}' segment, which reads two ways: as a path it means ${meaning} (URLs collapse it), ` +
        `but as a key prefix it matches only keys that start with '${prefix}', such as '${prefix}hidden/…'. It is refused as ambiguous: ` +
        `${folder === '' ? 'omit keyPrefixes for the whole bucket' : `write '${folder}/' for the folder`}, or the longer prefix you mean, such as '${prefix}hidden/'.`);
    }
    if (prefixes.indexOf(prefix) !== i) {
      problems.push(`${where} is listed twice: remove the duplicate.`);
    }
  });
  return problems;
}

/** The longest S3 object key, in UTF-8 bytes. */
const S3_MAX_KEY_BYTES = 1024;

/** Whether a key or prefix has a `.` or `..` segment between slashes, which URL parsing removes (`a/../b` becomes `b`). */
export function hasDotSegment(key: string): boolean {
  return key.split('/').some((segment) => segment === '.' || segment === '..');
}

/**
 * The key prefix inside an `s3://bucket/...` URL, an S3 ARN (`arn:aws:s3:::bucket/...`) or an
 * `https://` URL ('' when it names the bucket only); undefined when the prefix is none of these.
 */
function barePrefix(prefix: string): string | undefined {
  const match = /^(?:s3:\/\/[^/]*|arn:[^:]*:s3:::[^/]*|https?:\/\/[^/]*)(?:\/(.*))?$/i.exec(prefix) ??
    (/^(?:arn:|s3:\/\/|https?:\/\/)/i.test(prefix) ? [prefix, ''] : null);
  return match ? (match[1] ?? '').replace(/\*$/, '') : undefined;
}

/**
 * Problems with an S3 bucket name: S3's naming rules, plus no dots, because the
 * `*.s3.<region>.amazonaws.com` certificate does not cover dotted names in the virtual-hosted
 * HTTPS URLs Segments requires.
 */
export function s3BucketNameProblems(prop: string, name: string): string[] {
  const where = `${prop} ('${name}')`;
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) {
    problems.push(`${where} is ${name.length} characters long: S3 bucket names have 3 to 63.`);
  }
  const dot = s3BucketNameDotProblem(prop, name);
  if (dot) {
    problems.push(dot);
  }
  if (!/^[a-z0-9.-]*$/.test(name)) {
    problems.push(`${where} may only contain lowercase letters, digits and '-'.${s3NameHint(name)}`);
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    problems.push(`${where} must start and end with a lowercase letter or a digit.`);
  }
  const reservedPrefix = ['xn--', 'sthree-', 'amzn-s3-demo-'].find((p) => name.startsWith(p));
  if (reservedPrefix) {
    problems.push(`${where} starts with '${reservedPrefix}', which S3 reserves.`);
  }
  const reservedSuffix = ['-s3alias', '--ol-s3', '--x-s3', '--table-s3'].find((s) => name.endsWith(s));
  if (reservedSuffix) {
    problems.push(`${where} ends with '${reservedSuffix}', which S3 reserves.`);
  }
  return problems;
}

/** A valid S3 name close to `name` (lowercase, every run of other characters a '-'), when there is one. */
function s3NameHint(name: string): string {
  const suggestion = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return suggestion !== name && s3BucketNameProblems('bucketName', suggestion).length === 0 ? ` Try '${suggestion}'.` : '';
}

/**
 * The problem with a dot in an S3 bucket name, or undefined when it has none. Separate from
 * `s3BucketNameProblems` (which includes it) so that a caller facing a bucket that already exists,
 * and cannot be renamed, can warn about it instead of refusing.
 */
export function s3BucketNameDotProblem(prop: string, name: string): string | undefined {
  if (!name.includes('.')) {
    return undefined;
  }
  return `${prop} ('${name}') contains a dot: virtual-hosted HTTPS URLs (https://<bucket>.s3.<region>.amazonaws.com), which Segments requires, fail TLS on dotted names; use '-' instead.`;
}

/** For a GCS name: the name most likely meant (`name` lowercased, other characters as '-'), only when it passes the same check. */
function tryHint(name: string, likely: string, likelyProblems: readonly string[]): string {
  if (likelyProblems.length > 0) {
    return '';
  }
  return name !== name.toLowerCase() ? ` Bucket names are lowercase: try '${likely}'.` : ` Use '-' instead: try '${likely}'.`;
}

/** Whether a GCS bucket name has dots, which needs Search Console domain verification. */
export function isDottedGcsBucketName(name: string): boolean {
  return name.includes('.');
}

/**
 * Problems with a GCS bucket name: 3 to 63 characters (dotted names up to 222, each part up to
 * 63), lowercase letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit,
 * not starting with `goog`, not containing `google`, and not an IP address.
 */
export function gcsBucketNameProblems(prop: string, name: string): string[] {
  const where = `${prop} ('${name}')`;
  if (name.startsWith('gs://')) {
    // The URL form, as Segments' doc and gcloud write buckets: the name is what follows it.
    const bare = name.slice('gs://'.length).replace(/\/+$/, '');
    const fixed = bare !== '' && gcsBucketNameProblems(prop, bare).length === 0 ? `, '${bare}'` : '';
    return [`${where} starts with 'gs://': give the bare bucket name${fixed}.`];
  }
  const problems: string[] = [];
  if (isDottedGcsBucketName(name)) {
    if (name.length < 3 || name.length > 222) {
      problems.push(`${where} is ${name.length} characters long: dotted GCS bucket names have 3 to 222.`);
    }
    if (name.split('.').some((part) => part.length === 0 || part.length > 63)) {
      problems.push(`${where} has an empty part or a part longer than 63 characters between dots.`);
    }
  } else if (name.length < 3 || name.length > 63) {
    problems.push(`${where} is ${name.length} characters long: GCS bucket names have 3 to 63.`);
  }
  if (!/^[a-z0-9._-]*$/.test(name)) {
    const likely = name.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
    problems.push(`${where} may only contain lowercase letters, digits, '-', '_' and '.'.${tryHint(name, likely, gcsBucketNameProblems(prop, likely))}`);
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    problems.push(`${where} must start and end with a lowercase letter or a digit.`);
  }
  if (name.startsWith('goog')) {
    problems.push(`${where} starts with 'goog', which Cloud Storage reserves.`);
  } else if (name.includes('google')) {
    problems.push(`${where} contains 'google', which Cloud Storage refuses.`);
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    problems.push(`${where} is an IP address, which Cloud Storage refuses.`);
  }
  return problems;
}

/**
 * Problems with the service account Segments gives a Google Cloud customer: it must be a
 * service-account email (`name@project.iam.gserviceaccount.com`), not a user or group.
 */
export function serviceAccountEmailProblems(prop: string, email: string): string[] {
  const where = `${prop} ('${email}')`;
  if (email.startsWith('serviceAccount:')) {
    return [`${where} starts with 'serviceAccount:': give the bare email; the member prefix is added for you.`];
  }
  if (!/^[a-z0-9][a-z0-9-]{0,62}@[a-z0-9-]+(\.[a-z0-9-]+)*\.gserviceaccount\.com$/.test(email)) {
    return [`${where} is not a service-account email: ask Segments support for the service account to grant, of the form 'name@project.iam.gserviceaccount.com'.`];
  }
  return [];
}

/** Problems with a custom IAM role ID: GCP allows `[a-zA-Z0-9_.]{3,64}`, no hyphens. */
export function customRoleIdProblems(prop: string, roleId: string): string[] {
  if (/^[a-zA-Z0-9_.]{3,64}$/.test(roleId)) {
    return [];
  }
  const hint = roleId.includes('-') ? ` Hyphens are not allowed; try '${roleId.replace(/-/g, '_')}'.` : '';
  return [`${prop} ('${roleId}') must be 3 to 64 letters, digits, '_' or '.'.${hint}`];
}

/**
 * Problems with the full name of an existing custom role:
 * `projects/<project>/roles/<id>` or `organizations/<org>/roles/<id>`.
 */
export function customRoleNameProblems(prop: string, roleName: string): string[] {
  if (/^(projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]|organizations\/\d+)\/roles\/[a-zA-Z0-9_.]{3,64}$/.test(roleName)) {
    return [];
  }
  return [`${prop} ('${roleName}') must be a custom role's full name: 'projects/<project-id>/roles/<role-id>' or 'organizations/<org-id>/roles/<role-id>'.`];
}

/**
 * Problems with a Google Cloud project ID: 6 to 30 lowercase letters, digits and '-', starting with
 * a letter and not ending with '-'; legacy domain-scoped IDs (`example.com:my-project`) allowed.
 */
export function gcpProjectIdProblems(prop: string, projectId: string): string[] {
  if (isGcpProjectId(projectId)) {
    return [];
  }
  return [`${prop} ('${projectId}') is not a Google Cloud project ID: 6 to 30 lowercase letters, digits and '-', starting with a letter (the ID, not the display name or number).${projectIdHint(projectId)}`];
}

function isGcpProjectId(projectId: string): boolean {
  return /^([a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(projectId);
}

/**
 * What to write instead of a value that is not a project ID. Only a valid ID is ever suggested:
 *
 * | given                   | hint                                                        |
 * |-------------------------|-------------------------------------------------------------|
 * | `projects/<valid id>`   | try '<valid id>'                                            |
 * | `projects/<number>`     | that is the project number: give the project ID            |
 * | `<number>`              | that is the project number: give the project ID            |
 * | `projects/<other>`      | give the bare project ID, without 'projects/'               |
 * | anything else           | none                                                        |
 */
function projectIdHint(projectId: string): string {
  const bare = projectId.startsWith('projects/') ? projectId.slice('projects/'.length) : projectId;
  if (/^\d+$/.test(bare)) {
    return ` '${bare}' is a project number: give the project ID instead, which starts with a letter (such as 'acme-data-prod'; \`gcloud projects describe ${bare} --format='value(projectId)'\` prints it).`;
  }
  if (bare === projectId) {
    return '';
  }
  return isGcpProjectId(bare) ? ` Give the bare ID; try '${bare}'.` : ` Give the bare project ID, without 'projects/'.`;
}

/** Joins problems into one error message headed by the construct that refused the input. */
export function formatProblems(constructName: string, problems: readonly string[]): string {
  return `${constructName} refused its input:\n  - ${problems.join('\n  - ')}`;
}

// ---------------------------------------------------------------------------------------------
// Azure

/** Problems with an Azure storage account name: 3 to 24 lowercase letters and digits, nothing else. */
export function azureStorageAccountNameProblems(prop: string, name: string): string[] {
  if (/^[a-z0-9]{3,24}$/.test(name)) {
    return [];
  }
  const fixed = name.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 24);
  const hint = fixed.length >= 3 ? ` Try '${fixed}'.` : '';
  return [`${prop} ('${name}') must be 3 to 24 lowercase letters and digits (no '-', '_', '.' or uppercase): Azure storage account names are globally unique DNS labels.${hint}`];
}

/**
 * Problems with a blob container name: 3 to 63 lowercase letters, digits and single hyphens,
 * starting and ending with a letter or digit. The special containers (`$root`, `$web`, `$logs`)
 * are refused: `$web` serves a static website publicly.
 */
export function azureContainerNameProblems(prop: string, name: string): string[] {
  const where = `${prop} ('${name}')`;
  if (name.startsWith('$')) {
    return [`${where} is a special container ($root, $web, $logs): give a private container of your own, such as 'images'.`];
  }
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) {
    problems.push(`${where} is ${name.length} characters long: container names have 3 to 63.`);
  }
  if (!/^[a-z0-9-]*$/.test(name)) {
    // 'Raw_Data' -> 'raw-data': offered only when the suggestion passes this check itself.
    const suggestion = azureContainerNameSuggestion(name);
    const hint = suggestion !== undefined && azureContainerNameProblems(prop, suggestion).length === 0 ? ` Try '${suggestion}'.` : '';
    problems.push(`${where} may only contain lowercase letters, digits and '-'.${hint}`);
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    problems.push(`${where} must start and end with a lowercase letter or a digit.`);
  }
  if (name.includes('--')) {
    problems.push(`${where} has consecutive hyphens, which Azure refuses; try '${name.replace(/-+/g, '-')}'.`);
  }
  return problems;
}

/** A container name in Azure's alphabet: lowercase, other characters as single hyphens, none at the ends. */
function azureContainerNameSuggestion(name: string): string | undefined {
  const fixed = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return fixed === name ? undefined : fixed;
}

const ARM_STORAGE_ACCOUNT_ID =
  /^\/subscriptions\/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.Storage\/storageAccounts\/([^/]+)$/i;

/**
 * Problems with the ARM ID of a storage account:
 * `/subscriptions/<subscription-guid>/resourceGroups/<group>/providers/Microsoft.Storage/storageAccounts/<name>`.
 */
export function azureStorageAccountIdProblems(prop: string, id: string): string[] {
  const where = `${prop} ('${id}')`;
  const container = /^(.*)\/blobServices\/default\/containers\/([^/]+)\/?$/i.exec(id);
  if (container) {
    return [`${where} is a container's ID: give the storage account's ID, '${container[1]}', with scope: 'container' and containerName: '${container[2]}'.`];
  }
  const match = ARM_STORAGE_ACCOUNT_ID.exec(id);
  if (!match) {
    const hint = /^[a-z0-9]{3,24}$/.test(id)
      ? ` It looks like an account name: pass storageAccount.id, or the output of 'az storage account show --name ${id} --query id --output tsv'.`
      : '';
    return [`${where} is not the ARM ID of a storage account: it has the form '/subscriptions/<subscription-id>/resourceGroups/<resource-group>/providers/Microsoft.Storage/storageAccounts/<name>'.${hint}`];
  }
  return azureStorageAccountNameProblems(`${prop}'s account name`, match[1]);
}

/** The storage account name at the end of a storage account's ARM ID (undefined when it is not one). */
export function azureStorageAccountNameOf(id: string): string | undefined {
  return ARM_STORAGE_ACCOUNT_ID.exec(id)?.[1];
}
