import { Construct } from 'constructs';
import { Fn, TerraformOutput } from 'cdktf';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import {
  SEGMENTS_AZURE_CLIENT_ID,
  SEGMENTS_AZURE_DEFAULT_ORIGINS,
  SEGMENTS_AZURE_ROLE_NAME,
  segmentsAzureCorsRule,
} from '../segments';
import { azureStorageAccountNameOf, formatProblems } from '../checks';
import { knownProps, unknownPropProblems } from '../checks/known-props';
import { refusalError } from '../checks/refusal';
import { accessProblems, isLiteral, originProblems } from './private/checks';
import {
  ADOPTED_SERVICE_PRINCIPAL_IGNORED_ATTRIBUTES,
  CORS_RULE_COMMAND_MIN_AZURE_CLI,
  PRINCIPAL_TYPE,
  ROLE_ASSIGNMENT_DESCRIPTION,
  SERVICE_PRINCIPAL_COMMAND,
  corsCommand,
  corsRuleCommand,
  roleAssignmentScope,
} from './private/defaults';
import {
  duplicateGrantProblem, duplicateTokenGrantProblems, existingGrant, grantKey, grantScopeText, recordGrant, recordTokenGrant,
} from './private/role-assignment-registry';
import { createdServicePrincipal, recordCreatedServicePrincipal } from './private/service-principal-registry';
import { AzureWarning, warn } from './private/warnings';

/**
 * How the construct finds Segments' service principal in your tenant.
 * - `'existing'`: look it up (`data "azuread_service_principal"` by `client_id`); run
 *   `az ad sp create --id d47021c7-05d1-44c3-a594-93c2c30c68fc` once per tenant first.
 * - `'create'`: declare it (`azuread_service_principal` with `use_existing = true`), with
 *   `prevent_destroy`: destroying it would remove Segments from every storage account in the tenant.
 *   An existing principal is adopted without touching what admins set on it (enabled or not,
 *   assignment required, description, notes, notification emails, tags): those are in
 *   `ignore_changes`.
 */
export type SegmentsAzureServicePrincipal = 'existing' | 'create';

/** Where the role is assigned: the whole storage account (the vendor doc's step) or one container. */
export type SegmentsAzureAccessScope = 'account' | 'container';

/** Properties of a {@link SegmentsAzureAccess}. */
export interface SegmentsAzureAccessProps {
  /**
   * The ARM ID of the storage account to grant Segments read access on
   * (`/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Storage/storageAccounts/<name>`).
   * A token such as `storageAccount.id` is fine.
   */
  readonly storageAccountId: string;

  /**
   * Whether Segments' service principal already exists in the tenant (`'existing'`, looked up) or
   * this app declares it (`'create'`, with a warning and `prevent_destroy`).
   * @default 'existing'
   */
  readonly servicePrincipal?: SegmentsAzureServicePrincipal;

  /**
   * Where `Storage Blob Data Reader` is assigned. `'container'` narrows the grant to
   * `containerName`; Segments may need account scope to sign URLs (a user delegation key is
   * account-level): confirm with Segments first.
   * @default 'account'
   */
  readonly scope?: SegmentsAzureAccessScope;

  /**
   * The container to grant on when `scope` is `'container'` (required then, refused otherwise).
   * @default - none: the grant covers the account
   */
  readonly containerName?: string;

  /**
   * The origins of Segments' web app, for the CORS command, each a full host: Azure matches an
   * origin exactly, so a subdomain pattern (`https://*.segments.ai`) is refused.
   * @default ['https://app.segments.ai']
   */
  readonly allowedOrigins?: string[];

  /**
   * Whether to output the commands that set Segments' CORS rule on the account: the vendor doc's
   * `az storage cors add` (account key) and the Resource Manager form
   * `az storage account blob-service-properties cors-rule add` (for accounts with shared keys
   * off). azurerm has no separate blob-properties resource, so Terraform can only set CORS on an
   * account it manages; for any other account these outputs are the way. Turn it off when this
   * app declares the account with the rule (`SegmentsAzureStorageAccount` does).
   * @default true
   */
  readonly emitCorsInstructions?: boolean;
}

/** Every prop of {@link SegmentsAzureAccessProps}: unknown ones are refused. */
const SEGMENTS_AZURE_ACCESS_PROPS = knownProps<SegmentsAzureAccessProps>({
  storageAccountId: true, servicePrincipal: true, scope: true, containerName: true, allowedOrigins: true, emitCorsInstructions: true,
});

/**
 * Grants Segments.ai's Entra ID application read access to the blobs of one storage account,
 * whether this app manages the account or not, as Segments' Cloud integrations doc describes.
 *
 * Declares one `azurerm_role_assignment` of `Storage Blob Data Reader` to Segments' service
 * principal (`principal_type = "ServicePrincipal"`, so a freshly created principal does not fail
 * to replicate) on the account or one container. A role assignment is additive: nothing here can
 * remove anyone else's access. Outputs the `az ad sp create` command (when the principal is looked
 * up and no construct of the stack declares it) and two CORS commands (see `emitCorsInstructions`).
 * Refuses a second grant on the same account (and container) in the app, whether named by a
 * literal ID or by a token (`storageAccount.id` given twice, compared at synth, within a stack):
 * Azure would answer the second with 409 RoleAssignmentExists.
 */
export class SegmentsAzureAccess extends Construct {
  /** The declared service principal; undefined unless `servicePrincipal` is `'create'`. */
  public readonly servicePrincipal?: ServicePrincipal;

  /** The service principal lookup; undefined when `servicePrincipal` is `'create'`. */
  public readonly servicePrincipalLookup?: DataAzureadServicePrincipal;

  /** The object ID of Segments' service principal in this tenant (a token). */
  public readonly principalObjectId: string;

  /** The role assignment. */
  public readonly roleAssignment: RoleAssignment;

  /** The name of the storage account (a Terraform expression when `storageAccountId` is a token). */
  public get storageAccountName(): string {
    // Made on first use: each Terraform function call captures a stack trace in cdktf, which a
    // SegmentsAzureStorageAccount (no CORS outputs, literal name of its own) would pay for nothing.
    this.storageAccountNameValue ??= isLiteral(this.storageAccountId)
      ? azureStorageAccountNameOf(this.storageAccountId)!
      : armIdSegment(this.storageAccountId, 8);
    return this.storageAccountNameValue;
  }

  private readonly storageAccountId: string;
  private storageAccountNameValue?: string;

  /** The `az ad sp create` command; undefined when `servicePrincipal` is `'create'`. */
  public readonly servicePrincipalCommandOutput?: TerraformOutput;

  /** The `az storage cors add` command; undefined when `emitCorsInstructions` is false. */
  public readonly corsCommandOutput?: TerraformOutput;

  /**
   * The `az storage account blob-service-properties cors-rule add` command (Resource Manager, no
   * account key); undefined when `emitCorsInstructions` is false.
   */
  public readonly corsRuleCommandOutput?: TerraformOutput;

  constructor(scope: Construct, id: string, props: SegmentsAzureAccessProps) {
    super(scope, id);

    const mode = props.servicePrincipal ?? 'existing';
    const emitCorsInstructions = props.emitCorsInstructions ?? true;
    const problems = [...unknownPropProblems(props, SEGMENTS_AZURE_ACCESS_PROPS), ...accessProblems(props), ...originProblems(props.allowedOrigins)];
    if (!emitCorsInstructions && props.allowedOrigins !== undefined) {
      problems.push(`allowedOrigins is set but emitCorsInstructions is false: the origins are only used by the CORS command; set the CORS rule where the account is declared and remove allowedOrigins.`);
    }
    const alreadyCreated = createdServicePrincipal(this);
    if (mode === 'create' && alreadyCreated !== undefined) {
      problems.push(`servicePrincipal is 'create' but '${alreadyCreated.node.scope!.node.path}' already declares Segments' service principal in this stack, and a tenant has one per application: use servicePrincipal 'existing' here (it waits for the declared one).`);
    }
    const grantScope = props.scope ?? 'account';
    const grantedContainer = grantScope === 'container' ? props.containerName : undefined;
    const literalAccountName = problems.length === 0 && isLiteral(props.storageAccountId) ? azureStorageAccountNameOf(props.storageAccountId) : undefined;
    const literalGrant = literalAccountName !== undefined && (grantedContainer === undefined || isLiteral(grantedContainer));
    if (literalGrant) {
      const other = existingGrant(this, grantKey(literalAccountName, grantedContainer));
      if (other !== undefined) {
        problems.push(duplicateGrantProblem(this.node.path, other, grantScopeText(literalAccountName, grantedContainer)));
      }
    }
    if (problems.length > 0) {
      throw refusalError(this.node.path, 'SegmentsAzureAccess', problems);
    }
    if (literalGrant) {
      recordGrant(this, grantKey(literalAccountName, grantedContainer), this.node.path);
    } else {
      // A token ID (`storageAccount.id`, read anew each time) is compared at synth, resolved: the
      // same account's ID given to two constructs resolves to the same Terraform expression.
      recordTokenGrant(this, props.storageAccountId, grantedContainer);
      this.node.addValidation({ validate: () => duplicateTokenGrantProblems(this).map((problem) => formatProblems('SegmentsAzureAccess', [problem])) });
    }

    if (mode === 'create') {
      this.servicePrincipal = new ServicePrincipal(this, 'ServicePrincipal', {
        clientId: SEGMENTS_AZURE_CLIENT_ID,
        useExisting: true,
        lifecycle: { preventDestroy: true, ignoreChanges: [...ADOPTED_SERVICE_PRINCIPAL_IGNORED_ATTRIBUTES] },
      });
      recordCreatedServicePrincipal(this, this.servicePrincipal);
      this.principalObjectId = this.servicePrincipal.objectId;
      warn(this, AzureWarning.CREATED_SERVICE_PRINCIPAL, `servicePrincipal is 'create': this stack now owns Segments' service principal (app ${SEGMENTS_AZURE_CLIENT_ID}) for the whole tenant. Destroying it removes Segments' access to every storage account in the tenant, so it has prevent_destroy; to stop managing it, remove it from the state ('terraform state rm') instead of destroying it. Adopting an existing principal (use_existing) changes nothing admins set on it: ${ADOPTED_SERVICE_PRINCIPAL_IGNORED_ATTRIBUTES.join(', ')} are in ignore_changes, so a principal disabled to cut Segments off stays disabled.`);
    } else {
      this.servicePrincipalLookup = new DataAzureadServicePrincipal(this, 'ServicePrincipal', {
        clientId: SEGMENTS_AZURE_CLIENT_ID,
        dependsOn: alreadyCreated === undefined ? undefined : [alreadyCreated],
      });
      this.principalObjectId = this.servicePrincipalLookup.objectId;
      // When this stack declares the principal, the lookup waits for it: no command to run.
      if (alreadyCreated === undefined) {
        this.servicePrincipalCommandOutput = new TerraformOutput(this, 'ServicePrincipalCommand', {
          description: "Installs Segments' app in your tenant: run it once per tenant, before the first apply (the service principal lookup fails until then).",
          value: SERVICE_PRINCIPAL_COMMAND,
        });
      }
    }

    if (grantScope === 'container') {
      const which = isLiteral(props.containerName) ? `container '${props.containerName}'` : 'one container (its name is a value known at apply)';
      warn(this, AzureWarning.CONTAINER_SCOPE, `scope is 'container': Segments can read ${which} only. Segments may need account scope to sign URLs (a user delegation key is account-level): confirm with Segments before relying on it.`);
    }
    this.roleAssignment = new RoleAssignment(this, 'BlobDataReader', {
      scope: roleAssignmentScope(props.storageAccountId, grantedContainer),
      roleDefinitionName: SEGMENTS_AZURE_ROLE_NAME,
      principalId: this.principalObjectId,
      principalType: PRINCIPAL_TYPE,
      description: ROLE_ASSIGNMENT_DESCRIPTION,
    });

    // The account name is the last segment of its ARM ID, the resource group the fifth
    // (/subscriptions/<s>/resourceGroups/<group>/providers/Microsoft.Storage/storageAccounts/<name>):
    // known now for a literal ID, or a Terraform expression over the token.
    this.storageAccountId = props.storageAccountId;

    if (emitCorsInstructions) {
      const resourceGroupName = armIdSegment(props.storageAccountId, 4);
      const rule = segmentsAzureCorsRule(props.allowedOrigins ?? SEGMENTS_AZURE_DEFAULT_ORIGINS);
      this.corsCommandOutput = new TerraformOutput(this, 'CorsCommand', {
        description: "Adds Segments' CORS rule to the account's blob service: run it once. Terraform cannot set CORS on an account it does not manage.",
        value: corsCommand(this.storageAccountName, rule),
      });
      this.corsRuleCommandOutput = new TerraformOutput(this, 'CorsRuleCommand', {
        description: `The same CORS rule through Resource Manager, without an account key: use it instead of CorsCommand when the account has shared keys off (CorsCommand then fails with KeyBasedAuthenticationNotPermitted). Run it once. Needs azure-cli ${CORS_RULE_COMMAND_MIN_AZURE_CLI} or later ('az version'): an older one, such as Debian 12's 2.45, answers "'cors-rule' is misspelled or not recognized"; upgrade it, or run CorsCommand on an account with shared keys.`,
        value: corsRuleCommand(this.storageAccountName, resourceGroupName, rule),
      });
    }
  }
}

/**
 * Segment `index` of an ARM ID split on '/' (4: the resource group, 8: the storage account name in
 * /subscriptions/<s>/resourceGroups/<group>/providers/Microsoft.Storage/storageAccounts/<name>):
 * known now for a literal ID, or a Terraform expression over the token.
 */
function armIdSegment(id: string, index: number): string {
  return isLiteral(id) ? id.split('/')[index] : Fn.element(Fn.split('/', id), index);
}
