/** Runs `verify aws`: reads the bucket (fetch.ts), then every check on what was read. */
import { VerifyReport, skipped } from '../report';
import type { VerifyRuntime } from '../command';
import type { AwsVerifyOptions } from './index';

export async function verifyAws(options: AwsVerifyOptions, runtime: VerifyRuntime): Promise<VerifyReport> {
  void runtime;
  return { subject: { bucket: options.bucket }, checks: [skipped('aws.org-policies', 'not yet')] };
}
