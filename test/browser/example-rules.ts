/**
 * The CORS rules the browser judges, read from what the example apps synthesize: bin/aws-app.ts
 * run as `cdk synth` runs it (aws-cdk-lib writes cdk.out), and bin/cdktf-app.ts as `cdktf synth`
 * runs it (cdktf writes cdktf.out). Nothing here restates a rule, so a change to a construct or to
 * an example app is what the browser sees.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import type { BlobCorsRule } from './azurite';
import type { S3CorsRuleJson } from '../../lib';

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** An S3 CORS rule as the S3 API takes it (PutBucketCors): the library's own type. */
export type S3CorsRule = S3CorsRuleJson;

/** What the tier needs from the AWS example: the bucket's CORS rules. */
export interface AwsExample {
  /** The CORS rules of LabelingDataStack's bucket, in the template's order. */
  readonly corsRules: S3CorsRule[];
}

/** What the tier needs from the Azure example: the account, a container and the blob CORS rules. */
export interface AzureExample {
  readonly storageAccountName: string;
  readonly containerName: string;
  readonly corsRules: BlobCorsRule[];
}

async function runApp(app: string, env: Record<string, string>): Promise<void> {
  await promisify(execFile)(TSX, [path.join(ROOT, app)], { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
}

/**
 * Runs bin/aws-app.ts with cdk.json's context (as the CDK CLI passes it, CDK_CONTEXT_JSON) into
 * `outdir`, and reads LabelingDataStack's bucket from the template.
 */
export async function synthesizeAwsExample(outdir: string): Promise<AwsExample> {
  const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
  await runApp('bin/aws-app.ts', { CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) });
  const template = JSON.parse(fs.readFileSync(path.join(outdir, 'LabelingDataStack.template.json'), 'utf8'));
  const buckets = Object.values(template.Resources as Record<string, { Type: string; Properties?: any }>)
    .filter((resource) => resource.Type === 'AWS::S3::Bucket');
  if (buckets.length !== 1) {
    throw new Error(`synthesizeAwsExample: LabelingDataStack has ${buckets.length} buckets, expected 1`);
  }
  const rules: any[] = buckets[0].Properties?.CorsConfiguration?.CorsRules ?? [];
  // CloudFormation's casing (AWS::S3::Bucket CorsRule) to the S3 API's.
  return {
    corsRules: rules.map((rule) => ({
      ID: rule.Id,
      AllowedHeaders: rule.AllowedHeaders,
      AllowedMethods: rule.AllowedMethods,
      AllowedOrigins: rule.AllowedOrigins,
      ExposeHeaders: rule.ExposedHeaders,
      MaxAgeSeconds: rule.MaxAge,
    })),
  };
}

/**
 * Runs bin/cdktf-app.ts (the Google and the Azure example stacks) into `outdir`, and reads the Azure
 * stack's storage account and first container from cdktf.out's `stacks/segments-azure/cdk.tf.json`.
 */
export async function synthesizeAzureExample(outdir: string): Promise<AzureExample> {
  await runApp('bin/cdktf-app.ts', { CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' });
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'segments-azure', 'cdk.tf.json'), 'utf8'));
  const accounts = Object.values(json.resource?.azurerm_storage_account ?? {}) as any[];
  const containers = Object.values(json.resource?.azurerm_storage_container ?? {}) as any[];
  if (accounts.length !== 1 || containers.length === 0) {
    throw new Error(`synthesizeAzureExample: segments-azure has ${accounts.length} storage accounts and ${containers.length} containers, expected 1 and at least 1`);
  }
  const rules: any[] = accounts[0].blob_properties?.cors_rule ?? [];
  // azurerm's lists to the Blob REST API's comma-separated values (azurerm joins them the same way).
  return {
    storageAccountName: accounts[0].name,
    containerName: containers[0].name,
    corsRules: rules.map((rule) => ({
      allowedOrigins: rule.allowed_origins.join(','),
      allowedMethods: rule.allowed_methods.join(','),
      allowedHeaders: rule.allowed_headers.join(','),
      exposedHeaders: rule.exposed_headers.join(','),
      maxAgeInSeconds: rule.max_age_in_seconds,
    })),
  };
}
