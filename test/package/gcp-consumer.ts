// A customer's cdktf app that installed the packed tarball next to cdktf, constructs and the
// Google provider only. Run by scripts/check-package.sh and each row of scripts/check-matrix.sh:
// compiled with tsc (as CommonJS or as an ES module), then run. It synthesizes every Google
// construct, then shows that the checks fire: a wildcard origin and a misspelled prop are refused
// (the cdktf constructs have no rendered-template check, so no escape hatch is judged there).
// The consumer has no @types/node: declare the one global used.
declare const console: { log(message: string): void };
import { App, TerraformStack, Testing } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { SegmentsGcsAccess, SegmentsGcsBucket } from 'segments-cloud-constructs/gcp';
import { SEGMENTS_GCS_PERMISSIONS } from 'segments-cloud-constructs';

const serviceAccount = 'segments-reader@segments-prod.iam.gserviceaccount.com';
const app = Testing.app();
const stack = new TerraformStack(app as App, 'consumer');
new GoogleProvider(stack, 'google', { project: 'consumer-project' });
new SegmentsGcsBucket(stack, 'Data', { name: 'consumer-check-bucket', location: 'EU', segmentsServiceAccount: serviceAccount });
new SegmentsGcsAccess(stack, 'Existing', {
  bucketName: 'consumer-existing-bucket', segmentsServiceAccount: serviceAccount, project: 'consumer-project', customRoleId: 'segmentsReaderExisting',
});
const json = JSON.parse(Testing.synth(stack));

const roles = Object.values<any>(json.resource.google_project_iam_custom_role ?? {});
if (roles.length !== 2 || roles.some((role) => JSON.stringify(role.permissions) !== JSON.stringify(SEGMENTS_GCS_PERMISSIONS))) {
  throw new Error(`unexpected custom roles: ${JSON.stringify(roles)}`);
}
const members = Object.values<any>(json.resource.google_storage_bucket_iam_member ?? {});
if (members.length !== 2 || members.some((member) => member.member !== `serviceAccount:${serviceAccount}`)) {
  throw new Error(`unexpected IAM members: ${JSON.stringify(members)}`);
}

/** The error a build throws, as text ('' when it does not throw). */
function refusal(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return String(error);
  }
  return '';
}
const scope = () => new TerraformStack(Testing.app() as App, 'refused');
const origin = refusal(() => new SegmentsGcsBucket(scope(), 'Data', { name: 'consumer-refused', location: 'EU', allowedOrigins: ['https://*'] }));
if (!origin.includes('SegmentsGcsBucket refused its input')) {
  throw new Error(`the wildcard origin was not refused: ${JSON.stringify(origin)}`);
}
const typo = refusal(() => new SegmentsGcsBucket(scope(), 'Data', { name: 'consumer-refused', location: 'EU', ...JSON.parse('{"segmentsServiceAcount": "x"}') }));
if (!typo.includes("unknown prop 'segmentsServiceAcount': did you mean 'segmentsServiceAccount'?")) {
  throw new Error(`the misspelled prop was not refused: ${JSON.stringify(typo)}`);
}
console.log('Google consumer: synthesized SegmentsGcsBucket and SegmentsGcsAccess (custom roles and members); refused a wildcard origin and a misspelled prop');
