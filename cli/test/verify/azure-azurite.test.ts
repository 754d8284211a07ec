/**
 * `verify azure` against Azurite, a real blob service: the CORS rule SegmentsAzureStorageAccount
 * synthesizes (read from the synthesized stack), applied to Azurite, passes azure.blob and loads
 * images (azure.cors and azure.preflight warn: its empty allowed headers refuse a preflight naming
 * Range, which Azurite answers 403, as the browser tier saw); a rule for another origin fails azure.cors and azure.preflight;
 * an archived blob fails azure.blob. Locally without Azurite the tier is skipped (one line); under
 * CI=true it fails.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { SegmentsAzureStorageAccount } from '../../../lib/azure';
import { onlyResource, synthWith } from '../../../test/azure/synth';
import { verifyAzure, defaultAzureDeps } from '../../src/verify/azure/run';
import { exitCodeOf } from '../../src/verify/report';
import { Azurite, azuriteBlobMain, startAzurite } from './azurite';

const main = azuriteBlobMain();

/** The blob service CORS rule of the synthesized account, as azurerm's `cors_rule` writes it. */
function synthesizedCorsRule() {
  const { json } = synthWith((scope) => new SegmentsAzureStorageAccount(scope, 'Data', { name: 'acmesegmentsdata', resourceGroupName: 'acme', location: 'westeurope' }));
  const account = onlyResource(json, 'azurerm_storage_account') as { blob_properties: { cors_rule: { allowed_origins: string[]; allowed_methods: string[]; allowed_headers: string[]; exposed_headers: string[]; max_age_in_seconds: number }[] } };
  const [rule] = account.blob_properties.cors_rule;
  return {
    allowedOrigins: rule.allowed_origins.join(','),
    allowedMethods: rule.allowed_methods.join(','),
    allowedHeaders: rule.allowed_headers.join(','),
    exposedHeaders: rule.exposed_headers.join(','),
    maxAgeInSeconds: rule.max_age_in_seconds,
  };
}

if (main === undefined && process.env.CI !== 'true') {
  it.skip('Azurite tier skipped: the azurite package is not installed (npm ci installs it)', () => undefined);
} else {
  describe('verify azure against Azurite', () => {
    let azurite: Azurite;
    let service: BlobServiceClient;
    beforeAll(async () => {
      if (main === undefined) {
        throw new Error('CI=true and the azurite package is not installed: the Azurite tier cannot run.');
      }
      azurite = await startAzurite(main);
      service = BlobServiceClient.fromConnectionString(azurite.connectionString);
      const container = service.getContainerClient('images');
      await container.create();
      await container.getBlockBlobClient('cat.jpg').upload('not really a jpeg', 17);
      await container.getBlockBlobClient('old/cat.jpg').upload('archived', 8);
      await container.getBlockBlobClient('old/cat.jpg').setAccessTier('Archive');
    });
    afterAll(async () => {
      await azurite?.stop();
    });

    async function verify(blobs: string[]) {
      const options = { account: 'devstoreaccount1', blobs, origins: ['https://app.segments.ai'] };
      return verifyAzure(options, { offline: false }, defaultAzureDeps(options, { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString }));
    }
    const results = (report: Awaited<ReturnType<typeof verify>>) => Object.fromEntries(report.checks.map((c) => [c.id, c.result]));

    it('the rule SegmentsAzureStorageAccount synthesizes loads images: azure.blob passes, a Range preflight is refused (warn); the role unread is exit 3', async () => {
      const rule = synthesizedCorsRule();
      expect(rule.allowedOrigins).toBe('https://app.segments.ai');
      await service.setProperties({ cors: [rule] });
      const report = await verify(['images/cat.jpg']);
      expect(results(report)).toEqual({
        'azure.service-principal': 'not-checked',
        'azure.role': 'not-checked',
        'azure.network': 'not-checked',
        'azure.cors': 'warn',
        'azure.blob': 'pass',
        'azure.preflight': 'warn',
      });
      expect(report.checks.find((c) => c.id === 'azure.preflight')?.detail).toContain('Access-Control-Request-Headers: range answered 403');
      // A connection string reads no role: Segments' grant is not established, so never exit 0.
      expect(exitCodeOf(report.checks)).toBe(3);
    });

    it('the rule with Range allowed passes azure.cors and azure.preflight', async () => {
      await service.setProperties({ cors: [{ ...synthesizedCorsRule(), allowedHeaders: 'range' }] });
      const report = await verify(['images/cat.jpg']);
      expect(results(report)).toMatchObject({ 'azure.cors': 'pass', 'azure.preflight': 'pass' });
    });

    it('a rule for another origin fails azure.cors and azure.preflight', async () => {
      await service.setProperties({ cors: [{ ...synthesizedCorsRule(), allowedOrigins: 'https://example.com' }] });
      const report = await verify(['images/cat.jpg']);
      expect(results(report)).toMatchObject({ 'azure.cors': 'fail', 'azure.preflight': 'fail', 'azure.blob': 'pass' });
      expect(exitCodeOf(report.checks)).toBe(1);
    });

    it('an archived blob fails azure.blob; a missing one too', async () => {
      await service.setProperties({ cors: [synthesizedCorsRule()] });
      const report = await verify(['images/old/cat.jpg', 'images/nope.jpg']);
      const blobs = report.checks.filter((c) => c.id === 'azure.blob');
      expect(blobs.map((c) => [c.target, c.result])).toEqual([['images/old/cat.jpg', 'fail'], ['images/nope.jpg', 'fail']]);
      expect(blobs[0].detail).toContain('Archive tier');
    });
  });
}
