/**
 * Pure checks of user input, shared by the AWS and Google halves.
 *
 * Each function returns a list of problems (empty when the input is fine). Every problem names the
 * prop it is about and says how to fix it, so a construct can collect all of them and fail once at
 * synth time. Callers skip values that are unresolved tokens: those are only known at deploy time.
 */

/** How an origin check treats the `*` wildcard. */
export enum OriginWildcard {
  /** S3 allows one `*` in an origin, such as `https://*.example.com`. */
  AT_MOST_ONE = 'at-most-one',
  /** GCS matches origins literally: a `*` inside an origin never matches anything. */
  NONE = 'none',
}

const HOST_LABEL = '[a-z0-9*](?:[a-z0-9*-]*[a-z0-9*])?';
const HTTPS_ORIGIN = new RegExp(`^https://${HOST_LABEL}(?:\\.${HOST_LABEL})*(?::(\\d{1,5}))?$`);

/**
 * Problems with a list of CORS origins. An origin is `https://host[:port]`: no path, no trailing
 * slash, lowercase (browsers send the Origin header in lowercase and matching is literal).
 */
export function httpsOriginProblems(
  prop: string,
  origins: readonly string[],
  wildcard: OriginWildcard,
): string[] {
  if (origins.length === 0) {
    return [`${prop} is empty: omit it to allow the default 'https://segments.ai', or list the origins Segments' web app uses.`];
  }
  const problems: string[] = [];
  origins.forEach((origin, i) => {
    const where = `${prop}[${i}] ('${origin}')`;
    const stars = origin.split('*').length - 1;
    if (!origin.startsWith('https://')) {
      problems.push(`${where} must use https: write it as 'https://host', such as 'https://segments.ai'.`);
    } else if (origin.slice('https://'.length).includes('/')) {
      problems.push(`${where} has a path or a trailing slash: an origin is only scheme, host and port; write '${origin.slice(0, origin.indexOf('/', 'https://'.length))}'.`);
    } else if (wildcard === OriginWildcard.NONE && stars > 0) {
      problems.push(`${where} contains '*': Cloud Storage matches origins literally, so list each origin in full.`);
    } else if (stars > 1) {
      problems.push(`${where} has ${stars} '*' wildcards: S3 allows at most one per origin.`);
    } else if (origin !== origin.toLowerCase()) {
      problems.push(`${where} has uppercase letters: browsers send origins in lowercase and S3 and GCS compare them literally; write '${origin.toLowerCase()}'.`);
    } else {
      const match = HTTPS_ORIGIN.exec(origin);
      if (!match) {
        problems.push(`${where} is not of the form 'https://host[:port]'.`);
      } else if (match[1] !== undefined && (Number(match[1]) < 1 || Number(match[1]) > 65535)) {
        problems.push(`${where} has port ${match[1]}, outside 1-65535.`);
      }
    }
    if (origins.indexOf(origin) !== i) {
      problems.push(`${where} is listed twice: remove the duplicate.`);
    }
  });
  return problems;
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
    if (hasDotSegment(prefix)) {
      problems.push(`${where} has a '.' or '..' segment: URLs collapse it, so the image URLs Segments gets would name other keys; write the prefix without it.`);
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
  if (name.includes('.')) {
    problems.push(`${where} contains a dot: virtual-hosted HTTPS URLs (https://<bucket>.s3.<region>.amazonaws.com), which Segments requires, fail TLS on dotted names; use '-' instead.`);
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
  if (/^([a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(projectId)) {
    return [];
  }
  const hint = projectId.startsWith('projects/') ? ` Give the bare ID; try '${projectId.slice('projects/'.length)}'.` : '';
  return [`${prop} ('${projectId}') is not a Google Cloud project ID: 6 to 30 lowercase letters, digits and '-', starting with a letter (the ID, not the display name or number).${hint}`];
}

/** Joins problems into one error message headed by the construct that refused the input. */
export function formatProblems(constructName: string, problems: readonly string[]): string {
  return `${constructName} refused its input:\n  - ${problems.join('\n  - ')}`;
}
