import { Construct, Node } from 'constructs';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { SegmentsGcsAccess, SegmentsGcsBucket } from '../../lib/gcp';

const SA = 'segments-reader@segments-prod.iam.gserviceaccount.com';

/**
 * Builds an app of several stacks and synthesizes it as `cdktf synth` does (`app.synth()`, which
 * runs the validations); returns the error thrown ('' when none). Each stack needs a Google
 * provider, or cdktf's own validation refuses it.
 */
function errorOfApp(build: (app: App) => void): string {
  try {
    const app = Testing.app();
    build(app);
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

/** A stack with a default Google provider, whose project is `project` (unknown when undefined). */
function stackWithProvider(app: App, id: string, project?: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new GoogleProvider(stack, 'google', { project });
  return stack;
}

/** Builds constructs in one stack (with a Google provider of unknown project) of a fresh app; returns the error ('' when none). */
function errorOfStack(build: (scope: Construct) => void): string {
  return errorOfApp((app) => build(stackWithProvider(app, 'stack')));
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

  it('refuses project against a SegmentsGcsBucket, naming the construct and the synth that refuses', () => {
    const error = errorOfStack((scope) => {
      const bucket = new SegmentsGcsBucket(scope, 'Data', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
      new SegmentsGcsAccess(scope, 'Segments', { bucketName: bucket.bucket.name, segmentsServiceAccount: SA, project: 'acme-role-one' });
    });
    expect(error).toMatch(/^Validation failed with the following errors:\n {2}\[stack\/Segments\] SegmentsGcsAccess refused its input:\n {2}- /);
    expect(error).toMatch(/project \('acme-role-one'\) is not the project of bucket 'acme-images' \('acme-bucket-two', declared at 'stack\/Data\/Bucket'\)/);
  });

  it('refuses a bucket in another stack of the app', () => {
    expect(errorOfApp((app) => {
      const bucket = new StorageBucket(stackWithProvider(app, 'stack'), 'Images', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
      new SegmentsGcsAccess(stackWithProvider(app, 'grants'), 'Segments', { bucketName: bucket.name, segmentsServiceAccount: SA, project: 'acme-role-one' });
    })).toMatch(refused);
  });

  it("reads a project left out from the stack's Google provider, on either side", () => {
    expect(errorOfApp((app) => {
      const scope = stackWithProvider(app, 'stack', 'acme-role-one');
      const bucket = new StorageBucket(scope, 'Images', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
      new SegmentsGcsAccess(scope, 'Segments', { bucketName: bucket.name, segmentsServiceAccount: SA });
    })).toMatch(/the Google provider's project \('acme-role-one'\), where the custom role is created, is not the project of bucket 'acme-images' \('acme-bucket-two'/);
    expect(errorOfApp((app) => {
      const scope = stackWithProvider(app, 'stack', 'acme-bucket-two');
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

describe('the project check reads the whole app, whatever the order of declarations', () => {
  const refused = /\[stack\/Segments\] SegmentsGcsAccess refused its input:\n {2}- project \('acme-role-one'\) is not the project of bucket 'acme-images' \('acme-bucket-two', declared at 'stack\/Images'\)/;

  it('refuses a StorageBucket declared after the access that names it', () => {
    expect(errorOfStack((scope) => {
      new SegmentsGcsAccess(scope, 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA, project: 'acme-role-one' });
      new StorageBucket(scope, 'Images', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
    })).toMatch(refused);
  });

  it('refuses a SegmentsGcsBucket declared after the access, in another stack', () => {
    expect(errorOfApp((app) => {
      new SegmentsGcsAccess(stackWithProvider(app, 'grants'), 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA, project: 'acme-role-one' });
      new SegmentsGcsBucket(stackWithProvider(app, 'stack'), 'Data', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
    })).toMatch(/\[grants\/Segments\] SegmentsGcsAccess refused its input:\n {2}- project \('acme-role-one'\) is not the project of bucket 'acme-images' \('acme-bucket-two', declared at 'stack\/Data\/Bucket'\)/);
  });

  it("reads the role's project from a Google provider declared after the access", () => {
    expect(errorOfApp((app) => {
      const scope = new TerraformStack(app, 'stack');
      new SegmentsGcsAccess(scope, 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA });
      new StorageBucket(scope, 'Images', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
      new GoogleProvider(scope, 'google', { project: 'acme-role-one' });
    })).toMatch(/the Google provider's project \('acme-role-one'\), where the custom role is created, is not the project of bucket 'acme-images' \('acme-bucket-two'/);
  });

  it("reads the bucket's project from a Google provider declared after both", () => {
    expect(errorOfApp((app) => {
      const scope = new TerraformStack(app, 'stack');
      const bucket = new StorageBucket(scope, 'Images', { name: 'acme-images', location: 'EU' });
      new SegmentsGcsAccess(scope, 'Segments', { bucketName: bucket.name, segmentsServiceAccount: SA, project: 'acme-role-one' });
      new GoogleProvider(scope, 'google', { project: 'acme-bucket-two' });
    })).toMatch(refused);
  });

  it('judges the tree as it is at each synth, and refuses through Testing.synth with validations', () => {
    const app = Testing.app();
    const scope = stackWithProvider(app, 'stack');
    new SegmentsGcsAccess(scope, 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA, project: 'acme-role-one' });
    expect(() => Testing.synth(scope, true)).not.toThrow();
    new StorageBucket(scope, 'Images', { name: 'acme-images', location: 'EU', project: 'acme-bucket-two' });
    expect(() => Testing.synth(scope, true)).toThrow(refused);
  });
});

describe('a custom role ID is created once per project in the whole app', () => {
  it('refuses the same ID in the same project in another stack', () => {
    const error = errorOfApp((app) => {
      new SegmentsGcsBucket(stackWithProvider(app, 'images'), 'Data', { name: 'acme-images', location: 'EU', project: 'acme-data', segmentsServiceAccount: SA });
      new SegmentsGcsBucket(stackWithProvider(app, 'videos'), 'Data', { name: 'acme-videos', location: 'EU', project: 'acme-data', segmentsServiceAccount: SA });
    });
    expect(error).toMatch(/\[videos\/Data\/Access\] SegmentsGcsAccess refused its input:\n {2}- customRoleId: 'images\/Data\/Access' already creates the custom role 'segmentsObjectReader' in project 'acme-data'/);
    expect(error).not.toMatch(/\[images\//);
  });

  it("knows two stacks share a project through their Google providers' project", () => {
    const error = errorOfApp((app) => {
      const images = stackWithProvider(app, 'images', 'acme-data');
      new SegmentsGcsAccess(images, 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA });
      const videos = stackWithProvider(app, 'videos', 'acme-data');
      new SegmentsGcsAccess(videos, 'Segments', { bucketName: 'acme-videos', segmentsServiceAccount: SA, project: 'acme-data' });
    });
    expect(error).toMatch(/customRoleId: 'images\/Segments' already creates the custom role 'segmentsObjectReader' in project 'acme-data'/);
  });

  it('reads the projects from Google providers declared after the constructs', () => {
    const error = errorOfApp((app) => {
      const images = new TerraformStack(app, 'images');
      new SegmentsGcsAccess(images, 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA });
      const videos = new TerraformStack(app, 'videos');
      new SegmentsGcsAccess(videos, 'Segments', { bucketName: 'acme-videos', segmentsServiceAccount: SA });
      new GoogleProvider(images, 'google', { project: 'acme-data' });
      new GoogleProvider(videos, 'google', { project: 'acme-data' });
    });
    expect(error).toMatch(/\[videos\/Segments\] SegmentsGcsAccess refused its input:\n {2}- customRoleId: 'images\/Segments' already creates the custom role 'segmentsObjectReader' in project 'acme-data'/);
  });

  it('accepts the same ID in other projects, and in stacks whose default projects are unknown', () => {
    expect(errorOfApp((app) => {
      new SegmentsGcsAccess(stackWithProvider(app, 'one'), 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA, project: 'acme-data-one' });
      new SegmentsGcsAccess(stackWithProvider(app, 'two'), 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA, project: 'acme-data-two' });
      new SegmentsGcsAccess(stackWithProvider(app, 'three'), 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA });
      new SegmentsGcsAccess(stackWithProvider(app, 'four'), 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA });
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
    const build = (app: App) => new SegmentsGcsAccess(stackWithProvider(app, 'one'), 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA, project: 'acme-data-one' });
    expect(errorOfApp(build)).toBe('');
    expect(errorOfApp(build)).toBe('');
  });
});

describe('the checks that read the whole app walk it once per synth', () => {
  /** How often building and synthesizing an app walks the whole app (findAll from its root). */
  function appWalks(accesses: number): number {
    const findAll = jest.spyOn(Node.prototype, 'findAll');
    try {
      expect(errorOfApp((app) => {
        const stack = stackWithProvider(app, 'stack', 'acme-data');
        for (let i = 0; i < accesses; i++) {
          new StorageBucket(stack, `Bucket${i}`, { name: `acme-data-${i}`, location: 'EU' });
          new SegmentsGcsAccess(stack, `Literal${i}`, { bucketName: `acme-data-${i}`, segmentsServiceAccount: SA, customRoleId: `segmentsReader${i}` });
        }
      })).toBe('');
      return findAll.mock.contexts.filter((node) => (node as Node).scope === undefined).length;
    } finally {
      findAll.mockRestore();
    }
  }

  it('as often for 30 constructs naming their buckets literally as for 1', () => {
    expect(appWalks(30)).toBe(appWalks(1));
  });
});
