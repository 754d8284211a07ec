/**
 * `segments-cloud verify gcs`: its flags, help and options. Light on purpose: `@google-cloud/storage`,
 * google-auth-library and the checks load only when it runs (`./run`), so `--help` starts without them.
 */
import { SEGMENTS_WEB_APP_ORIGINS, gcsBucketNameProblems, serviceAccountEmailProblems } from 'segments-cloud-constructs';
import { ParsedFlags, all, single } from '../../args';
import { usageError } from '../../errors';
import type { VerifyTarget } from '../target';
import { verifyInputError } from '../target';
import { pageOriginProblems } from '../origin-flags';
import { GCS_CHECK_IDS } from './ids';
import type { GcsVerifyOptions } from './options';

export type { GcsVerifyOptions } from './options';

const COMMAND = 'verify gcs';

export function parseGcsVerifyFlags(flags: ParsedFlags): GcsVerifyOptions {
  const bucket = single(flags, 'bucket');
  const serviceAccount = single(flags, 'service-account');
  if (bucket === undefined || serviceAccount === undefined) {
    throw usageError(`${COMMAND} needs ${[bucket === undefined ? '--bucket NAME' : '', serviceAccount === undefined ? '--service-account EMAIL' : ''].filter((s) => s !== '').join(' and ')}`, COMMAND);
  }
  const keys = all(flags, 'key');
  const origins = all(flags, 'origin');
  const problems = [
    ...gcsBucketNameProblems('--bucket', bucket),
    ...serviceAccountEmailProblems('--service-account', serviceAccount),
    ...(origins.length > 0 ? pageOriginProblems(origins, SEGMENTS_WEB_APP_ORIGINS[0]) : []),
    ...keys.flatMap((key, i) => keys.indexOf(key) !== i ? [`--key[${i}] ('${key}') is listed twice: remove the duplicate.`] : []),
  ];
  if (problems.length > 0) {
    throw verifyInputError(COMMAND, problems);
  }
  return { bucket, serviceAccount, keys, origins: origins.length > 0 ? origins : [...SEGMENTS_WEB_APP_ORIGINS] };
}

export const gcsVerifyTarget: VerifyTarget<GcsVerifyOptions> = {
  cloud: 'gcs',
  summary: 'Checks a live Cloud Storage bucket: existence, IAM binding, CORS, objects, the browser\'s preflight.',
  synopsis: 'verify gcs --bucket NAME --service-account EMAIL [--key K]... [--origin O]... [--json] [--offline]',
  flags: { 'bucket': { repeatable: false }, 'service-account': { repeatable: false }, 'key': { repeatable: true }, 'origin': { repeatable: true } },
  example: 'verify gcs --bucket my-images --service-account SA_EMAIL --key images/cat.jpg',
  help: () => `Reads the bucket's configuration with your Application Default Credentials ('gcloud auth
application-default login', or GOOGLE_APPLICATION_CREDENTIALS; STORAGE_EMULATOR_HOST is honoured)
and judges it the way Segments' service account and its web app's browsers will read it. It never
writes, and needs only the read permissions docs/cli.md lists.

Flags:
  --bucket NAME             the bucket (required), without gs://.
  --service-account EMAIL   the service account Segments gave you (required).
  --key K                   an object to check: it exists, and Google's Policy Troubleshooter
                            says Segments may read it (repeat for a few sample keys). The
                            preflights go to the first.
  --origin O                a page origin a browser sends, 'https://host' (repeat for several).
                            Default: ${[...SEGMENTS_WEB_APP_ORIGINS].join(', ')}.
  --json                    print the report as JSON instead of a table.
  --offline                 skip gcs.preflight (no request to storage.googleapis.com).

Checks: ${GCS_CHECK_IDS.join(', ')}.
gcs.iam asks Google's Policy Troubleshooter when you may (it weighs every allow and deny policy);
otherwise it reads the bucket's and the project's allow policies and says what it did not read.
No grant seen where it looked is a failure (exit 1), its detail naming what was not read.

Exit status: 0 every check passed (warnings allowed), 1 at least one failed, 2 usage error,
3 a check could not run (credentials missing, access denied on a read, network down).
`,
  parse: parseGcsVerifyFlags,
  async run(options, runtime) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { verifyGcs } = require('./run') as typeof import('./run');
    return verifyGcs(options, runtime);
  },
};
