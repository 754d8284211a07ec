/**
 * docs/gcp.md's "What it synthesizes" excerpt is what the README's Google Cloud sample synthesizes:
 * the same resources and attributes (cdktf's "//" metadata left out), and the provider's project.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing, TerraformStack } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { SegmentsGcsBucket } from '../../lib/gcp';

const ROOT = path.join(__dirname, '..', '..');

/** The README's Google Cloud sample, as written there. */
function readmeSample() {
  const stack = new TerraformStack(Testing.app(), 'segments-gcs');
  new GoogleProvider(stack, 'Google', { project: 'acme-data-prod' });
  new SegmentsGcsBucket(stack, 'Data', {
    name: 'acme-segments-data',
    location: 'EU',
    segmentsServiceAccount: 'segments-reader@segments-prod.iam.gserviceaccount.com',
  });
  return JSON.parse(Testing.synth(stack));
}

function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '//').map(([key, v]) => [key, withoutMetadata(v)]));
  }
  return value;
}

describe('docs/gcp.md "What it synthesizes"', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'gcp.md'), 'utf8');

  it('the sample here is the README\'s', () => {
    for (const line of ["new GoogleProvider(stack, 'Google', { project: 'acme-data-prod' });", "name: 'acme-segments-data',", "location: 'EU',",
      "segmentsServiceAccount: 'segments-reader@segments-prod.iam.gserviceaccount.com'", "new TerraformStack(app, 'segments-gcs')"]) {
      expect(readme).toContain(line);
    }
  });

  it('shows exactly the resources the sample synthesizes, and the provider\'s project', () => {
    const section = doc.split('\n## What it synthesizes\n')[1];
    const excerpt = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    const json = readmeSample();
    expect(JSON.parse(`{${excerpt}}`)).toEqual(withoutMetadata(json.resource));
    expect(json.provider.google).toEqual([{ project: 'acme-data-prod' }]);
    expect(section.split('```json')[0]).toContain('`"provider": {"google": [{"project": "acme-data-prod"}]}`');
  });
});
