/**
 * AWS's numbers, pinned as literals (issue 18): a test that reads the library's own constant cannot
 * catch a wrong one. From S3's documentation: a bucket policy has at most 20 KB; a CORS
 * configuration at most 100 rules and 64 KB. The handler writes four times before giving up on a
 * concurrent writer, and CloudFormation refuses a custom resource response over 4096 bytes.
 */
import {
  S3_BUCKET_POLICY_MAX_BYTES,
  S3_CORS_CONFIGURATION_MAX_BYTES,
  S3_CORS_MAX_RULES,
  bucketPolicyBytes,
  bucketPolicySizeProblem,
  corsConfigurationBytes,
} from '../lib';
import { GRANT_ATTEMPTS } from '../lib/aws/segments-imported-bucket-access/handler';
import { MAX_DATA_VALUE_BYTES, MAX_REASON_BYTES } from '../lib/aws/segments-imported-bucket-access/handler/errors';

describe('S3\'s and CloudFormation\'s limits, as the library states them', () => {
  it('a bucket policy: 20 KB, 20,480 bytes', () => {
    expect(S3_BUCKET_POLICY_MAX_BYTES).toBe(20480);
  });
  it('a CORS configuration: 100 rules, 64 KB (65,536 bytes)', () => {
    expect(S3_CORS_MAX_RULES).toBe(100);
    expect(S3_CORS_CONFIGURATION_MAX_BYTES).toBe(65536);
  });
  it('the handler: 4 grant attempts, and a Reason and 5 report values that fit 4096 bytes with the IDs', () => {
    expect(GRANT_ATTEMPTS).toBe(4);
    expect(MAX_REASON_BYTES).toBeLessThanOrEqual(2000);
    // Reason, five report values, and the response's own fields (IDs up to about 1 KB) under 4096.
    expect(MAX_REASON_BYTES + 1024).toBeLessThan(4096);
    expect(MAX_DATA_VALUE_BYTES).toBe(500);
  });
});

describe('sizes are counted as S3 counts them: compact JSON, UTF-8 bytes', () => {
  it('counts a two-byte character as two', () => {
    expect(bucketPolicyBytes({ Statement: [{ Sid: 'é' }] })).toBe('{"Statement":[{"Sid":"é"}]}'.length + 1);
    expect(corsConfigurationBytes({ CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['https://é.example'] }] }))
      .toBe(JSON.stringify({ CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['https://é.example'] }] }).length + 1);
  });
  it('refuses a policy one byte over 20,480, and not one at 20,480', () => {
    const policyOf = (bytes: number) => {
      const empty = { Statement: [{ Sid: '' }] };
      const room = bytes - bucketPolicyBytes(empty);
      return { Statement: [{ Sid: 'é'.repeat(Math.floor(room / 2)) + 'x'.repeat(room % 2) }] };
    };
    expect(bucketPolicyBytes(policyOf(20480))).toBe(20480);
    expect(bucketPolicySizeProblem(policyOf(20480))).toBeUndefined();
    expect(bucketPolicySizeProblem(policyOf(20481))).toBe(
      "The bucket policy would be 20481 bytes, over S3's 20480-byte limit: use fewer key prefixes (a shorter common prefix covers several), or shorten or merge other statements.");
  });
});
