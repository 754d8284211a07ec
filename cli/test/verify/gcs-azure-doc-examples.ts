/**
 * The configurations docs/cli.md's `verify gcs` and `verify azure` examples describe, read through
 * fakes of the SDK edge; gcs-azure-docs.test.ts renders them and compares with the doc.
 */
import { AzureManagement, AzureData } from '../../src/verify/azure/fetch';
import { verifyAzure } from '../../src/verify/azure/run';
import { GcsBucketClient } from '../../src/verify/gcs/fetch';
import { verifyGcs } from '../../src/verify/gcs/run';
import { PreflightAnswer } from '../../src/verify/preflight-answer';
import { VerifyReport } from '../../src/verify/report';

const SA = 'segments-reader@segments-prod.iam.gserviceaccount.com';

/** A bucket with the copied vendor doc's CORS entry, a custom role bound on the bucket, a caller who may not use the troubleshooter. */
export async function gcsExample(): Promise<VerifyReport> {
  const bucket: GcsBucketClient = {
    getMetadata: async () => [{
      name: 'acme-images', projectNumber: '123456789012', iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
      cors: [{ origin: ['https://*.segments.ai'], method: ['GET'], responseHeader: [], maxAgeSeconds: 3600 }],
    }],
    iam: { getPolicy: async () => [{ version: 3, bindings: [{ role: 'projects/acme/roles/segmentsObjectReader', members: [`serviceAccount:${SA}`] }] }] },
    file: () => ({ getMetadata: async () => [{ size: '48213', contentType: 'image/jpeg' }] }),
  };
  const refused = (message: string) => Promise.reject(Object.assign(new Error(message), { status: 403 }));
  return verifyGcs({ bucket: 'acme-images', serviceAccount: SA, keys: ['images/cat.jpg'], origins: ['https://app.segments.ai', 'https://segments.ai'] }, { offline: false }, {
    bucket,
    gcpCall: async (url) => {
      if (url.includes('policytroubleshooter')) {
        return refused('Policy Troubleshooter API has not been used in project 123456789012 before or it is disabled.');
      }
      if (url.includes('cloudresourcemanager')) {
        return { version: 3, bindings: [{ role: 'roles/owner', members: ['user:admin@acme.example'] }] };
      }
      if (url.includes('orgpolicy')) {
        return refused("Permission 'orgpolicy.policy.get' denied");
      }
      return { name: 'projects/acme/roles/segmentsObjectReader', includedPermissions: ['storage.objects.get'] };
    },
    publicEndpoint: 'https://storage.googleapis.com',
    preflight: async (): Promise<PreflightAnswer> => ({ status: 200, headers: {} }),
  });
}

/** A role assigned on one container, the vendor's CORS rule, one archived blob. */
export async function azureExample(): Promise<VerifyReport> {
  const sp = '5f1c2a9e-8d3b-4c71-9a0e-2b6f4d8e1c37';
  const account = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/acme-data/providers/Microsoft.Storage/storageAccounts/acmeimages';
  const reader = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';
  const management: AzureManagement = {
    servicePrincipal: async () => ({ value: { id: sp, displayName: 'Segments.ai Blob Link Service app', accountEnabled: true } }),
    findAccount: async () => ({ value: { id: account, name: 'acmeimages', resourceGroup: 'acme-data', publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Allow' } } }),
    roleAssignments: async () => ({ value: [{ scope: `${account}/blobServices/default/containers/images`, principalId: sp, principalType: 'ServicePrincipal', roleDefinitionId: reader }] }),
    roleDefinition: async (id) => ({ value: { id, roleName: 'Storage Blob Data Reader', permissions: [{
      actions: ['Microsoft.Storage/storageAccounts/blobServices/containers/read', 'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action'],
      dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
    }] } }),
    denyAssignments: async () => ({ value: [] }),
    corsRules: async () => ({ value: [{ allowedOrigins: ['https://app.segments.ai'], allowedMethods: ['GET'], allowedHeaders: [], exposedHeaders: [], maxAgeInSeconds: 3600 }] }),
  };
  const data: AzureData = {
    corsRules: async () => ({ value: [] }),
    blobProperties: async (blob) => blob === 'images/old/cat.jpg'
      ? { value: { accessTier: 'Archive', contentLength: 48213, contentType: 'image/jpeg' } }
      : { value: { accessTier: 'Hot', contentLength: 48213, contentType: 'image/jpeg' } },
    blobUrl: (blob) => `https://acmeimages.blob.core.windows.net/${blob}`,
  };
  return verifyAzure({ account: 'acmeimages', container: 'images', blobs: ['images/cat.jpg', 'images/old/cat.jpg'], origins: ['https://app.segments.ai'] }, { offline: false }, {
    management, data,
    // Azure with the vendor's rule: the plain preflight is answered, the one naming range refused (403).
    preflight: async (_url, origin, headers): Promise<PreflightAnswer> => headers.length === 0
      ? { status: 200, headers: { 'access-control-allow-origin': origin, 'access-control-allow-methods': 'GET' } }
      : { status: 403, headers: {} as Record<string, string> },
  });
}

