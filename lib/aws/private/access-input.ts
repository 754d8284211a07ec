import { Token } from 'aws-cdk-lib';
import { SEGMENTS_DEFAULT_ORIGINS } from '../../segments';
import { OriginWildcard, httpsOriginProblems, keyPrefixProblems } from '../../validate';

/**
 * Problems with the `keyPrefixes` and `allowedOrigins` props, shared with SegmentsBucket so that it
 * can report them together with its own before creating anything.
 */
export function segmentsAccessInputProblems(props: { readonly keyPrefixes?: string[]; readonly allowedOrigins?: string[] }): string[] {
  return [
    ...literalProblems(props.allowedOrigins, (values) =>
      httpsOriginProblems('allowedOrigins', values, OriginWildcard.LEADING_SUBDOMAIN, SEGMENTS_DEFAULT_ORIGINS)),
    ...literalProblems(props.keyPrefixes, (values) => keyPrefixProblems('keyPrefixes', values)),
  ];
}

/** Runs a check on the values of a list prop that are known at synth time (tokens are skipped). */
function literalProblems(values: string[] | undefined, check: (values: string[]) => string[]): string[] {
  if (values === undefined || Token.isUnresolved(values)) {
    return [];
  }
  const literal = values.filter((value) => !Token.isUnresolved(value));
  return values.length > 0 && literal.length === 0 ? [] : check(literal);
}

