// A customer's cdktf app that installed the packed tarball next to cdktf, constructs and the
// Google provider only. Run by scripts/check-package.sh: compiled with tsc, then run.
// The consumer has no @types/node: declare the one global used.
declare const console: { log(message: string): void };
import { App, TerraformStack, Testing } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { SegmentsGcsBucket } from 'segments-cloud-constructs/gcp';
import { SEGMENTS_GCS_PERMISSIONS } from 'segments-cloud-constructs';

const app = Testing.app();
const stack = new TerraformStack(app as App, 'consumer');
new GoogleProvider(stack, 'google', { project: 'consumer-project' });
new SegmentsGcsBucket(stack, 'Data', {
  name: 'consumer-check-bucket',
  location: 'EU',
  segmentsServiceAccount: 'segments-reader@segments-prod.iam.gserviceaccount.com',
});
const json = JSON.parse(Testing.synth(stack));

const roles = Object.values<any>(json.resource.google_project_iam_custom_role ?? {});
if (roles.length !== 1 || JSON.stringify(roles[0].permissions) !== JSON.stringify(SEGMENTS_GCS_PERMISSIONS)) {
  throw new Error(`unexpected custom role: ${JSON.stringify(roles)}`);
}
const members = Object.values<any>(json.resource.google_storage_bucket_iam_member ?? {});
if (members.length !== 1 || members[0].member !== 'serviceAccount:segments-reader@segments-prod.iam.gserviceaccount.com') {
  throw new Error(`unexpected IAM member: ${JSON.stringify(members)}`);
}
console.log('Google-only consumer: synthesized a SegmentsGcsBucket with the custom role and member');
