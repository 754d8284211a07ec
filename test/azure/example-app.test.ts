import { Testing } from 'cdktf';
import { AZURE_EXAMPLE_SETTINGS, SegmentsAzureExampleStack, azureExampleConfig } from '../../bin/azure-app';
import { onlyResource, resourceTypes, resourcesOf, schemaProblems, warningsUnder } from './synth';

function exampleStack(env: NodeJS.ProcessEnv = {}) {
  return new SegmentsAzureExampleStack(Testing.app(), 'segments-azure', azureExampleConfig(env));
}

const DEFAULT_TEXT = Testing.synth(exampleStack());
const DEFAULT_JSON = JSON.parse(DEFAULT_TEXT);

describe('the Azure example stack (bin/azure-app.ts)', () => {
  it('with the safe defaults matches the snapshot', () => {
    expect(DEFAULT_TEXT).toMatchSnapshot();
  });

  it("with servicePrincipal 'create' matches the snapshot", () => {
    expect(Testing.synth(exampleStack({ SEGMENTS_AZURE_SERVICE_PRINCIPAL: 'create' }))).toMatchSnapshot();
  });

  it('uses only attributes the provider bindings define', () => {
    expect(schemaProblems(DEFAULT_JSON)).toEqual([]);
  });

  it('turns off azurerm storage data-plane calls (no data role needed, shared keys off), and pins both providers', () => {
    expect(DEFAULT_JSON.provider.azurerm).toEqual([{ features: [{ storage: [{ data_plane_available: false }] }] }]);
    expect(DEFAULT_JSON.provider.azuread).toEqual([{}]);
    expect(DEFAULT_JSON.terraform.required_providers.azurerm).toEqual({ source: expect.stringMatching(/^(hashicorp\/)?azurerm$/), version: expect.stringMatching(/^4\.\d+\.\d+$/) });
    expect(DEFAULT_JSON.terraform.required_providers.azuread).toEqual({ source: 'hashicorp/azuread', version: expect.stringMatching(/^3\.\d+\.\d+$/) });
  });

  it('needs no data plane: containers through Resource Manager, no queue or static website settings', () => {
    for (const json of [DEFAULT_JSON, JSON.parse(Testing.synth(exampleStack({ SEGMENTS_AZURE_CONTAINERS: 'images,videos' })))]) {
      const account = onlyResource(json, 'azurerm_storage_account');
      expect(account).not.toHaveProperty('queue_properties');
      expect(account).not.toHaveProperty('static_website');
      for (const container of Object.values(resourcesOf(json, 'azurerm_storage_container'))) {
        expect(container).toHaveProperty('storage_account_id');
        expect(container).not.toHaveProperty('storage_account_name');
      }
    }
  });

  it('declares the account, one container and the grant, and warns nothing by default', () => {
    const stack = exampleStack();
    expect(resourceTypes(JSON.parse(Testing.synth(stack)))).toEqual(['azurerm_role_assignment', 'azurerm_storage_account', 'azurerm_storage_container']);
    expect(warningsUnder(stack)).toEqual([]);
  });

  it('reads every setting from the environment', () => {
    const json = JSON.parse(Testing.synth(exampleStack({
      SEGMENTS_AZURE_STORAGE_ACCOUNT: 'acmelabeling',
      SEGMENTS_AZURE_RESOURCE_GROUP: 'acme-data',
      SEGMENTS_AZURE_LOCATION: 'northeurope',
      SEGMENTS_AZURE_CONTAINERS: 'images, videos',
      SEGMENTS_AZURE_SERVICE_PRINCIPAL: 'create',
      SEGMENTS_AZURE_ALLOWED_ORIGINS: 'https://app.segments.ai, https://labeling.segments.ai',
    })));
    const account = onlyResource(json, 'azurerm_storage_account');
    expect(account.name).toBe('acmelabeling');
    expect(account.resource_group_name).toBe('acme-data');
    expect(account.location).toBe('northeurope');
    expect((account.blob_properties as { cors_rule: { allowed_origins: string[] }[] }).cors_rule[0].allowed_origins).toEqual(['https://app.segments.ai', 'https://labeling.segments.ai']);
    expect(Object.values(resourcesOf(json, 'azurerm_storage_container')).map((c) => c.name)).toEqual(['images', 'videos']);
    expect(resourceTypes(json)).toContain('azuread_service_principal');
  });
});

describe('azureExampleConfig', () => {
  it('falls back to safe example values', () => {
    expect(azureExampleConfig({})).toEqual({
      storageAccountName: 'examplesegmentsdata',
      resourceGroupName: 'segments-labeling',
      location: 'westeurope',
      containerNames: ['images'],
      servicePrincipal: 'existing',
      allowedOrigins: undefined,
    });
  });

  it('prefers the environment to the context, and the context to the defaults', () => {
    const context: Record<string, string> = { segmentsAzureStorageAccount: 'fromcontext', segmentsAzureLocation: 'eastus' };
    const config = azureExampleConfig({ SEGMENTS_AZURE_STORAGE_ACCOUNT: 'fromenv' }, (key) => context[key]);
    expect(config.storageAccountName).toBe('fromenv');
    expect(config.location).toBe('eastus');
    expect(config.resourceGroupName).toBe(AZURE_EXAMPLE_SETTINGS.resourceGroupName.default);
  });

  it('treats an empty variable as unset', () => {
    expect(azureExampleConfig({ SEGMENTS_AZURE_SERVICE_PRINCIPAL: '' }).servicePrincipal).toBe('existing');
  });
});
