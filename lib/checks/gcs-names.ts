/** Google Cloud names: buckets, service accounts, custom roles, projects. */

import { bucketUrlOrArnProblem } from './bucket-urls';

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
  // The URL form, as Segments' doc and gcloud write buckets (gs://, or s3:// from the interoperable
  // API): the name is what follows it.
  const url = bucketUrlOrArnProblem(prop, name, (bare) => gcsBucketNameProblems(prop, bare));
  if (url !== undefined) {
    return [url];
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
