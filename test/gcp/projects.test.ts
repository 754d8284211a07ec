import { Construct } from 'constructs';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { SegmentsGcsAccess, SegmentsGcsBucket } from '../../lib/gcp';

const SA = 'segments-reader@segments-prod.iam.gserviceaccount.com';

/** Builds an app of several stacks; returns the error thrown ('' when none). */
function errorOfApp(build: (app: App) => void): string {
  try {
    build(Testing.app());
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

/** Builds constructs in one stack of a fresh app; returns the error thrown ('' when none). */
function errorOfStack(build: (scope: Construct) => void): string {
  return errorOfApp((app) => build(new TerraformStack(app, 'stack')));
}

describe('a custom role is granted only on a bucket of its own project', () => {
  const refused = /project \('acme-role-one'\) is not the project of bucket 'acme-images' \('acme-bucket-two', declared at 'stack\/Images'\): a project-level custom role can only be granted on buckets of its own project; set project to 'acme-bucket-two'/;

  it('refuses project against a StorageBucket referenced by its name attribute', () => {
    expect(errorOfStack((scope) => {
      const bucket = new StorageBucket(scope, 'Images', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
      new SegmentsGcsAccess(scope, 'Segments', { bucketName: bucket.name, segmentsServiceAccount: SA, project: 'acme-role-one' });
    })).toMatch(refused);
  });

  it('refuses project against a StorageBucket named by its literal name', () => {
    expect(errorOfStack((scope) => {
      new StorageBucket(scope, 'Images', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
      new SegmentsGcsAccess(scope, 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA, project: 'acme-role-one' });
    })).toMatch(refused);
  });

  it('refuses project against a SegmentsGcsBucket', () => {
    const error = errorOfStack((scope) => {
      const bucket = new SegmentsGcsBucket(scope, 'Data', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
      new SegmentsGcsAccess(scope, 'Segments', { bucketName: bucket.bucket.name, segmentsServiceAccount: SA, project: 'acme-role-one' });
    });
    expect(error).toMatch(/^stack\/Segments: SegmentsGcsAccess refused its input:/);
    expect(error).toMatch(/project \('acme-role-one'\) is not the project of bucket 'acme-images' \('acme-bucket-two', declared at 'stack\/Data\/Bucket'\)/);
  });

  it('refuses a bucket in another stack of the app', () => {
    expect(errorOfApp((app) => {
      const bucket = new StorageBucket(new TerraformStack(app, 'stack'), 'Images', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
      new SegmentsGcsAccess(new TerraformStack(app, 'grants'), 'Segments', { bucketName: bucket.name, segmentsServiceAccount: SA, project: 'acme-role-one' });
    })).toMatch(refused);
  });

  it("reads a project left out from the stack's Google provider, on either side", () => {
    expect(errorOfStack((scope) => {
      new GoogleProvider(scope, 'google', { project: 'acme-role-one' });
      const bucket = new StorageBucket(scope, 'Images', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
      new SegmentsGcsAccess(scope, 'Segments', { bucketName: bucket.name, segmentsServiceAccount: SA });
    })).toMatch(/the Google provider's project \('acme-role-one'\), where the custom role is created, is not the project of bucket 'acme-images' \('acme-bucket-two'/);
    expect(errorOfStack((scope) => {
      new GoogleProvider(scope, 'google', { project: 'acme-bucket-two' });
      const bucket = new StorageBucket(scope, 'Images', { name: 'acme-images', location: 'EU' });
      new SegmentsGcsAccess(scope, 'Segments', { bucketName: bucket.name, segmentsServiceAccount: SA, project: 'acme-role-one' });
    })).toMatch(refused);
  });

  it("refuses an existingCustomRole of another project than the bucket's", () => {
    expect(errorOfStack((scope) => {
      const bucket = new StorageBucket(scope, 'Images', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
      new SegmentsGcsAccess(scope, 'Segments', { bucketName: bucket.name, segmentsServiceAccount: SA, existingCustomRole: 'projects/acme-role-one/roles/segmentsObjectReader' });
    })).toMatch(/existingCustomRole \('projects\/acme-role-one\/roles\/segmentsObjectReader'\) is not the project of bucket 'acme-images' \('acme-bucket-two'.*grant a role of project 'acme-bucket-two'/);
  });

  it('accepts the same project, an organization role, and projects unknown at synth', () => {
    expect(errorOfStack((scope) => {
      const bucket = new StorageBucket(scope, 'Images', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
      new SegmentsGcsAccess(scope, 'Same', { bucketName: bucket.name, segmentsServiceAccount: SA, project: 'acme-bucket-two' });
      new SegmentsGcsAccess(scope, 'Org', { bucketName: bucket.name, segmentsServiceAccount: SA, existingCustomRole: 'organizations/1234567/roles/segmentsObjectReader' });
      new SegmentsGcsAccess(scope, 'Unknown', { bucketName: 'acme-not-in-this-app', segmentsServiceAccount: SA, project: 'acme-role-one' });
      const unknownProject = new StorageBucket(scope, 'Videos', { name: 'acme-videos', location: 'EU' });
      new SegmentsGcsAccess(scope, 'DefaultProject', { bucketName: unknownProject.name, segmentsServiceAccount: SA, project: 'acme-role-one', customRoleId: 'segmentsReader2' });
    })).toBe('');
  });
});

describe('a custom role ID is created once per project in the whole app', () => {
  it('refuses the same ID in the same project in another stack', () => {
    const error = errorOfApp((app) => {
      new SegmentsGcsBucket(new TerraformStack(app, 'images'), 'Data', { name: 'acme-images', location: 'EU', project: 'acme-data', segmentsServiceAccount: SA });
      new SegmentsGcsBucket(new TerraformStack(app, 'videos'), 'Data', { name: 'acme-videos', location: 'EU', project: 'acme-data', segmentsServiceAccount: SA });
    });
    expect(error).toMatch(/^videos\/Data: SegmentsGcsBucket refused its input:/);
    expect(error).toMatch(/customRoleId: 'images\/Data\/Access' already creates the custom role 'segmentsObjectReader' in project 'acme-data'/);
  });

  it("knows two stacks share a project through their Google providers' project", () => {
    const error = errorOfApp((app) => {
      const images = new TerraformStack(app, 'images');
      new GoogleProvider(images, 'google', { project: 'acme-data' });
      new SegmentsGcsAccess(images, 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA });
      const videos = new TerraformStack(app, 'videos');
      new GoogleProvider(videos, 'google', { project: 'acme-data' });
      new SegmentsGcsAccess(videos, 'Segments', { bucketName: 'acme-videos', segmentsServiceAccount: SA, project: 'acme-data' });
    });
    expect(error).toMatch(/customRoleId: 'images\/Segments' already creates the custom role 'segmentsObjectReader' in project 'acme-data'/);
  });

  it('accepts the same ID in other projects, and in stacks whose default projects are unknown', () => {
    expect(errorOfApp((app) => {
      new SegmentsGcsAccess(new TerraformStack(app, 'one'), 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA, project: 'acme-data-one' });
      new SegmentsGcsAccess(new TerraformStack(app, 'two'), 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA, project: 'acme-data-two' });
      new SegmentsGcsAccess(new TerraformStack(app, 'three'), 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA });
      new SegmentsGcsAccess(new TerraformStack(app, 'four'), 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA });
    })).toBe('');
  });

  it('tells different token projects apart, and finds the same token twice', () => {
    expect(errorOfStack((scope) => {
      const a = new TerraformVariable(scope, 'project_a', { type: 'string' });
      const b = new TerraformVariable(scope, 'project_b', { type: 'string' });
      new SegmentsGcsAccess(scope, 'A', { bucketName: 'acme-images', segmentsServiceAccount: SA, project: a.stringValue });
      new SegmentsGcsAccess(scope, 'B', { bucketName: 'acme-images', segmentsServiceAccount: SA, project: b.stringValue });
    })).toBe('');
    expect(errorOfStack((scope) => {
      const project = new TerraformVariable(scope, 'project', { type: 'string' }).stringValue;
      new SegmentsGcsAccess(scope, 'A', { bucketName: 'acme-images', segmentsServiceAccount: SA, project });
      new SegmentsGcsAccess(scope, 'B', { bucketName: 'acme-images', segmentsServiceAccount: SA, project });
    })).toMatch(/customRoleId: 'stack\/A' already creates the custom role 'segmentsObjectReader' in the same project \(the same token\)/);
  });

  it('keeps apps apart', () => {
    const build = () => new SegmentsGcsAccess(new TerraformStack(Testing.app(), 'one'), 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA, project: 'acme-data-one' });
    build();
    expect(build).not.toThrow();
  });
});
