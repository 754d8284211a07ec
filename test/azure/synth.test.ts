import { documentedAttributes, requiredAttributes, schemaProblems } from './synth';

describe('the schema check of the Azure test helpers can fail', () => {
  it('knows the arguments of the azurerm and azuread types from the bindings', () => {
    const account = documentedAttributes('azurerm_storage_account');
    for (const name of ['blob_properties', 'cors_rule', 'allowed_headers', 'exposed_headers', 'max_age_in_seconds', 'shared_access_key_enabled', 'container_delete_retention_policy']) {
      expect(account.has(name)).toBe(true);
    }
    expect(requiredAttributes('azurerm_storage_account').sort()).toEqual(['account_replication_type', 'account_tier', 'location', 'name', 'resource_group_name']);
    expect(requiredAttributes('azurerm_role_assignment').sort()).toEqual(['principal_id', 'scope']);
    expect(requiredAttributes('azurerm_storage_container')).toEqual(['name']);
    expect(requiredAttributes('azuread_service_principal')).toEqual(['client_id']);
    expect(documentedAttributes('azuread_service_principal', 'data').has('client_id')).toBe(true);
    expect(documentedAttributes('azuread_service_principal', 'data').has('use_existing')).toBe(false);
  });

  it('reports a misspelt nested attribute, a missing required argument and an unknown type', () => {
    expect(schemaProblems({
      resource: {
        azurerm_storage_account: { A: { name: 'acme', resource_group_name: 'rg', location: 'westeurope', account_tier: 'Standard', blob_properties: { cors_rule: [{ max_age: 1 }] } } },
        azurerm_storage_blob_properties: { X: {} },
      },
      data: { azuread_service_principal: { D: { application_id: 'x' } } },
    })).toEqual([
      'azurerm_storage_account.A.blob_properties.cors_rule[0].max_age: not an attribute of azurerm_storage_account',
      'azurerm_storage_account.A: required argument account_replication_type is missing',
      'azurerm_storage_blob_properties: no binding documents it',
      'data.azuread_service_principal.D.application_id: not an attribute of data.azuread_service_principal',
    ]);
  });
});
