import { type Stack, Token } from 'aws-cdk-lib';
import { SEGMENTS_DEFAULT_ORIGINS } from '../../segments';
import { OriginWildcard, httpsOriginProblems, keyPrefixProblems, literalElementProblems } from '../../checks';

/** The two list props SegmentsAccess and SegmentsBucket share. */
export interface AccessInput {
  readonly keyPrefixes?: string[];
  readonly allowedOrigins?: string[];
}

/**
 * The private path by which a construct that wraps SegmentsAccess (SegmentsBucket) hands it input
 * it has already checked with {@link segmentsAccessInputProblems}: the key holds the wrapping
 * construct's name. SegmentsAccess then skips those checks (one pass of checks per construct) and
 * names that construct in every refusal, since it is the one the user wrote. Not exported by the
 * package, so a user's props can never carry it.
 */
export const CHECKED_BY: unique symbol = Symbol('segments-cloud-constructs:access-input-checked-by');

/** Access input already checked by the construct named under {@link CHECKED_BY}. */
export interface CheckedAccessInput extends AccessInput {
  readonly [CHECKED_BY]?: string;
}

/** Problems with literal `allowedOrigins`. */
export function originProblems(origins: readonly string[]): string[] {
  return httpsOriginProblems('allowedOrigins', origins, OriginWildcard.LEADING_SUBDOMAIN, SEGMENTS_DEFAULT_ORIGINS);
}

/** Problems with literal `keyPrefixes`. */
export function prefixProblems(prefixes: readonly string[]): string[] {
  return keyPrefixProblems('keyPrefixes', prefixes);
}

/**
 * Problems with the `keyPrefixes` and `allowedOrigins` props, shared with SegmentsBucket so that it
 * can report them together with its own before creating anything. Values that are tokens are
 * checked later, once they resolve ({@link tokenInputProblems}).
 */
export function segmentsAccessInputProblems(props: AccessInput): string[] {
  const problems: string[] = [];
  if (props.keyPrefixes !== undefined && Token.isUnresolved(props.keyPrefixes)) {
    problems.push('keyPrefixes is a list token (CfnParameter.valueAsList, Fn.split or Lazy.list): the bucket policy needs one ' +
      'Resource per prefix when the template is written, and an empty list at deploy time would grant nothing or, joined, the ' +
      'whole bucket. Pass an array of strings (an element may be a token).');
  }
  return [
    ...problems,
    ...literalElementProblems(props.allowedOrigins, Token.isUnresolved, originProblems),
    ...(problems.length > 0 ? [] : literalElementProblems(props.keyPrefixes, Token.isUnresolved, prefixProblems)),
  ];
}

/**
 * The props' tokens, resolved in the bucket's stack at synth: values a token gives at synth
 * (`Lazy`) are checked like literals; values only known at deploy time (`CfnParameter`,
 * `Fn.importValue`) are listed, for a warning: empty, a prefix would grant the whole bucket.
 */
export function tokenInputProblems(stack: Stack, props: AccessInput): { problems: string[]; deployTime: string[]; origins?: string[] } {
  const problems: string[] = [];
  const deployTime: string[] = [];
  const resolveProp = (prop: string, values: string[] | undefined, check: (values: string[]) => string[]): string[] | undefined => {
    if (values === undefined || (!Token.isUnresolved(values) && !values.some((value) => Token.isUnresolved(value)))) {
      return values;
    }
    const resolved: unknown = stack.resolve(values);
    if (!Array.isArray(resolved)) {
      deployTime.push(prop);
      return undefined;
    }
    resolved.forEach((value, i) => {
      if (typeof value !== 'string') {
        deployTime.push(`${prop}[${i}]`);
      }
    });
    const strings = resolved.filter((value): value is string => typeof value === 'string');
    if (strings.length > 0) {
      problems.push(...check(strings));
    }
    return strings;
  };
  resolveProp('keyPrefixes', props.keyPrefixes, prefixProblems);
  const origins = resolveProp('allowedOrigins', props.allowedOrigins, originProblems);
  return { problems, deployTime, origins };
}
