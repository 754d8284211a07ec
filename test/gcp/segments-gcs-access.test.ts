import { Construct } from 'constructs';
import { Fn, TerraformVariable } from 'cdktf';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { SegmentsGcsAccess, SegmentsGcsAccessProps, SegmentsGcsBucket } from '../../lib/gcp';
import {
  allStrings,
  errorOf,
  onlyLogicalId,
  onlyResource,
  resourceTypes,
  resourcesOf,
  schemaProblems,
  synthErrorOf,
  synthWith,
  warningsUnder,
} from './synth';

const SA = 'segments-reader@segments-prod.iam.gserviceaccount.com';
const BASE: SegmentsGcsAccessProps = { bucketName: 'acme-existing-images', segmentsServiceAccount: SA };

function accessJson(props: Partial<SegmentsGcsAccessProps> = {}) {
  let construct: SegmentsGcsAccess | undefined;
  const result = synthWith((scope) => {
    construct = new SegmentsGcsAccess(scope, 'Segments', { ...BASE, ...props } as SegmentsGcsAccessProps);
  });
  return { ...result, construct: construct! };
}

function outputValue(json: ReturnType<typeof accessJson>['json'], output: { friendlyUniqueId: string } | undefined): unknown {
  return json.output?.[output!.friendlyUniqueId]?.value;
}

describe('SegmentsGcsAccess alone, on a bucket this app does not manage', () => {
  it('matches the snapshot', () => {
    expect(accessJson().text).toMatchSnapshot();
  });

  it('uses only attributes the provider bindings define, with every required one', () => {
    expect(schemaProblems(accessJson().json)).toEqual([]);
    expect(schemaProblems(accessJson({ existingCustomRole: 'projects/acme-data-prod/roles/segmentsObjectReader' }).json)).toEqual([]);
  });

  it('declares the role and the additive member only: no bucket, nothing authoritative', () => {
    expect(resourceTypes(accessJson().json)).toEqual(['google_project_iam_custom_role', 'google_storage_bucket_iam_member']);
  });

  it('grants exactly storage.objects.get to serviceAccount:<email> on the named bucket', () => {
    const { json } = accessJson({ project: 'acme-data-prod' });
    const role = onlyResource(json, 'google_project_iam_custom_role');
    expect(role.permissions).toEqual(['storage.objects.get']);
    expect(role.project).toBe('acme-data-prod');
    expect(onlyResource(json, 'google_storage_bucket_iam_member')).toEqual({
      bucket: 'acme-existing-images',
      member: `serviceAccount:${SA}`,
      role: `\${google_project_iam_custom_role.${onlyLogicalId(json, 'google_project_iam_custom_role')}.name}`,
    });
  });

  it('never mentions allUsers or allAuthenticatedUsers', () => {
    expect(allStrings(accessJson().json).some((s) => /allUsers|allAuthenticatedUsers/.test(s))).toBe(false);
  });

  it('outputs the exact gcloud command that sets CORS', () => {
    const { json, construct } = accessJson();
    expect(outputValue(json, construct.corsCommandOutput)).toBe(
      'gcloud storage buckets update gs://acme-existing-images --cors-file=segments-cors.json',
    );
  });

  it("outputs the vendor doc's CORS JSON, in gcloud's casing", () => {
    const { json, construct } = accessJson();
    expect(JSON.parse(String(outputValue(json, construct.corsFileOutput)))).toEqual([
      { origin: ['https://segments.ai', 'https://app.segments.ai'], method: ['GET'], responseHeader: ['*'], maxAgeSeconds: 3600 },
    ]);
  });

  it('puts the given origins in the CORS JSON', () => {
    const { json, construct } = accessJson({ allowedOrigins: ['https://app.segments.ai', 'https://beta.segments.ai'] });
    expect(JSON.parse(String(outputValue(json, construct.corsFileOutput)))[0].origin).toEqual(['https://app.segments.ai', 'https://beta.segments.ai']);
  });

  it('takes allowedOrigins as a list token, and lets Terraform encode the CORS JSON at apply', () => {
    let construct: SegmentsGcsAccess | undefined;
    const { json } = synthWith((scope) => {
      const origins = new TerraformVariable(scope, 'origins', { type: 'list(string)' });
      construct = new SegmentsGcsAccess(scope, 'Segments', { ...BASE, allowedOrigins: origins.listValue });
    });
    expect(outputValue(json, construct!.corsFileOutput)).toBe(
      '${jsonencode([{"origin" = var.origins, "method" = ["GET"], "responseHeader" = ["*"], "maxAgeSeconds" = 3600}])}',
    );
  });

  it('takes allowedOrigins from Fn.split without crashing', () => {
    let construct: SegmentsGcsAccess | undefined;
    const { json } = synthWith((scope) => {
      const csv = new TerraformVariable(scope, 'origins_csv', { type: 'string' });
      construct = new SegmentsGcsAccess(scope, 'Segments', { ...BASE, allowedOrigins: Fn.split(',', csv.stringValue) });
    });
    expect(outputValue(json, construct!.corsFileOutput)).toMatch(/^\$\{jsonencode\(\[\{"origin" = split\(",", var\.origins_csv\), "method" = \["GET"\]/);
  });

  it('outputs no CORS instructions when emitCorsInstructions is false', () => {
    const { json, construct } = accessJson({ emitCorsInstructions: false });
    expect(construct.corsCommandOutput).toBeUndefined();
    expect(construct.corsFileOutput).toBeUndefined();
    expect(json.output).toBeUndefined();
  });

  it('grants an existing custom role without creating one', () => {
    const existing = 'projects/acme-data-prod/roles/segmentsObjectReader';
    const { json } = accessJson({ existingCustomRole: existing });
    expect(resourceTypes(json)).toEqual(['google_storage_bucket_iam_member']);
    expect(onlyResource(json, 'google_storage_bucket_iam_member').role).toBe(existing);
  });

  it('warns nothing', () => {
    expect(warningsUnder(accessJson().construct)).toEqual([]);
  });
});

describe('SegmentsGcsAccess on a StorageBucket declared elsewhere in the app', () => {
  it('references the bucket by token in the grant and the command', () => {
    let access: SegmentsGcsAccess | undefined;
    const { json } = synthWith((scope) => {
      const bucket = new StorageBucket(scope, 'Images', { name: 'acme-images', location: 'EU', uniformBucketLevelAccess: true });
      access = new SegmentsGcsAccess(scope, 'Segments', { bucketName: bucket.name, segmentsServiceAccount: SA });
    });
    const ref = `\${google_storage_bucket.${onlyLogicalId(json, 'google_storage_bucket')}.name}`;
    expect(onlyResource(json, 'google_storage_bucket_iam_member').bucket).toBe(ref);
    expect(outputValue(json, access!.corsCommandOutput)).toBe(`gcloud storage buckets update gs://${ref} --cors-file=segments-cors.json`);
  });
});

describe('one custom role per project', () => {
  it('refuses, at synth, a second construct creating the same role ID in the same project', () => {
    const error = synthErrorOf((scope: Construct) => {
      new SegmentsGcsBucket(scope, 'Images', { name: 'acme-images', location: 'EU', segmentsServiceAccount: SA });
      new SegmentsGcsBucket(scope, 'Videos', { name: 'acme-videos', location: 'EU', segmentsServiceAccount: SA });
    });
    expect(error).toMatch(/\[stack\/Videos\/Access\] SegmentsGcsAccess refused its input:/);
    expect(error).toMatch(/customRoleId: 'stack\/Images\/Access' already creates the custom role 'segmentsObjectReader' in the provider's default project/);
  });

  it("lets the second share the first's role through existingCustomRole", () => {
    const { json } = synthWith((scope) => {
      const images = new SegmentsGcsBucket(scope, 'Images', { name: 'acme-images', location: 'EU', segmentsServiceAccount: SA });
      new SegmentsGcsBucket(scope, 'Videos', { name: 'acme-videos', location: 'EU', segmentsServiceAccount: SA, existingCustomRole: images.access!.roleName });
    });
    const roleRef = `\${google_project_iam_custom_role.${onlyLogicalId(json, 'google_project_iam_custom_role')}.name}`;
    const members = Object.values(resourcesOf(json, 'google_storage_bucket_iam_member'));
    expect(members.map((m) => m.role)).toEqual([roleRef, roleRef]);
  });

  it('allows the same role ID in different projects', () => {
    expect(synthErrorOf((scope: Construct) => {
      new SegmentsGcsAccess(scope, 'A', { ...BASE, project: 'acme-data-one' });
      new SegmentsGcsAccess(scope, 'B', { ...BASE, project: 'acme-data-two' });
    })).toBe('');
  });
});

describe('SegmentsGcsAccess refusals name the prop and the construct', () => {
  const cases: [string, Partial<SegmentsGcsAccessProps>, RegExp][] = [
    ['a missing service account (JavaScript callers)', { segmentsServiceAccount: undefined }, /segmentsServiceAccount is missing/],
    ['a user account', { segmentsServiceAccount: 'someone@gmail.com' }, /segmentsServiceAccount \('someone@gmail\.com'\) is not a service-account email/],
    ['a group address', { segmentsServiceAccount: 'labelers@segments.ai' }, /segmentsServiceAccount \('labelers@segments\.ai'\) is not a service-account email/],
    ['a gs:// bucket name', { bucketName: 'gs://acme-existing-images' }, /bucketName \('gs:\/\/acme-existing-images'\) starts with 'gs:\/\/'/],
    ['an invalid bucket name', { bucketName: 'Acme_Images' }, /bucketName \('Acme_Images'\) may only contain/],
    ['a role ID with hyphens', { customRoleId: 'segments-object-reader' }, /customRoleId \('segments-object-reader'\)/],
    ['customRoleId with existingCustomRole', { customRoleId: 'segmentsReader', existingCustomRole: 'projects/acme-data-prod/roles/segmentsReader' }, /customRoleId and existingCustomRole are both set/],
    ['a malformed existing role', { existingCustomRole: 'projects/acme-data-prod/segmentsReader' }, /existingCustomRole \('projects\/acme-data-prod\/segmentsReader'\) must be/],
    ['a project given as a resource name', { project: 'projects/acme-data-prod' }, /project \('projects\/acme-data-prod'\) is not a Google Cloud project ID.*try 'acme-data-prod'/],
    ['an http origin', { allowedOrigins: ['http://segments.ai'] }, /allowedOrigins\[0\] .* must use https/],
    ['a wildcard origin', { allowedOrigins: ['https://*.segments.ai'] }, /allowedOrigins\[0\] .* contains '\*': Cloud Storage matches origins literally/],
    ['origins without CORS instructions', { emitCorsInstructions: false, allowedOrigins: ['https://segments.ai'] }, /allowedOrigins is set but emitCorsInstructions is false/],
  ];

  it.each(cases)('refuses %s', (_name, props, message) => {
    const error = errorOf((scope: Construct) => new SegmentsGcsAccess(scope, 'Segments', { ...BASE, ...props } as SegmentsGcsAccessProps));
    expect(error).toMatch(message);
    expect(error).toMatch(/^stack\/Segments: SegmentsGcsAccess refused its input:\n {2}- /);
  });

  it('skips values that are unresolved tokens', () => {
    const { json } = synthWith((scope) => {
      const bucket = new StorageBucket(scope, 'Images', { name: 'acme-images', location: 'EU' });
      new SegmentsGcsAccess(scope, 'Segments', {
        bucketName: bucket.name,
        segmentsServiceAccount: bucket.id,
        project: bucket.project,
        customRoleId: bucket.storageClass,
      });
    });
    expect(onlyResource(json, 'google_storage_bucket_iam_member').member).toMatch(/^serviceAccount:\$\{google_storage_bucket\.Images\.id\}$/);
  });
});
