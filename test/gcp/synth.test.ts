import { documentedAttributes, requiredAttributes, schemaProblems } from './synth';

describe('the schema check of the test helpers can fail', () => {
  it('knows the arguments of google_storage_bucket from the binding', () => {
    const known = documentedAttributes('google_storage_bucket');
    for (const name of ['cors', 'max_age_seconds', 'response_header', 'public_access_prevention', 'uniform_bucket_level_access', 'force_destroy', 'versioning']) {
      expect(known.has(name)).toBe(true);
    }
    expect(requiredAttributes('google_storage_bucket').sort()).toEqual(['location', 'name']);
    expect(requiredAttributes('google_storage_bucket_iam_member').sort()).toEqual(['bucket', 'member', 'role']);
    expect(requiredAttributes('google_project_iam_custom_role').sort()).toEqual(['permissions', 'role_id', 'title']);
  });

  it('reports a misspelt nested attribute, a missing required argument and an unknown resource type', () => {
    expect(schemaProblems({
      resource: {
        google_storage_bucket: { B: { name: 'acme', cors: [{ max_age: 3600 }] } },
        google_storage_bucket_iam_binding_typo: { X: {} },
      },
    })).toEqual([
      'google_storage_bucket.B.cors[0].max_age: not an attribute of google_storage_bucket',
      'google_storage_bucket.B: required argument location is missing',
      'google_storage_bucket_iam_binding_typo: no binding documents it',
    ]);
  });
});
