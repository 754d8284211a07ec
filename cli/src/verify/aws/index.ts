/**
 * `segments-cloud verify aws`: its flags, help and options. Light on purpose: the SDK clients, the
 * policy evaluator and the checks load only when it runs (`./run`), so that `--help` and the JSON
 * commands start without them.
 */
import {
  OriginWildcard,
  SEGMENTS_AWS_PRINCIPAL_ARN,
  SEGMENTS_WEB_APP_ORIGINS,
  httpsOriginProblems,
  keyPrefixProblems,
  s3BucketNameDotProblem,
  s3BucketNameProblems,
} from 'segments-cloud-constructs';
import { ParsedFlags, all, single } from '../../args';
import { usageError } from '../../errors';
import type { VerifyTarget } from '../target';
import { verifyInputError } from '../target';
import { AWS_CHECK_IDS } from './ids';
import type { AwsVerifyOptions } from './options';

export type { AwsVerifyOptions } from './options';

const COMMAND = 'verify aws';

/** Parses `verify aws` flags; every problem at once, exit 2. */
export function parseAwsVerifyFlags(flags: ParsedFlags): AwsVerifyOptions {
  const bucket = single(flags, 'bucket');
  if (bucket === undefined) {
    throw usageError(`${COMMAND} needs --bucket NAME`, COMMAND);
  }
  const prefixes = all(flags, 'prefix');
  const keys = all(flags, 'key');
  const origins = all(flags, 'origin');
  // A dotted name is a finding of aws.bucket (the bucket exists and cannot be renamed), not a usage error.
  const dot = s3BucketNameDotProblem('--bucket', bucket);
  const problems = [
    ...s3BucketNameProblems('--bucket', bucket).filter((problem) => problem !== dot),
    ...(prefixes.length > 0 ? keyPrefixProblems('--prefix', prefixes) : []),
    ...(origins.length > 0 ? originProblems(origins) : []),
    ...keys.flatMap((key, i) => keys.indexOf(key) !== i ? [`--key[${i}] ('${key}') is listed twice: remove the duplicate.`] : []),
  ];
  if (problems.length > 0) {
    throw verifyInputError(COMMAND, problems);
  }
  return { bucket, prefixes, keys, origins: origins.length > 0 ? origins : [...SEGMENTS_WEB_APP_ORIGINS] };
}

/**
 * Problems with `--origin`: each must be an origin a browser sends (`https://host[:port]`). A
 * pattern such as `https://*.segments.ai` belongs in a CORS rule, not here: it is named as such.
 */
function originProblems(origins: readonly string[]): string[] {
  const patterns = origins.flatMap((origin, i) => (origin.includes('*') ? [i] : []));
  return [
    ...httpsOriginProblems('--origin', origins, OriginWildcard.NONE)
      .filter((problem) => !patterns.some((i) => problem.startsWith(`--origin[${i}] `))),
    ...patterns.map((i) => `--origin[${i}] ('${origins[i]}') is a CORS rule pattern: --origin names the page origins a browser sends, such as ${SEGMENTS_WEB_APP_ORIGINS[0]}.`),
  ];
}

export const awsVerifyTarget: VerifyTarget<AwsVerifyOptions> = {
  cloud: 'aws',
  summary: 'Checks a live S3 bucket: policy, CORS, encryption, ownership, requester pays, objects, the browser\'s preflight.',
  synopsis: 'verify aws --bucket NAME [--prefix P]... [--key K]... [--origin O]... [--json] [--offline]',
  flags: { bucket: { repeatable: false }, prefix: { repeatable: true }, key: { repeatable: true }, origin: { repeatable: true } },
  example: 'verify aws --bucket my-images --key images/cat.jpg',
  help: () => `Reads the bucket's configuration with your AWS credentials (the SDK's default chain: environment,
profile, SSO, instance role; AWS_ENDPOINT_URL_S3 is honoured) and judges it the way Segments
(${SEGMENTS_AWS_PRINCIPAL_ARN}) and its web app's browsers will
read it. It never writes, and needs only the read permissions docs/cli.md lists.

Flags:
  --bucket NAME   the bucket (required).
  --prefix P      the keys Segments must read start with P (repeat for several). Default: the whole bucket.
  --key K         an object to check one by one: it exists, can be decrypted, is not archived
                  (repeat for a few sample keys). The preflight and GET go to the first.
  --origin O      a page origin a browser sends, 'https://host' (repeat for several; not a rule
                  pattern). Default: ${SEGMENTS_WEB_APP_ORIGINS.join(', ')}.
  --json          print the report as JSON instead of a table.
  --offline       skip aws.preflight (no request to the bucket's public endpoint).

Checks: ${AWS_CHECK_IDS.join(', ')}.
Each has a result (pass, warn, fail, not-checked), a detail, and for a fail or warn the fix.

Exit status: 0 every check passed (warnings allowed), 1 at least one failed, 2 usage error,
3 a check could not run (credentials missing, access denied on a read, network down).
`,
  parse: parseAwsVerifyFlags,
  async run(options, runtime) {
    // A require at run time, not an import at load time: esbuild keeps ./run's module (and the SDK
    // packages it requires) uninitialised until here.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { verifyAws } = require('./run') as typeof import('./run');
    return verifyAws(options, runtime);
  },
};
