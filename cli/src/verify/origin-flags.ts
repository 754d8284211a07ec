/**
 * `--origin` of `verify gcs` and `verify azure`: page origins a browser sends (`https://host`),
 * never a rule pattern. Every problem at once, in the words of the constructs' origin check.
 */
import { OriginWildcard, httpsOriginProblems } from 'segments-cloud-constructs';

export function pageOriginProblems(origins: readonly string[], example: string): string[] {
  const patterns = origins.flatMap((origin, i) => (origin.includes('*') ? [i] : []));
  return [
    ...httpsOriginProblems('--origin', origins, OriginWildcard.NONE)
      .filter((problem) => !patterns.some((i) => problem.startsWith(`--origin[${i}] `))),
    ...patterns.map((i) => `--origin[${i}] ('${origins[i]}') is a CORS rule pattern: --origin names the page origins a browser sends, such as ${example}.`),
  ];
}
