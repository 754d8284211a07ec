/**
 * A misspelled prop widens the grant (issue 18, item 13): `keyprefixes` was ignored, so the grant
 * covered the whole bucket, and `bucketname` gave a generated name. Every construct of every
 * cloud refuses a prop it does not know, naming the one meant.
 */
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { newStack as newAwsStack } from './aws/app';
import { SegmentsAccess, SegmentsAccessMonitor, SegmentsBucket, SegmentsImportedBucketAccess } from '../lib/aws';
import { SegmentsAzureAccess, SegmentsAzureStorageAccount } from '../lib/azure';
import { SegmentsGcsAccess, SegmentsGcsBucket } from '../lib/gcp';
import { type PropNames, knownProps, unknownPropProblems } from '../lib/checks/known-props';

const ACCOUNT_ID = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/acme-data/providers/Microsoft.Storage/storageAccounts/acmeimages';
const SERVICE_ACCOUNT = 'segments-reader@segments-prod.iam.gserviceaccount.com';

/** The error a construct throws, as text ('' when it does not throw). */
function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return String(error);
  }
  return '';
}

const awsScope = () => newAwsStack().stack;
const tfScope = () => new TerraformStack(Testing.app(), 'stack');

/** Each construct, with valid props and one misspelled prop that the type system would refuse. */
const cases: [string, (misspelled: Record<string, unknown>) => Construct, Record<string, unknown>, string][] = [
  ['SegmentsBucket', (extra) => new SegmentsBucket(awsScope(), 'B', { ...extra }), { keyprefixes: ['images/'] }, 'keyPrefixes'],
  ['SegmentsAccess', (extra) => {
    const stack = awsScope();
    return new SegmentsAccess(stack, 'A', { bucket: new s3.Bucket(stack, 'Images'), ...extra });
  }, { allowedOrigin: ['https://app.segments.ai'] }, 'allowedOrigins'],
  ['SegmentsImportedBucketAccess', (extra) => {
    const stack = awsScope();
    return new SegmentsImportedBucketAccess(stack, 'A', { bucket: s3.Bucket.fromBucketName(stack, 'Images', 'acme-images'), ...extra });
  }, { key_prefixes: ['images/'] }, 'keyPrefixes'],
  ['SegmentsAccessMonitor', (extra) => {
    const stack = awsScope();
    return new SegmentsAccessMonitor(stack, 'M', { bucket: s3.Bucket.fromBucketName(stack, 'Images', 'acme-images'), ...extra });
  }, { sampleKey: ['images/cat.jpg'] }, 'sampleKeys'],
  ['SegmentsGcsBucket', (extra) => new SegmentsGcsBucket(tfScope(), 'B', { name: 'acme-data', location: 'EU', ...extra }),
    { segmentsServiceAcount: SERVICE_ACCOUNT }, 'segmentsServiceAccount'],
  ['SegmentsGcsAccess', (extra) => new SegmentsGcsAccess(tfScope(), 'A', { bucketName: 'acme-data', segmentsServiceAccount: SERVICE_ACCOUNT, ...extra }),
    { emitCorsInstruction: false }, 'emitCorsInstructions'],
  ['SegmentsAzureStorageAccount', (extra) => new SegmentsAzureStorageAccount(tfScope(), 'S', {
    name: 'acmesegmentsdata', resourceGroupName: 'acme-labeling', location: 'westeurope', ...extra,
  }), { containernames: ['images'] }, 'containerNames'],
  ['SegmentsAzureAccess', (extra) => new SegmentsAzureAccess(tfScope(), 'A', { storageAccountId: ACCOUNT_ID, ...extra }),
    { scpoe: 'container', containerName: 'images' }, 'scope'],
];

describe('every construct refuses a prop it does not know, naming the one meant', () => {
  it.each(cases)('%s', (name, build, misspelled, meant) => {
    expect(errorOf(() => build({}))).toBe(''); // control: the valid props are accepted
    const [wrong] = Object.keys(misspelled);
    const message = errorOf(() => build(misspelled));
    expect(message).toContain(`${name} refused its input:`);
    expect(message).toContain(`unknown prop '${wrong}': did you mean '${meant}'?`);
    expect(message).toMatch(/Known props: .*\./);
  });

  it('refuses the issue\'s case, which synthesized a generated name and a grant on the whole bucket, listing both props at once', () => {
    const message = errorOf(() => new SegmentsBucket(awsScope(), 'B', { bucketname: 'acme-x', keyprefixes: ['images/'] } as never));
    expect(message).toContain("unknown prop 'bucketname': did you mean 'bucketName'?");
    expect(message).toContain("unknown prop 'keyprefixes': did you mean 'keyPrefixes'?");
  });
});

describe('the did-you-mean', () => {
  const known = ['bucketName', 'keyPrefixes', 'allowedOrigins', 'versioned', 'outputs'];

  it.each([
    ['bucketname', 'bucketName'], // case
    ['bucket_name', 'bucketName'], // separators
    ['Bucket-Name', 'bucketName'],
    ['keyPrefix', 'keyPrefixes'], // two letters off
    ['allowedOrigin', 'allowedOrigins'],
    ['versoined', 'versioned'], // a swap of two letters is one edit
    ['allowedOrgins', 'allowedOrigins'],
    ['output', 'outputs'], // one edit on a short name
  ])('suggests %s -> %s', (wrong, meant) => {
    expect(unknownPropProblems({ [wrong]: 1 }, known)).toEqual([expect.stringContaining(`unknown prop '${wrong}': did you mean '${meant}'?`)]);
  });

  it('suggests nothing for a name far from every prop, and still refuses it', () => {
    const [problem] = unknownPropProblems({ env: {} }, known);
    expect(problem).toMatch(/^unknown prop 'env'\. A prop the construct does not know would be ignored/);
    expect(problem).not.toContain('did you mean');
  });

  it('passes known props, including ones set to undefined, and props that are not an object', () => {
    expect(unknownPropProblems({ bucketName: 'a', keyPrefixes: undefined }, known)).toEqual([]);
    expect(unknownPropProblems(undefined, known)).toEqual([]);
  });
});

describe('each list of known props names every prop of its interface, checked by the type-check of npm test', () => {
  interface Example {
    readonly required: string;
    readonly optional?: number;
  }

  it('compiles only with every prop listed, and no other', () => {
    expect(knownProps<Example>({ required: true, optional: true })).toEqual(['required', 'optional']);
    // @ts-expect-error an optional prop missing from the list fails to compile
    knownProps<Example>({ required: true });
    // @ts-expect-error a name the interface lacks fails to compile
    knownProps<Example>({ required: true, optional: true, other: true });
    const exact: PropNames<Example> = { required: true, optional: true };
    expect(Object.keys(exact)).toHaveLength(2);
  });
});
