/**
 * Input checks of the Google Cloud constructs, built on the pure checks in `../../validate`.
 *
 * Each function returns problems (empty when the input is fine) and skips values that are
 * unresolved tokens: those are only known at apply time. The constructs collect the problems of
 * every prop and throw once, at construction. The checks that read the rest of the app
 * (`bucketProjectProblems`, `duplicateRoleProblems`) run at synth instead, as a validation, when the
 * whole tree exists, so that the order of declarations does not change their verdict.
 */
import { IConstruct } from 'constructs';
import { Token } from 'cdktf';
import {
  OriginWildcard,
  customRoleIdProblems,
  customRoleNameProblems,
  gcpProjectIdProblems,
  gcsBucketNameProblems,
  httpsOriginProblems,
  literalElementProblems,
  serviceAccountEmailProblems,
} from '../../checks';
import { SEGMENTS_GCS_DEFAULT_ORIGINS } from '../../segments';
import { customRoleIdToCreate } from './defaults';
import { AppIndex } from './app-index';
import { earlierRoleCreator } from './role-registry';

/** The access props both constructs take, as they arrive. */
export interface AccessInput {
  readonly segmentsServiceAccount?: string;
  readonly project?: string;
  readonly customRoleId?: string;
  readonly existingCustomRole?: string;
}

/** Whether a value is known at synth time (not a token and not undefined). */
export function isLiteral(value: string | undefined): value is string {
  return value !== undefined && !Token.isUnresolved(value);
}

/** Problems with `allowedOrigins`; list elements that are tokens are not checked. */
export function originProblems(origins: readonly string[] | undefined): string[] {
  return literalElementProblems(origins, Token.isUnresolved, (literal) =>
    httpsOriginProblems('allowedOrigins', literal, OriginWildcard.NONE, SEGMENTS_GCS_DEFAULT_ORIGINS));
}

/** Problems with `project`. */
export function projectProblems(project: string | undefined): string[] {
  return isLiteral(project) ? gcpProjectIdProblems('project', project) : [];
}

/**
 * Problems with the props that say whom to grant and with which role.
 *
 * | segmentsServiceAccount | customRoleId | existingCustomRole | result                                |
 * |------------------------|--------------|--------------------|---------------------------------------|
 * | required & missing     | any          | any                | refused: nothing to grant to          |
 * | given                  | -            | -                  | role `segmentsObjectReader` created   |
 * | given                  | id           | -                  | role `id` created                     |
 * | given                  | -            | name               | no role created; `name` is granted    |
 * | given                  | id           | name               | refused: the two contradict           |
 */
export function accessProblems(input: AccessInput, serviceAccountRequired: boolean): string[] {
  const problems: string[] = [];
  const { segmentsServiceAccount, project, customRoleId, existingCustomRole } = input;
  if (segmentsServiceAccount === undefined) {
    if (serviceAccountRequired) {
      problems.push(`segmentsServiceAccount is missing: ask Segments support for the service account to grant, of the form 'name@project.iam.gserviceaccount.com'.`);
    } else {
      const ignored = [
        customRoleId !== undefined ? 'customRoleId' : undefined,
        existingCustomRole !== undefined ? 'existingCustomRole' : undefined,
      ].filter((p): p is string => p !== undefined);
      if (ignored.length > 0) {
        problems.push(`${ignored.join(' and ')} ${ignored.length > 1 ? 'are' : 'is'} set but segmentsServiceAccount is not: no role is granted without a service account; set segmentsServiceAccount or remove ${ignored.join(' and ')}.`);
      }
    }
  } else if (isLiteral(segmentsServiceAccount)) {
    problems.push(...serviceAccountEmailProblems('segmentsServiceAccount', segmentsServiceAccount));
  }
  problems.push(...projectProblems(project));
  if (customRoleId !== undefined && existingCustomRole !== undefined) {
    problems.push(`customRoleId and existingCustomRole are both set: give customRoleId to create a role with that ID, or existingCustomRole to grant a role that already exists, not both.`);
  }
  if (isLiteral(customRoleId)) {
    problems.push(...customRoleIdProblems('customRoleId', customRoleId));
  }
  if (isLiteral(existingCustomRole)) {
    const nameProblems = customRoleNameProblems('existingCustomRole', existingCustomRole);
    problems.push(...nameProblems);
    const roleProject = /^projects\/([^/]+)\/roles\//.exec(existingCustomRole)?.[1];
    if (nameProblems.length === 0 && roleProject !== undefined && isLiteral(project) && roleProject !== project) {
      problems.push(`existingCustomRole ('${existingCustomRole}') belongs to project '${roleProject}' but project is '${project}': a project-level custom role can only be granted on buckets of its own project.`);
    }
  }
  return problems;
}

/**
 * Problems with creating a custom role whose ID another construct of the app, declared earlier,
 * already creates in the same project (apply would fail with "already exists" after creating the
 * first). Read from the whole app at synth.
 */
export function duplicateRoleProblems(index: AppIndex, scope: IConstruct, input: AccessInput): string[] {
  const roleId = customRoleIdToCreate(input.customRoleId, input.existingCustomRole);
  if (input.segmentsServiceAccount === undefined || !isLiteral(roleId)) {
    return [];
  }
  const creator = earlierRoleCreator(index, scope, input.project, roleId);
  return creator === undefined ? [] : [`customRoleId: '${creator.path}' already creates the custom role '${roleId}' in ${creator.where}, and a role ID exists once per project; share it by passing that construct's roleName (SegmentsGcsAccess.roleName, SegmentsGcsBucket.access.roleName) as existingCustomRole, or give another customRoleId.`];
}

/**
 * Problems with granting a project-level custom role on a bucket of another project, which apply
 * refuses (after creating the role). Judged at synth from the whole app, when both projects are
 * known: the role's (`existingCustomRole`'s project, else `project`, else the provider's) and the
 * bucket's (when the app declares it: its `project`, else its provider's). An organization-level
 * role fits any bucket.
 */
export function bucketProjectProblems(index: AppIndex, scope: IConstruct, bucketName: string, input: AccessInput): string[] {
  const { project, existingCustomRole } = input;
  let roleProject: string | undefined;
  let roleProp: string;
  if (existingCustomRole !== undefined) {
    roleProject = isLiteral(existingCustomRole) ? /^projects\/([^/]+)\/roles\//.exec(existingCustomRole)?.[1] : undefined;
    roleProp = `existingCustomRole ('${existingCustomRole}')`;
  } else {
    roleProject = index.effectiveProject(scope, project);
    roleProp = project !== undefined ? `project ('${project}')` : `the Google provider's project ('${roleProject}'), where the custom role is created,`;
  }
  if (roleProject === undefined) {
    return [];
  }
  const bucket = index.declaredBucket(bucketName);
  if (bucket?.project === undefined || bucket.project === roleProject) {
    return [];
  }
  const name = bucket.bucket.nameInput;
  const which = name !== undefined && isLiteral(name) ? `bucket '${name}'` : 'the bucket';
  const fix = existingCustomRole !== undefined
    ? `grant a role of project '${bucket.project}'`
    : `set project to '${bucket.project}'`;
  return [`${roleProp} is not the project of ${which} ('${bucket.project}', declared at '${bucket.bucket.node.path}'): a project-level custom role can only be granted on buckets of its own project; ${fix}.`];
}

/** Problems with the name of a bucket to grant on (SegmentsGcsAccess `bucketName`). */
export function accessBucketNameProblems(bucketName: string): string[] {
  if (!isLiteral(bucketName)) {
    return [];
  }
  return gcsBucketNameProblems('bucketName', bucketName);
}

/** The storage classes to choose from for a new bucket. */
export const GCS_STORAGE_CLASSES: readonly string[] = ['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE'];

/** Legacy storage classes Cloud Storage still accepts; a new bucket should use `STANDARD` instead. */
export const GCS_LEGACY_STORAGE_CLASSES: readonly string[] = ['MULTI_REGIONAL', 'REGIONAL'];

/** Problems with `storageClass`: not one of the classes, with the intended one when only the case or spaces differ. */
export function storageClassProblems(storageClass: string | undefined): string[] {
  const known = [...GCS_STORAGE_CLASSES, ...GCS_LEGACY_STORAGE_CLASSES];
  if (!isLiteral(storageClass) || known.includes(storageClass)) {
    return [];
  }
  const quoted = (classes: readonly string[]) => classes.map((c) => `'${c}'`).join(', ');
  const intended = known.find((c) => c === storageClass.trim().toUpperCase().replace(/[ -]/g, '_'));
  const suggestion = intended !== undefined ? `use '${intended}' (storage classes are uppercase); ` : '';
  return [`storageClass ('${storageClass}') is not a Cloud Storage class: ${suggestion}it must be one of ${quoted(GCS_STORAGE_CLASSES)}, or the legacy ${quoted(GCS_LEGACY_STORAGE_CLASSES)}.`];
}

/** Problems with `location`: required and not blank. */
export function locationProblems(location: string | undefined): string[] {
  if (location !== undefined && Token.isUnresolved(location)) {
    return [];
  }
  if (location === undefined || location.trim() === '') {
    return [`location is empty: give a Cloud Storage location such as 'EU', 'US' or 'europe-west1'.`];
  }
  if (location !== location.trim()) {
    return [`location ('${location}') has leading or trailing spaces.`];
  }
  return [];
}
