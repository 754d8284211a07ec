import { gcpProjectIdProblems } from '../../lib/checks';
import { CUSTOM_ROLE_DESCRIPTION, CUSTOM_ROLE_TITLE, corsCommand, customRoleIdToCreate } from '../../lib/gcp/private/defaults';
import { storageClassProblems } from '../../lib/gcp/private/checks';

describe('gcpProjectIdProblems', () => {
  it.each(['acme-data-prod', 'abcdef', `a${'b'.repeat(28)}c`, 'example.com:acme-data'])('accepts %s', (id) => {
    expect(gcpProjectIdProblems('project', id)).toEqual([]);
  });

  it.each(['abcde', `a${'b'.repeat(29)}c`, '1acme-data', 'acme-data-', 'Acme-Data', 'acme_data', '123456789012', ''])('refuses %j, naming the prop', (id) => {
    expect(gcpProjectIdProblems('project', id)).toEqual([expect.stringMatching(/^project \(.*\) is not a Google Cloud project ID/)]);
  });

  it('suggests the bare ID for a resource name', () => {
    expect(gcpProjectIdProblems('project', 'projects/acme-data')[0]).toMatch(/try 'acme-data'/);
  });

  it.each(['projects/123456', '123456'])('never suggests a project number as the ID (%j)', (given) => {
    const [problem] = gcpProjectIdProblems('project', given);
    expect(problem).not.toMatch(/try '123456'/);
    expect(problem).toMatch(/'123456' is a project number: give the project ID instead, which starts with a letter/);
  });

  it('suggests nothing that is itself refused', () => {
    const [problem] = gcpProjectIdProblems('project', 'projects/Acme_Data');
    expect(problem).not.toMatch(/try '/);
    expect(problem).toMatch(/Give the bare project ID, without 'projects\/'/);
  });
});

describe('the defaults', () => {
  it('create segmentsObjectReader unless an existing role is granted', () => {
    expect(customRoleIdToCreate(undefined, undefined)).toBe('segmentsObjectReader');
    expect(customRoleIdToCreate('mine', undefined)).toBe('mine');
    expect(customRoleIdToCreate(undefined, 'projects/acme-data/roles/r')).toBeUndefined();
  });

  it('fit the custom role limits (title 100, description 256 characters)', () => {
    expect(CUSTOM_ROLE_TITLE.length).toBeLessThanOrEqual(100);
    expect(CUSTOM_ROLE_DESCRIPTION.length).toBeLessThanOrEqual(256);
  });

  it('write the gcloud CORS command', () => {
    expect(corsCommand('acme')).toBe('gcloud storage buckets update gs://acme --cors-file=segments-cors.json');
  });

  it('accept the storage classes Cloud Storage knows, in upper case', () => {
    expect(storageClassProblems('ARCHIVE')).toEqual([]);
    expect(storageClassProblems('archive')).toHaveLength(1);
    expect(storageClassProblems('REGIONAL')).toEqual([]);
    expect(storageClassProblems(undefined)).toEqual([]);
  });
});
