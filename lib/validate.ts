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
 * | `https://*host.tld`                     | refused           | refused | also matches `https://evilhost.tld`              |
 * | `https://host.tld*`, `https://a.*.tld`  | refused           | refused | a wildcard other than the first label            |
 * | `https://host:443`                      | refused           | refused | browsers leave the default port out: never matches |
 * | `http://`, path, query, trailing slash, upper case | refused | refused | browsers send `https://host` in lowercase; matched literally |
 *
 * `defaultOrigins`, when given, is named in the message for an empty list.
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

/** What is wrong with one origin (the rest of a sentence about it), or undefined. */
function originProblem(origin: string, wildcard: OriginWildcard): string | undefined {
  const example = wildcard === OriginWildcard.NONE ? "'https://app.segments.ai'" : "'https://*.segments.ai'";
  if (origin === '*') {
    return `allows every website to read the images through visitors' browsers: list Segments' origins instead, such as ${example}.`;
  }
  if (origin.startsWith('http://')) {
    return `must use https (Segments' web app is served over https only): write '${origin.replace(/^http:/, 'https:')}'.`;
  }
  if (!origin.startsWith('https://')) {
    return `must start with 'https://': write it as 'https://host', such as 'https://segments.ai'.`;
  }
  if (origin !== origin.toLowerCase()) {
    return `has uppercase letters: browsers send origins in lowercase and the cloud compares them literally; write '${origin.toLowerCase()}'.`;
  }
  const rest = origin.slice('https://'.length);
  const cut = rest.search(/[/?#]/);
  if (cut >= 0) {
    const what = rest[cut] === '?' ? 'a query' : rest[cut] === '#' ? 'a fragment' : cut === rest.length - 1 ? 'a trailing slash' : 'a path';
    return `has ${what}: an origin is only scheme, host and port, which is all the browser's Origin header holds; write 'https://${rest.slice(0, cut)}'.`;
  }
  const [host, port, ...more] = rest.split(':');
  if (more.length > 0 || (port !== undefined && !/^\d{1,5}$/.test(port))) {
    return `is not of the form 'https://host[:port]'.`;
  }
  if (port === '443') {
    return `names the default port 443, which browsers leave out of the Origin header, so the rule would never match: write 'https://${host}'.`;
  }
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return `has port ${port}, outside 1-65535.`;
  }
  const labels = host.split('.');
  if (host.includes('*')) {
    return wildcardProblem(host, labels, wildcard);
  }
  if (!labels.every((label) => HOST_LABEL.test(label))) {
    return `is not of the form 'https://host[:port]': the host must be dot-separated labels of lowercase letters, digits and inner hyphens.`;
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
      return `would also match hosts that merely end in '${suffix}', such as 'https://evil${suffix}': write 'https://*.${suffix.replace(/^[-.]+/, '')}' for the subdomains of a host.`;
    }
    return `has a '*' that is not the whole first label: only a leading subdomain wildcard such as 'https://*.segments.ai' is allowed; list other hosts in full.`;
  }
  if (after.length < 2) {
    return `would match every site under '.${after.join('.')}': give a host of at least two labels after '*.', such as 'https://*.segments.ai'.`;
  }
  if (!after.every((label) => HOST_LABEL.test(label))) {
    return `is not of the form 'https://*.host[:port]': the host must be dot-separated labels of lowercase letters, digits and inner hyphens.`;
  }
  return undefined;
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
    if (prefixes.indexOf(prefix) !== i) {
      problems.push(`${where} is listed twice: remove the duplicate.`);
    }
  });
  return problems;
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
    problems.push(`${where} may only contain lowercase letters, digits and '-'.${lowercaseHint(name)}`);
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

/** A suggestion to write a name in lowercase, when that is what is wrong with it. */
function lowercaseHint(name: string): string {
  return name !== name.toLowerCase() ? ` Bucket names are lowercase: try '${name.toLowerCase()}'.` : '';
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
    problems.push(`${where} may only contain lowercase letters, digits, '-', '_' and '.'.${lowercaseHint(name)}`);
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
