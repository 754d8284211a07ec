/**
 * Run by gcs-google-auth.test.ts in a child process (google-auth-library's gaxios loads fetch with a
 * dynamic import, which jest's VM refuses): `verify gcs`'s REST reads through the real client,
 * `gcsClients(...).gcpCall`, against the base URL given, printing what they read as JSON.
 *
 * Usage: tsx gcs-google-auth-driver.ts BASE_URL reads|run [ROLE...]
 */
import { fetchGcsProject, fetchGcsRoles, fetchGcsTroubleshoot, gcsClients } from '../../src/verify/gcs/fetch';
import { verifyGcs } from '../../src/verify/gcs/run';

const SA = 'segments-reader@segments-prod.iam.gserviceaccount.com';
const BUCKET = 'acme-images';

async function main(): Promise<unknown> {
  const [base, mode, ...roles] = process.argv.slice(2);
  const endpoints = { iam: `${base}/iam`, troubleshooter: `${base}/pt`, resourceManager: `${base}/crm`, orgPolicy: `${base}/op` };
  const { gcpCall } = gcsClients(BUCKET);
  if (mode === 'reads') {
    return {
      troubleshoot: Object.fromEntries(await fetchGcsTroubleshoot(gcpCall, BUCKET, SA, ['images/cat.jpg'], endpoints.troubleshooter)),
      project: await fetchGcsProject(gcpCall, '123456789012', endpoints),
      roles: Object.fromEntries(await fetchGcsRoles(gcpCall, roles, endpoints.iam)),
    };
  }
  return verifyGcs({ bucket: BUCKET, serviceAccount: SA, keys: ['images/cat.jpg'], origins: ['https://app.segments.ai'] }, { offline: true }, {
    bucket: {
      getMetadata: async () => [{ name: BUCKET, projectNumber: '123456789012', iamConfiguration: { uniformBucketLevelAccess: { enabled: true } },
        cors: [{ origin: ['https://app.segments.ai'], method: ['GET'], responseHeader: ['*'], maxAgeSeconds: 3600 }] }],
      iam: { getPolicy: async () => [{ bindings: [{ role: 'roles/storage.objectViewer', members: [`serviceAccount:${SA}`] }] }] },
      file: () => ({ getMetadata: async () => [{ size: '42' }] }),
    },
    gcpCall,
    endpoints,
    publicEndpoint: base,
    preflight: async () => ({ status: 200, headers: {} }),
  });
}

main().then((result) => process.stdout.write(JSON.stringify(result)), (error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
