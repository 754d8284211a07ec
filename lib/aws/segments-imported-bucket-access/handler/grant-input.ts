/**
 * The handler's own check of the prefixes and origins it is asked to write. The construct checks
 * them at synth, but the handler's input is a template anyone can edit (or a parameter only known
 * at deploy time), so before any write it refuses what would widen the grant: a prefix that is
 * empty or holds a wildcard (`arn:aws:s3:::acme/*`, the whole bucket; `acme/**`), an empty list
 * (`Resource: []`), an origin such as `*`. The rules are the root entry's (lib/checks/), which the
 * construct applies at synth.
 */
import { OriginWildcard, httpsOriginProblems, keyPrefixProblems } from '../../../checks';
import { GrantRefusedError } from './errors';

/** The resource's KeyPrefixes or AllowedOrigins break a rule the construct enforces at synth. */
export class GrantInputError extends GrantRefusedError {}

/** Problems with the KeyPrefixes and AllowedOrigins of a resource's properties (empty when they are fine). */
export function grantInputProblems(properties: { readonly KeyPrefixes?: unknown; readonly AllowedOrigins?: unknown }): string[] {
  const problems: string[] = [];
  const strings = (prop: string, value: unknown): string[] | undefined => {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      problems.push(`${prop} is ${JSON.stringify(value)}, not a list of strings.`);
      return undefined;
    }
    return value;
  };
  if (properties.KeyPrefixes !== undefined) {
    const prefixes = strings('KeyPrefixes', properties.KeyPrefixes);
    problems.push(...(prefixes ? keyPrefixProblems('KeyPrefixes', prefixes) : []));
  }
  const origins = strings('AllowedOrigins', properties.AllowedOrigins);
  problems.push(...(origins ? httpsOriginProblems('AllowedOrigins', origins, OriginWildcard.LEADING_SUBDOMAIN) : []));
  return problems;
}

/** Throws a GrantInputError listing every problem, before anything is read or written. */
export function assertGrantInput(properties: { readonly BucketName?: unknown; readonly KeyPrefixes?: unknown; readonly AllowedOrigins?: unknown }): void {
  const problems = grantInputProblems(properties);
  if (problems.length > 0) {
    throw new GrantInputError(`Nothing was written. The resource's properties for bucket ${String(properties.BucketName)} would widen ` +
      `the Segments grant, so they are refused (the construct refuses the same at synth; was the template edited, or a parameter ` +
      `given a value it should not take?):\n  - ${problems.join('\n  - ')}`);
  }
}
