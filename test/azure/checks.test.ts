import { azureOriginMatches } from '../../cli/src/verify/azure/cors';
import { originProblems } from '../../lib/azure/private/checks';
import {
  azureCorsOriginMatches,
  azureContainerNameProblems,
  azureStorageAccountIdProblems,
  azureStorageAccountNameOf,
  azureStorageAccountNameProblems,
} from '../../lib/checks';
import {
  SEGMENTS_AZURE_CLIENT_ID,
  SEGMENTS_AZURE_CORS_MAX_AGE_SECONDS,
  SEGMENTS_AZURE_DEFAULT_ORIGINS,
  SEGMENTS_AZURE_ROLE_NAME,
  azureBlobUrlPrefix,
  segmentsAzureCorsRule,
} from '../../lib/segments';
import { spawnSync } from 'child_process';
import { azurermCorsRule, corsCommand, corsRuleCommand, roleAssignmentScope, shellQuote } from '../../lib/azure/private/defaults';

/**
 * The arguments a POSIX shell passes to `az` when it runs a command line, with `failglob` on so
 * that bash, like zsh's default `nomatch`, refuses an unquoted `*` that matches no file.
 */
function shellWords(commandLine: string): string[] {
  const result = spawnSync('bash', ['-c', `shopt -s failglob; az() { printf '%s\\n' "$@"; }; ${commandLine}`], { encoding: 'utf8', cwd: __dirname });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').slice(0, -1);
}

const ID = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/acme-data/providers/Microsoft.Storage/storageAccounts/acmeimages';

describe('the Azure facts of the vendor doc', () => {
  it('name the app, the role, the origin, the method and the max age', () => {
    expect(SEGMENTS_AZURE_CLIENT_ID).toBe('d47021c7-05d1-44c3-a594-93c2c30c68fc');
    expect(SEGMENTS_AZURE_ROLE_NAME).toBe('Storage Blob Data Reader');
    expect(SEGMENTS_AZURE_DEFAULT_ORIGINS).toEqual(['https://app.segments.ai']);
    expect(SEGMENTS_AZURE_CORS_MAX_AGE_SECONDS).toBe(3600);
  });

  it('give the CORS rule az storage cors add stores without header flags: empty header lists', () => {
    expect(segmentsAzureCorsRule()).toEqual({
      allowedOrigins: ['https://app.segments.ai'], allowedMethods: ['GET'], allowedHeaders: [], exposedHeaders: [], maxAgeInSeconds: 3600,
    });
  });

  it('render empty header lists as [""] for azurerm, which needs at least one item, and keep given headers', () => {
    expect(azurermCorsRule(segmentsAzureCorsRule())).toMatchObject({ allowedHeaders: [''], exposedHeaders: [''] });
    expect(azurermCorsRule({ ...segmentsAzureCorsRule(), allowedHeaders: ['*'] }).allowedHeaders).toEqual(['*']);
  });

  it('write the blob URL prefix, the role scope and the CORS command', () => {
    expect(azureBlobUrlPrefix('acmeimages')).toBe('https://acmeimages.blob.core.windows.net/');
    expect(roleAssignmentScope(ID, undefined)).toBe(ID);
    expect(roleAssignmentScope(ID, 'images')).toBe(`${ID}/blobServices/default/containers/images`);
    expect(corsCommand('acmeimages', segmentsAzureCorsRule())).toBe("az storage cors add --services b --methods GET --origins 'https://app.segments.ai' --max-age 3600 --account-name 'acmeimages'");
    expect(corsRuleCommand('acmeimages', 'acme-data', segmentsAzureCorsRule())).toBe(
      "az storage account blob-service-properties cors-rule add --account-name 'acmeimages' --resource-group 'acme-data' --allowed-origins 'https://app.segments.ai' --allowed-methods GET --max-age 3600",
    );
  });

  it('quote every origin, so a shell passes a wildcard origin to az as written', () => {
    const rule = segmentsAzureCorsRule(['https://*.segments.ai', 'https://segments.ai']);
    expect(shellWords(corsCommand('acmeimages', rule))).toEqual([
      'storage', 'cors', 'add', '--services', 'b', '--methods', 'GET', '--origins', 'https://*.segments.ai', 'https://segments.ai', '--max-age', '3600', '--account-name', 'acmeimages',
    ]);
    expect(shellWords(corsRuleCommand('acmeimages', 'acme-data', rule))).toEqual([
      'storage', 'account', 'blob-service-properties', 'cors-rule', 'add', '--account-name', 'acmeimages', '--resource-group', 'acme-data',
      '--allowed-origins', 'https://*.segments.ai', 'https://segments.ai', '--allowed-methods', 'GET', '--max-age', '3600',
    ]);
    expect(shellWords(`az ${shellQuote("it's *")}`)).toEqual(["it's *"]);
  });
});

describe('azureStorageAccountNameProblems', () => {
  it.each(['abc', 'acmeimages', '123', 'a'.repeat(24)])('accepts %s', (name) => {
    expect(azureStorageAccountNameProblems('name', name)).toEqual([]);
  });

  it.each(['ab', 'a'.repeat(25), 'acme-images', 'acme_images', 'AcmeImages', 'acme.images', ''])('refuses %j, naming the prop', (name) => {
    expect(azureStorageAccountNameProblems('name', name)).toEqual([expect.stringMatching(/^name \(.*\) must be 3 to 24 lowercase letters and digits/)]);
  });
});

describe('azureContainerNameProblems', () => {
  it.each(['abc', 'images', 'point-clouds', '2026-images', 'a'.repeat(63)])('accepts %s', (name) => {
    expect(azureContainerNameProblems('containerName', name)).toEqual([]);
  });

  it.each(['ab', 'a'.repeat(64), 'Images', '-images', 'images-', 'point--clouds', 'point_clouds', '$root', '$logs'])('refuses %j', (name) => {
    expect(azureContainerNameProblems('containerName', name).length).toBeGreaterThan(0);
  });
});

describe('azureContainerNameProblems suggestions', () => {
  it.each([['raw_data', 'raw-data'], ['Raw Data', 'raw-data'], ['images.2026', 'images-2026'], ['_raw__data_', 'raw-data'], ['Images', 'images']])(
    'suggests a name for %j that passes the check: %j', (name, suggestion) => {
      expect(azureContainerNameProblems('containerName', name).join('\n')).toContain(`Try '${suggestion}'.`);
      expect(azureContainerNameProblems('containerName', suggestion)).toEqual([]);
    });

  it.each(['a_', 'x'.repeat(62) + '__y', '$web', 'a__'])('suggests nothing for %j when the fix would not pass the check', (name) => {
    expect(azureContainerNameProblems('containerName', name).join('\n')).not.toMatch(/try '/i);
  });
});

describe('azureStorageAccountIdProblems', () => {
  it('accepts an ARM storage account ID, and reads the name from it', () => {
    expect(azureStorageAccountIdProblems('storageAccountId', ID)).toEqual([]);
    expect(azureStorageAccountNameOf(ID)).toBe('acmeimages');
  });

  it.each([
    ['a name', 'acmeimages', /looks like an account name/],
    ['a trailing slash', `${ID}/`, /is not the ARM ID/],
    ['a subscription that is not a GUID', ID.replace('00000000-1111-2222-3333-444444444444', 'acme'), /is not the ARM ID/],
    ['another provider', ID.replace('Microsoft.Storage/storageAccounts', 'Microsoft.Compute/disks'), /is not the ARM ID/],
    ['a container ID', `${ID}/blobServices/default/containers/images`, /is a container's ID/],
    ['a portal URL', `https://portal.azure.com/#@acme/resource${ID}`, /is not the ARM ID/],
  ])('refuses %s', (_what, id, message) => {
    expect(azureStorageAccountIdProblems('storageAccountId', id)).toEqual([expect.stringMatching(message)]);
    expect(azureStorageAccountNameOf(id)).toBeUndefined();
  });
});

describe('one rule for Azure CORS origins: the constructs refuse what verify azure would not match', () => {
  // Microsoft's CorsRule.AllowedOrigins: "the origin must be an exact case-sensitive match with the origin that the user agent
  // sends to the service. You can also use the wildcard character '*' to allow all origin domains."
  // https://learn.microsoft.com/rest/api/storageservices/cross-origin-resource-sharing--cors--support-for-the-azure-storage-services
  const browserOrigins = ['https://app.segments.ai', 'https://segments.ai', 'https://labeling.segments.ai'];
  it('matches an origin exactly and case-sensitively, or a lone *', () => {
    expect(azureCorsOriginMatches('https://app.segments.ai', 'https://app.segments.ai')).toBe(true);
    expect(azureCorsOriginMatches('*', 'https://evil.example')).toBe(true);
    expect(azureCorsOriginMatches('https://APP.segments.ai', 'https://app.segments.ai')).toBe(false);
    expect(azureCorsOriginMatches('https://*.segments.ai', 'https://app.segments.ai')).toBe(false);
    expect(azureCorsOriginMatches('https://app.segments.ai', '*')).toBe(false);
  });
  it.each(['https://*.segments.ai', 'https://*segments.ai', 'https://app.*.ai'])('%s: matches no browser origin, and allowedOrigins refuses it', (pattern) => {
    expect(browserOrigins.filter((origin) => azureCorsOriginMatches(pattern, origin))).toEqual([]);
    expect(originProblems([pattern])).toEqual([expect.stringMatching(/^allowedOrigins\[0\] .* contains '\*': Azure matches an allowed origin exactly/)]);
  });
  it('every origin allowedOrigins accepts matches the browser that sends it', () => {
    for (const origin of [...browserOrigins, 'https://app.segments.ai:8443']) {
      expect(originProblems([origin])).toEqual([]);
      expect(azureCorsOriginMatches(origin, origin)).toBe(true);
    }
  });
  it('a lone * is refused as every website, with a full host as the example (not a pattern Azure would not match)', () => {
    expect(originProblems(['*'])).toEqual([expect.stringContaining("list Segments' origins instead, such as 'https://app.segments.ai'")]);
  });
  it('verify azure judges rules by the same function', () => {
    expect(azureOriginMatches).toBe(azureCorsOriginMatches);
  });
});
