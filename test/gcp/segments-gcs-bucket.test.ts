import { Construct } from 'constructs';
import { TerraformVariable, Token } from 'cdktf';
import { storageBucketCorsToTerraform } from '@cdktf/provider-google/lib/storage-bucket';
import { SegmentsGcsBucket, SegmentsGcsBucketProps } from '../../lib/gcp';
import {
  allStrings,
  errorOf,
  onlyLogicalId,
  onlyResource,
  resourceTypes,
  schemaProblems,
  synthWith,
  warningsUnder,
} from './synth';

const SA = 'segments-reader@segments-prod.iam.gserviceaccount.com';
const BASE: SegmentsGcsBucketProps = { name: 'acme-segments-data', location: 'EU', segmentsServiceAccount: SA };

function bucketJson(props: Partial<SegmentsGcsBucketProps> = {}) {
  let construct: SegmentsGcsBucket | undefined;
  const result = synthWith((scope) => {
    construct = new SegmentsGcsBucket(scope, 'Data', { ...BASE, ...props } as SegmentsGcsBucketProps);
  });
  return { ...result, construct: construct! };
}

function refusal(props: Partial<SegmentsGcsBucketProps>): string {
  return errorOf((scope: Construct) => new SegmentsGcsBucket(scope, 'Data', { ...BASE, ...props } as SegmentsGcsBucketProps));
}

const VARIANTS: Record<string, Partial<SegmentsGcsBucketProps>> = {
  'default': {},
  'no service account': { segmentsServiceAccount: undefined },
  'existing custom role': { existingCustomRole: 'projects/acme-data-prod/roles/segmentsObjectReader' },
  'custom origins': { allowedOrigins: ['https://segments.ai', 'https://app.segments.ai'] },
  'every option': {
    project: 'acme-data-prod',
    customRoleId: 'segments.reader_v2',
    versioning: false,
    labels: { team: 'ml' },
    storageClass: 'NEARLINE',
    forceDestroy: true,
  },
};

/** Each variant synthesized once, for the tests that only read it. */
const SYNTHESIZED = new Map(Object.entries(VARIANTS).map(([name, props]) => [name, bucketJson(props)]));
const EACH_VARIANT = [...SYNTHESIZED.entries()];

describe('the synthesized Terraform JSON of each main option', () => {
  it.each(EACH_VARIANT)('%s matches the snapshot', (_name, synthesized) => {
    expect(synthesized.text).toMatchSnapshot();
  });

  it.each(EACH_VARIANT)('%s uses only attributes the provider bindings define, with every required one', (_name, synthesized) => {
    expect(schemaProblems(synthesized.json)).toEqual([]);
  });
});

describe('Segments can read objects and nothing else', () => {
  const { json } = bucketJson();
  const role = onlyResource(json, 'google_project_iam_custom_role');
  const member = onlyResource(json, 'google_storage_bucket_iam_member');

  it('creates a custom role holding exactly storage.objects.get', () => {
    expect(role.permissions).toEqual(['storage.objects.get']);
    expect(role.role_id).toBe('segmentsObjectReader');
    expect(role.stage).toBe('GA');
  });

  it("names the role so a reviewer knows what it is for", () => {
    expect(role.title).toMatch(/Segments\.ai/);
    expect(role.description).toMatch(/Segments\.ai/);
    expect(role.description).toMatch(/storage\.objects\.get only/);
    expect(String(role.title).length).toBeLessThanOrEqual(100);
    expect(String(role.description).length).toBeLessThanOrEqual(256);
  });

  it("binds that role on this bucket to Segments' service account", () => {
    const roleId = onlyLogicalId(json, 'google_project_iam_custom_role');
    const bucketId = onlyLogicalId(json, 'google_storage_bucket');
    expect(member).toEqual({
      bucket: `\${google_storage_bucket.${bucketId}.name}`,
      member: `serviceAccount:${SA}`,
      role: `\${google_project_iam_custom_role.${roleId}.name}`,
    });
  });

  it('exposes the grant through access', () => {
    const { construct } = bucketJson();
    expect(construct.access).toBeDefined();
    expect(construct.access!.member).toBe(`serviceAccount:${SA}`);
    expect(construct.access!.customRole).toBeDefined();
  });
});

describe("nobody else's access changes and nothing is public", () => {
  it.each(EACH_VARIANT)('%s declares no authoritative or project-wide IAM and no ACLs', (_name, synthesized) => {
    const types = resourceTypes(synthesized.json);
    for (const type of types) {
      expect(type).not.toMatch(/_iam_binding$|_iam_policy$|^google_project_iam_member$|_acl$|access_control/);
    }
    expect(types.every((t) => ['google_storage_bucket', 'google_project_iam_custom_role', 'google_storage_bucket_iam_member'].includes(t))).toBe(true);
  });

  it.each(EACH_VARIANT)('%s never mentions allUsers or allAuthenticatedUsers', (_name, synthesized) => {
    const strings = allStrings(synthesized.json);
    expect(strings.some((s) => /allUsers|allAuthenticatedUsers/.test(s))).toBe(false);
  });

  it.each(EACH_VARIANT)('%s keeps uniform bucket-level access and public access prevention on', (_name, synthesized) => {
    const bucket = onlyResource(synthesized.json, 'google_storage_bucket');
    expect(bucket.uniform_bucket_level_access).toBe(true);
    expect(bucket.public_access_prevention).toBe('enforced');
  });
});

describe("browsers on Segments' web app can load the images (CORS)", () => {
  it("sets the vendor doc's rule by default: GET, any response header, for the apex and the web app's host", () => {
    const bucket = onlyResource(bucketJson().json, 'google_storage_bucket');
    expect(bucket.cors).toEqual([
      { origin: ['https://segments.ai', 'https://app.segments.ai'], method: ['GET'], response_header: ['*'], max_age_seconds: 3600 },
    ]);
  });

  it('writes the rule as the provider binding writes a StorageBucketCors', () => {
    const bucket = onlyResource(bucketJson().json, 'google_storage_bucket');
    const typed = storageBucketCorsToTerraform({
      origin: ['https://segments.ai', 'https://app.segments.ai'], method: ['GET'], responseHeader: ['*'], maxAgeSeconds: 3600,
    });
    expect(bucket.cors).toEqual([typed]);
  });

  it('uses the given origins, keeping the rest of the rule', () => {
    const bucket = onlyResource(bucketJson({ allowedOrigins: ['https://app.segments.ai', 'https://segments.ai:8443'] }).json, 'google_storage_bucket');
    expect(bucket.cors).toEqual([
      { origin: ['https://app.segments.ai', 'https://segments.ai:8443'], method: ['GET'], response_header: ['*'], max_age_seconds: 3600 },
    ]);
  });

  it('sets CORS on the bucket, so it outputs no gcloud CORS instructions', () => {
    const { json, construct } = bucketJson();
    expect(construct.access!.corsCommandOutput).toBeUndefined();
    expect(allStrings(json.output).some((s) => s.includes('gcloud'))).toBe(false);
  });

  it('declares CORS even without a service account', () => {
    const bucket = onlyResource(bucketJson({ segmentsServiceAccount: undefined }).json, 'google_storage_bucket');
    expect(bucket.cors).toEqual([
      { origin: ['https://segments.ai', 'https://app.segments.ai'], method: ['GET'], response_header: ['*'], max_age_seconds: 3600 },
    ]);
  });
});

describe('customer data is not deleted by accident', () => {
  it('sets force_destroy false and versioning on by default', () => {
    const bucket = onlyResource(bucketJson().json, 'google_storage_bucket');
    expect(bucket.force_destroy).toBe(false);
    expect(bucket.versioning).toEqual({ enabled: true });
  });

  it('sets force_destroy only when asked, with a warning', () => {
    const { json, construct } = bucketJson({ forceDestroy: true });
    expect(onlyResource(json, 'google_storage_bucket').force_destroy).toBe(true);
    expect(warningsUnder(construct)).toEqual([
      expect.stringMatching(/^\[segments-cloud-constructs:gcs-force-destroy\] .*deletes bucket 'acme-segments-data'/),
    ]);
  });

  it('turns versioning off when asked', () => {
    expect(onlyResource(bucketJson({ versioning: false }).json, 'google_storage_bucket').versioning).toEqual({ enabled: false });
  });
});

describe('options', () => {
  it('without segmentsServiceAccount declares the bucket only, and warns', () => {
    const { json, construct } = bucketJson({ segmentsServiceAccount: undefined });
    expect(resourceTypes(json)).toEqual(['google_storage_bucket']);
    expect(construct.access).toBeUndefined();
    expect(warningsUnder(construct)).toEqual([
      expect.stringMatching(/^\[segments-cloud-constructs:gcs-no-service-account\] segmentsServiceAccount is not set/),
    ]);
  });

  it('with existingCustomRole creates no role and grants that role', () => {
    const existing = 'organizations/123456789/roles/segmentsObjectReader';
    const { json, construct } = bucketJson({ existingCustomRole: existing });
    expect(resourceTypes(json)).toEqual(['google_storage_bucket', 'google_storage_bucket_iam_member']);
    expect(onlyResource(json, 'google_storage_bucket_iam_member').role).toBe(existing);
    expect(construct.access!.customRole).toBeUndefined();
    expect(construct.access!.roleName).toBe(existing);
  });

  it('with customRoleId creates the role under that ID', () => {
    expect(onlyResource(bucketJson({ customRoleId: 'segments_reader' }).json, 'google_project_iam_custom_role').role_id).toBe('segments_reader');
  });

  it('puts project on the bucket and the role; without it, on neither (the provider default)', () => {
    const withProject = bucketJson({ project: 'acme-data-prod' }).json;
    expect(onlyResource(withProject, 'google_storage_bucket').project).toBe('acme-data-prod');
    expect(onlyResource(withProject, 'google_project_iam_custom_role').project).toBe('acme-data-prod');
    const without = bucketJson().json;
    expect(onlyResource(without, 'google_storage_bucket')).not.toHaveProperty('project');
    expect(onlyResource(without, 'google_project_iam_custom_role')).not.toHaveProperty('project');
  });

  it('passes labels and storageClass through', () => {
    const bucket = onlyResource(bucketJson({ labels: { team: 'ml' }, storageClass: 'COLDLINE' }).json, 'google_storage_bucket');
    expect(bucket.labels).toEqual({ team: 'ml' });
    expect(bucket.storage_class).toBe('COLDLINE');
  });

  it('exposes gs://<name> and outputs the name and the URL', () => {
    const { json, construct } = bucketJson();
    const bucketId = onlyLogicalId(json, 'google_storage_bucket');
    expect(json.output).toEqual({
      [construct.bucketNameOutput.friendlyUniqueId]: expect.objectContaining({ value: `\${google_storage_bucket.${bucketId}.name}` }),
      [construct.gsUrlOutput.friendlyUniqueId]: expect.objectContaining({ value: `gs://\${google_storage_bucket.${bucketId}.name}` }),
    });
  });

  it('exposes gsUrl as a plain string when the name is a literal', () => {
    const { construct } = bucketJson();
    expect(construct.gsUrl).toBe('gs://acme-segments-data');
  });

  it('exposes gsUrl as a token when the name is known only at apply', () => {
    let construct: SegmentsGcsBucket | undefined;
    const { json } = synthWith((scope) => {
      const name = new TerraformVariable(scope, 'BucketName', { type: 'string' });
      construct = new SegmentsGcsBucket(scope, 'Data', { ...BASE, name: name.stringValue });
    });
    expect(Token.isUnresolved(construct!.gsUrl)).toBe(true);
    const bucketId = onlyLogicalId(json, 'google_storage_bucket');
    expect(Object.values(json.output ?? {}).map((o) => o.value)).toContain(`gs://\${google_storage_bucket.${bucketId}.name}`);
  });

  it('gives its resources readable logical IDs', () => {
    const { json } = bucketJson();
    expect(onlyLogicalId(json, 'google_storage_bucket')).toMatch(/^Data_Bucket_[0-9A-F]{8}$/);
    expect(onlyLogicalId(json, 'google_project_iam_custom_role')).toMatch(/^Data_Access_ObjectReaderRole_[0-9A-F]{8}$/);
    expect(onlyLogicalId(json, 'google_storage_bucket_iam_member')).toMatch(/^Data_Access_SegmentsReader_[0-9A-F]{8}$/);
  });
});

describe('warnings', () => {
  it('warns nothing for a plain bucket with a service account', () => {
    expect(warningsUnder(bucketJson().construct)).toEqual([]);
  });

  it('warns that a dotted name needs domain verification', () => {
    expect(warningsUnder(bucketJson({ name: 'data.acme.com' }).construct)).toEqual([
      expect.stringMatching(/^\[segments-cloud-constructs:gcs-dotted-bucket-name\] name 'data\.acme\.com' has dots: .*domain/),
    ]);
  });
});

describe('refusals name the prop and the construct', () => {
  const cases: [string, Partial<SegmentsGcsBucketProps>, RegExp][] = [
    ['a name that is too short', { name: 'ab' }, /name \('ab'\) is 2 characters long/],
    ['a name that is too long', { name: 'a'.repeat(64) }, /name \('a{64}'\) is 64 characters long/],
    ['a name with uppercase letters', { name: 'Acme-Data' }, /name \('Acme-Data'\) may only contain/],
    ['a name starting with goog', { name: 'google-data' }, /name \('google-data'\) starts with 'goog'/],
    ['a name ending with a hyphen', { name: 'acme-data-' }, /name \('acme-data-'\) must start and end/],
    ['a gs:// URL as the name, suggesting the bare name', { name: 'gs://acme-data/' }, /name \('gs:\/\/acme-data\/'\) starts with 'gs:\/\/': give the bare bucket name, 'acme-data'\.$/m],
    ['an empty location', { location: '' }, /location is empty/],
    ['a blank location', { location: '  ' }, /location is empty/],
    ['a user account as service account', { segmentsServiceAccount: 'someone@gmail.com' }, /segmentsServiceAccount \('someone@gmail\.com'\) is not a service-account email/],
    ['a member string as service account', { segmentsServiceAccount: `serviceAccount:${SA}` }, /segmentsServiceAccount .* starts with 'serviceAccount:'/],
    ['a role ID with hyphens', { customRoleId: 'segments-reader' }, /customRoleId \('segments-reader'\) must be 3 to 64 .*try 'segments_reader'/],
    ['a role ID that is too short', { customRoleId: 'ab' }, /customRoleId \('ab'\) must be 3 to 64/],
    ['an existing role that is not a full name', { existingCustomRole: 'segmentsObjectReader' }, /existingCustomRole \('segmentsObjectReader'\) must be a custom role's full name/],
    ['a predefined role as existing role', { existingCustomRole: 'roles/storage.objectViewer' }, /existingCustomRole \('roles\/storage\.objectViewer'\)/],
    ['customRoleId with existingCustomRole', { customRoleId: 'segmentsReader', existingCustomRole: 'projects/acme-data-prod/roles/segmentsReader' }, /customRoleId and existingCustomRole are both set/],
    ['an existing role of another project', { project: 'acme-data-prod', existingCustomRole: 'projects/acme-other/roles/segmentsReader' }, /existingCustomRole .* belongs to project 'acme-other' but project is 'acme-data-prod'/],
    ['a role without a service account', { segmentsServiceAccount: undefined, customRoleId: 'segmentsReader' }, /customRoleId is set but segmentsServiceAccount is not/],
    ['an http origin', { allowedOrigins: ['http://segments.ai'] }, /allowedOrigins\[0\] \('http:\/\/segments\.ai'\) must use https/],
    ['an origin with a trailing slash', { allowedOrigins: ['https://segments.ai/'] }, /allowedOrigins\[0\] \('https:\/\/segments\.ai\/'\) has a trailing slash/],
    ['a wildcard origin', { allowedOrigins: ['https://*.segments.ai'] }, /allowedOrigins\[0\] .* contains '\*': Cloud Storage matches origins literally except a lone '\*'.* list each host in full/],
    ['any origin', { allowedOrigins: ['*'] }, /allowedOrigins\[0\] \('\*'\) allows every website/],
    ['an empty origin list', { allowedOrigins: [] }, /allowedOrigins is empty, .* omit it to allow the default 'https:\/\/segments\.ai', 'https:\/\/app\.segments\.ai'/],
    ['a project number', { project: '123456789012' }, /project \('123456789012'\) is not a Google Cloud project ID/],
    ['a lowercase storage class, suggesting the uppercase one', { storageClass: 'standard' }, /storageClass \('standard'\) is not a Cloud Storage class: use 'STANDARD'/],
    ['a spelled-out storage class, suggesting the constant', { storageClass: 'Multi-Regional' }, /storageClass \('Multi-Regional'\) .*use 'MULTI_REGIONAL'/],
    ['an unknown storage class, listing every class', { storageClass: 'HOT' }, /storageClass \('HOT'\) is not a Cloud Storage class: it must be one of 'STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE', or the legacy 'MULTI_REGIONAL', 'REGIONAL'\./],
  ];

  it.each(cases)('refuses %s', (_name, props, message) => {
    const error = refusal(props);
    expect(error).toMatch(message);
    expect(error).toMatch(/^stack\/Data: SegmentsGcsBucket refused its input:\n {2}- /);
  });

  it('reports every problem at once', () => {
    const error = refusal({ name: 'ab', location: '', segmentsServiceAccount: 'someone@gmail.com', customRoleId: 'a-b' });
    expect(error.split('\n  - ')).toHaveLength(5);
    for (const prop of ['name', 'location', 'segmentsServiceAccount', 'customRoleId']) {
      expect(error).toMatch(new RegExp(`\\n {2}- ${prop} `));
    }
  });

  it('accepts a dotted name up to 222 characters with parts of at most 63', () => {
    expect(refusal({ name: `${'a'.repeat(63)}.${'b'.repeat(63)}.example.com` })).toBe('');
  });
});
