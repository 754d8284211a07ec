import { createHash } from 'crypto';
import {
  Annotations,
  Aws,
  CfnOutput,
  CustomResource,
  CustomResourceProvider,
  type CustomResourceProviderProps,
  type CustomResourceProviderRuntime,
  CfnResource,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
} from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { findHandlerDirectory } from './handler-directory';
import {
  type ImportedBucketAccessProperties,
  ImportedBucketAccessAttributes,
  SEGMENTS_IMPORTED_BUCKET_ACCESS_RESOURCE_TYPE,
} from './resource-properties';
import { SEGMENTS_AWS_PRINCIPAL_ARN, SEGMENTS_DEFAULT_ORIGINS } from '../../segments';
import { s3BucketNameProblems } from '../../checks/s3-names';
import { originProblems, prefixProblems, segmentsAccessInputProblems } from '../private/access-input';
import { throwProblems } from '../private/errors';
import { type RenderedTemplate, RenderedTemplateCheck, renderedTemplateUnavailable } from '../private/rendered-template-check';
import { SeparateBucketPolicyCheck } from '../private/separate-bucket-policy-check';
import { knownProps, unknownPropProblems } from '../../checks/known-props';
import { SegmentsAccessWarnings } from '../segments-access';
import { type SegmentsAccessMonitorOptions, monitorOptionsOf, monitorPropProblems } from '../private/monitor-options';
import type { SegmentsAccessMonitor } from '../segments-access-monitor';
import { segmentsAccessMonitorClass } from '../private/lazy-monitor';
import { segmentsKeyDecryptStatement } from '../segments-statements';

export { ImportedBucketAccessAttributes, SEGMENTS_IMPORTED_BUCKET_ACCESS_RESOURCE_TYPE } from './resource-properties';

/** Properties of {@link SegmentsImportedBucketAccess}. */
export interface SegmentsImportedBucketAccessProps {
  /**
   * The existing bucket Segments.ai reads, one that no stack of this app defines, typically
   * `s3.Bucket.fromBucketName(this, 'Data', 'acme-images')`. It must be in this stack's account and
   * region. A bucket defined in this app takes {@link SegmentsAccess} instead. A literal name is
   * checked like `SegmentsBucket`'s `bucketName` (S3's rules, no dots).
   */
  readonly bucket: s3.IBucket;

  /**
   * Key prefixes Segments may read, such as `['images/']`. Each is matched literally as the start
   * of an object key (end it with `/` for a folder).
   *
   * @default - every object in the bucket
   */
  readonly keyPrefixes?: string[];

  /**
   * Origins of Segments' web app allowed by the CORS rule: `https://host[:port]`, no path, or a
   * leading subdomain wildcard `https://*.host` (S3 matches one `*`).
   *
   * @default ['https://segments.ai', 'https://*.segments.ai'] (SEGMENTS_DEFAULT_ORIGINS: the apex and its subdomains)
   */
  readonly allowedOrigins?: string[];

  /**
   * The bucket's customer managed KMS key, when it is defined in this app: its key policy gets the
   * statement letting Segments `kms:Decrypt` through S3, as with SegmentsAccess. An imported key
   * cannot be changed here; a warning says what to add by hand.
   *
   * @default - no key policy is changed (the handler still reports a customer key it finds)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the grant when this construct leaves the stack (or the stack is deleted):
   * `DESTROY` removes only our statement and our CORS rule, and every other statement and rule stays
   * (unless another resource, such as this construct's successor in another stack, still claims
   * them: see docs/aws-existing-bucket.md, "Claims"); `RETAIN` leaves them, and this resource's
   * claim, on the bucket.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Whether a `segments-s3-access` statement or `segments-cors` rule already on the bucket that
   * differs from ours is replaced by ours. When false, the deploy fails before writing anything and
   * its message shows both versions. An identical (deep-equal) one is adopted either way, so a
   * customer who followed the vendor doc by hand is not blocked; it is then removed on delete like ours.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;

  /**
   * Whether the stack gets six outputs with the handler's report on the bucket (customer managed
   * key, ACLs on, Deny statements that may lock Segments out, an earlier CORS rule that S3 applies
   * instead of ours, other Allow statements that give Segments more than s3:GetObject, and what
   * became of the old bucket's entries after the grant moved), shown in the CloudFormation console.
   * Turn off when the stack nears CloudFormation's 200 outputs.
   *
   * @default true
   */
  readonly outputs?: boolean;

  /**
   * Watch Segments' access to this bucket from inside the account: `true`, or the options of a
   * {@link SegmentsAccessMonitor} (sampleKeys, schedule, alarmTopic, notifyEmails) on this bucket,
   * `keyPrefixes` and `encryptionKey`, created as the child `Monitor`. See docs/aws.md, "Watch
   * Segments' access".
   *
   * @default false (no monitor)
   */
  readonly monitor?: boolean | SegmentsAccessMonitorOptions;
}

/** Every prop of {@link SegmentsImportedBucketAccessProps}: unknown ones are refused. */
const SEGMENTS_IMPORTED_BUCKET_ACCESS_PROPS = knownProps<SegmentsImportedBucketAccessProps>({
  bucket: true, keyPrefixes: true, allowedOrigins: true, encryptionKey: true, removalPolicy: true, adoptExisting: true, outputs: true, monitor: true,
});

/** Stable IDs of the warnings {@link SegmentsImportedBucketAccess} emits. */
export const SegmentsImportedBucketAccessWarnings = {
  /** The key given as encryptionKey is imported: its key policy must be changed by hand. */
  IMPORTED_KMS_KEY: SegmentsAccessWarnings.IMPORTED_KMS_KEY,
  /** A key prefix or origin is only known at deploy time (CfnParameter, Fn.importValue): the handler checks it then. */
  DEPLOY_TIME_TOKEN: SegmentsAccessWarnings.DEPLOY_TIME_TOKEN,
} as const;

/** The S3 calls the handler's role may make, on the one bucket and nothing else. */
export const SEGMENTS_IMPORTED_BUCKET_HANDLER_ACTIONS: readonly string[] = [
  's3:GetBucketPolicy',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:GetBucketCORS',
  's3:PutBucketCORS',
  's3:GetEncryptionConfiguration',
  's3:GetBucketOwnershipControls',
];

/**
 * The Lambda runtime of the handler: the newest Node.js runtime aws-cdk-lib's
 * CustomResourceProviderRuntime names (a test fails when aws-cdk-lib adds a newer one).
 *
 * Written as the enum's value rather than `CustomResourceProviderRuntime.NODEJS_24_X`: reading
 * that enum at load time makes aws-cdk-lib load its custom-resource machinery (fs-extra and more,
 * about 27 ms), which every user of `/aws` would pay for even without this construct.
 */
export const SEGMENTS_IMPORTED_BUCKET_HANDLER_RUNTIME = 'nodejs24.x' as unknown as CustomResourceProviderRuntime;

/**
 * Grants Segments.ai read-only access to an existing bucket that no stack manages (made by hand,
 * by Terraform, by another tool), without taking over its policy or CORS configuration.
 *
 * CloudFormation can only replace a bucket's whole policy, so this deploys one custom resource
 * whose handler inserts the vendor doc's statement (Sid `segments-s3-access`) into the bucket's
 * current policy and the Segments CORS rule (ID `segments-cors`) into its CORS configuration,
 * leaving everything else deep-equal and in order, and removes only those two on delete.
 *
 * Each construct has its own handler and role, which may call seven bucket-configuration actions
 * on this one bucket, and write its own log group; nothing else. See docs/aws-existing-bucket.md.
 */
export class SegmentsImportedBucketAccess extends Construct {
  /** The custom resource. */
  public readonly resource: CustomResource;

  /** The origins allowed by the CORS rule. */
  public readonly allowedOrigins: string[];

  /** The key policy statement added to encryptionKey, if it is a key of this app. */
  public readonly keyPolicyStatement?: iam.PolicyStatement;

  /** The monitor of Segments' access, when the `monitor` prop asked for one. */
  public readonly monitor?: SegmentsAccessMonitor;

  constructor(scope: Construct, id: string, props: SegmentsImportedBucketAccessProps) {
    super(scope, id);
    const { bucket } = props;
    this.allowedOrigins = [...(props.allowedOrigins ?? SEGMENTS_DEFAULT_ORIGINS)];
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;

    const problems = [...unknownPropProblems(props, SEGMENTS_IMPORTED_BUCKET_ACCESS_PROPS), ...segmentsAccessInputProblems(props),
      ...monitorPropProblems(props.monitor, props.keyPrefixes)];
    if (s3.CfnBucket.isCfnBucket(bucket.node.defaultChild)) {
      problems.push(`bucket ('${bucket.node.path}') is defined in this app, so its stack manages the bucket policy and CORS, ` +
        'and the custom resource and the stack would overwrite each other: use SegmentsAccess for a bucket of this app.');
    }
    if (!Token.isUnresolved(bucket.bucketName)) {
      problems.push(...s3BucketNameProblems(`bucket ('${bucket.node.path}') name`, bucket.bucketName));
      const grants = grantsByBucketName(this);
      const other = grants.get(bucket.bucketName);
      if (other !== undefined) {
        problems.push(`bucket ('${bucket.node.path}') is the bucket ${bucket.bucketName}, which ${other} already grants to Segments: two ` +
          'custom resources would overwrite each other\'s statement, and deleting one would remove the other\'s grant. ' +
          'Use one SegmentsImportedBucketAccess per bucket, listing every prefix in keyPrefixes.');
      } else {
        grants.set(bucket.bucketName, this.node.path);
      }
    }
    const templateCheck = RenderedTemplateCheck.of(Stack.of(this));
    if (!templateCheck) {
      problems.push(renderedTemplateUnavailable(Stack.of(this)));
    }
    if (removalPolicy !== RemovalPolicy.DESTROY && removalPolicy !== RemovalPolicy.RETAIN) {
      problems.push(`removalPolicy ('${removalPolicy}') must be RemovalPolicy.DESTROY (remove only our statement and rule) or ` +
        'RemovalPolicy.RETAIN (leave them).');
    }
    if (problems.length > 0) {
      throwProblems(this, 'SegmentsImportedBucketAccess', problems);
    }

    // One handler and role per construct, so that the role's policy names this bucket only. Under a
    // literal bucket name, a new name is a new resource: CloudFormation creates the new grant, then
    // deletes the old one with the old role, which still may write the old bucket.
    const literalName = Token.isUnresolved(bucket.bucketName) ? undefined : bucket.bucketName;
    const grant = new Construct(this, literalName === undefined ? 'Grant' : `Grant-${literalName}`);
    const logGroup = new logs.CfnLogGroup(grant, 'Logs', { retentionInDays: 365 });
    const provider = newGrantHandlerProvider(grant, 'Handler', {
      codeDirectory: findHandlerDirectory(__dirname),
      runtime: SEGMENTS_IMPORTED_BUCKET_HANDLER_RUNTIME,
      timeout: Duration.minutes(2),
      description: `Adds Segments.ai read access to the existing bucket ${bucket.bucketName} (segments-cloud-constructs)`,
      policyStatements: [
        { Effect: 'Allow', Action: [...SEGMENTS_IMPORTED_BUCKET_HANDLER_ACTIONS], Resource: bucket.bucketArn },
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: logGroup.attrArn },
      ],
    });
    // Logs go to the log group above, which the role may write; the AWSLambdaBasicExecutionRole managed
    // policy that CustomResourceProvider attaches would let it write any log group (Resource '*').
    (provider.node.findChild('Role') as CfnResource).addPropertyDeletionOverride('ManagedPolicyArns');
    (provider.node.findChild('Handler') as CfnResource).addPropertyOverride('LoggingConfig', { LogGroup: logGroup.ref });
    const handler = provider.node.findChild('Handler') as CfnResource;
    templateCheck!.add(this, 'SegmentsImportedBucketAccess',
      (template) => handlerRuntimeProblems(template, Stack.of(handler).resolve(handler.logicalId), handler.node.path));

    const properties: ImportedBucketAccessProperties = {
      BucketName: bucket.bucketName,
      ExpectedBucketOwner: Aws.ACCOUNT_ID,
      KeyPrefixes: props.keyPrefixes,
      AllowedOrigins: this.allowedOrigins,
      AdoptExisting: props.adoptExisting ? 'true' : 'false',
      RemovalPolicy: removalPolicy === RemovalPolicy.RETAIN ? 'retain' : 'destroy',
    };
    this.resource = new CustomResource(grant, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: SEGMENTS_IMPORTED_BUCKET_ACCESS_RESOURCE_TYPE,
      properties: { ...properties },
      removalPolicy,
      // CloudFormation waits this long for an answer (not the default hour) when the handler dies
      // without one: the Lambda timeout plus one retry by Lambda's asynchronous invocation.
      serviceTimeout: Duration.minutes(5),
    });

    // Logical IDs from the literal bucket name alone, so that moving or renaming the construct in the
    // tree keeps the same resources (an Update, or nothing), instead of creating a new grant and
    // deleting the old one. The handler's function keeps its ID too: CloudFormation refuses a change
    // of a custom resource's ServiceToken. With a token bucket name the IDs follow the construct path;
    // the claims the handler keeps on the bucket make a create-then-delete safe either way.
    if (literalName !== undefined) {
      const base = grantLogicalIdBase(literalName);
      (this.resource.node.defaultChild as CfnResource).overrideLogicalId(`${base}Grant`);
      (provider.node.findChild('Handler') as CfnResource).overrideLogicalId(`${base}Handler`);
      (provider.node.findChild('Role') as CfnResource).overrideLogicalId(`${base}HandlerRole`);
      logGroup.overrideLogicalId(`${base}Logs`);
    }

    SeparateBucketPolicyCheck.of(this).registerImport(this, Stack.of(this.resource), bucket);
    const cfnResource = this.resource.node.defaultChild as CfnResource;
    templateCheck!.add(this, 'SegmentsImportedBucketAccess', (template, logicalIdOf) => this.checkTemplate(template, logicalIdOf(cfnResource)));

    if (props.outputs ?? true) {
      const outputs = new Construct(this, 'Report');
      new CfnOutput(outputs, 'DefaultEncryption', {
        description: `Segments.ai grant on ${bucket.bucketName}: default encryption (a customer managed key's policy needs the Segments statement)`,
        value: this.defaultEncryptionReport,
      });
      new CfnOutput(outputs, 'ObjectOwnership', {
        description: `Segments.ai grant on ${bucket.bucketName}: Object Ownership (ACLs on keep other accounts' uploads out of the grant)`,
        value: this.objectOwnershipReport,
      });
      new CfnOutput(outputs, 'LockoutDenies', {
        description: `Segments.ai grant on ${bucket.bucketName}: Deny statements that may lock Segments out`,
        value: this.lockoutDeniesReport,
      });
      new CfnOutput(outputs, 'ShadowingCorsRule', {
        description: `Segments.ai grant on ${bucket.bucketName}: an earlier CORS rule S3 applies to Segments' requests instead of ours`,
        value: this.shadowingCorsRuleReport,
      });
      new CfnOutput(outputs, 'PreviousBucket', {
        description: `Segments.ai grant on ${bucket.bucketName}: after the grant moved to another bucket, whether the old one still holds the Segments entries`,
        value: this.previousBucketReport,
      });
      new CfnOutput(outputs, 'WiderSegmentsAllows', {
        description: `Segments.ai grant on ${bucket.bucketName}: other Allow statements that give Segments more than s3:GetObject`,
        value: this.widerSegmentsAllowsReport,
      });
    }

    if (props.encryptionKey) {
      const statement = segmentsKeyDecryptStatement(Stack.of(this).region);
      if (props.encryptionKey.addToResourcePolicy(statement).statementAdded) {
        this.keyPolicyStatement = statement;
      } else {
        Annotations.of(this).addWarningV2(SegmentsImportedBucketAccessWarnings.IMPORTED_KMS_KEY,
          `The bucket's KMS key (${props.encryptionKey.node.path}) is imported, so its key policy cannot be changed here. ` +
          `Add a statement allowing ${SEGMENTS_AWS_PRINCIPAL_ARN} kms:Decrypt with kms:ViaService s3.<region>.amazonaws.com to that key's policy, ` +
          'and tell Segments which key you use.');
      }
    }

    const monitor = monitorOptionsOf(props.monitor);
    if (monitor !== undefined) {
      this.monitor = new (segmentsAccessMonitorClass())(this, 'Monitor', { ...monitor, bucket, keyPrefixes: props.keyPrefixes, encryptionKey: props.encryptionKey });
      // The first run after the deploy judges the bucket with the grant in place.
      this.monitor.node.addDependency(this.resource);
    }
  }

  /**
   * The custom resource's KeyPrefixes and AllowedOrigins as the template holds them (tokens
   * resolved, escape hatches included), checked like literal props: what resolves at synth and
   * breaks a rule is refused (a `Lazy` prefix '' or '*' would grant the whole bucket); what is only
   * known at deploy time gets the DEPLOY_TIME_TOKEN warning (the handler refuses it then, before
   * writing). Problems are returned; the warning is added here.
   */
  private checkTemplate(template: RenderedTemplate, logicalId: string): string[] {
    const properties = template.Resources?.[logicalId]?.Properties ?? {};
    const problems: string[] = [];
    const deployTime: string[] = [];
    const check = (prop: string, rendered: unknown, literalCheck: (values: string[]) => string[]) => {
      if (rendered === undefined) {
        return;
      }
      if (!Array.isArray(rendered)) {
        deployTime.push(prop);
        return;
      }
      rendered.forEach((value, i) => {
        if (typeof value !== 'string') {
          deployTime.push(`${prop}[${i}]`);
        }
      });
      const strings = rendered.filter((value): value is string => typeof value === 'string');
      if (strings.length > 0 || rendered.length === 0) {
        problems.push(...literalCheck(strings).map((problem) => `${problem} (in the template: a token resolved at synth, or an escape hatch)`));
      }
    };
    check('keyPrefixes', properties.KeyPrefixes, prefixProblems);
    check('allowedOrigins', properties.AllowedOrigins, originProblems);
    if (deployTime.length > 0) {
      Annotations.of(this).addWarningV2(SegmentsImportedBucketAccessWarnings.DEPLOY_TIME_TOKEN,
        `${deployTime.join(', ')} is only known at deploy time (CfnParameter, Fn.importValue...), so it cannot be checked here. ` +
        'The handler refuses, before writing anything, a key prefix that is empty or holds a wildcard and an origin such as \'*\'; ' +
        'pass literal values, or constrain the parameter (AllowedPattern) so the deploy does not fail.');
    }
    return problems;
  }

  /**
   * What the handler found about the bucket's default encryption: whether a customer managed key's
   * policy needs the Segments statement. Known after deploy (for a CfnOutput).
   */
  public get defaultEncryptionReport(): string {
    return this.resource.getAttString(ImportedBucketAccessAttributes.DEFAULT_ENCRYPTION);
  }

  /** What the handler found about the bucket's Object Ownership (whether ACLs are on). Known after deploy. */
  public get objectOwnershipReport(): string {
    return this.resource.getAttString(ImportedBucketAccessAttributes.OBJECT_OWNERSHIP);
  }

  /** Deny statements of the bucket policy that may lock Segments out, or 'none'. Known after deploy. */
  public get lockoutDeniesReport(): string {
    return this.resource.getAttString(ImportedBucketAccessAttributes.LOCKOUT_DENIES);
  }

  /** An earlier CORS rule that S3 applies to Segments' requests instead of ours, or 'none'. Known after deploy. */
  public get shadowingCorsRuleReport(): string {
    return this.resource.getAttString(ImportedBucketAccessAttributes.SHADOWING_CORS_RULE);
  }

  /**
   * After an Update that moved the grant to another bucket (a bucket name from a token): whether the
   * old bucket's Segments entries were removed, or what to remove by hand; 'none' otherwise. Known
   * after deploy.
   */
  public get previousBucketReport(): string {
    return this.resource.getAttString(ImportedBucketAccessAttributes.PREVIOUS_BUCKET);
  }

  /**
   * Other Allow statements of the bucket policy that can apply to Segments' user and grant it more
   * than s3:GetObject (s3:*, NotAction, other actions), or 'none'. Known after deploy.
   */
  public get widerSegmentsAllowsReport(): string {
    return this.resource.getAttString(ImportedBucketAccessAttributes.WIDER_SEGMENTS_ALLOWS);
  }
}

/**
 * The start of the logical IDs of a literal bucket name's grant: the name's letters and digits
 * (for the reader) and a hash of the whole name (so `acme-images` and `acmeimages` differ).
 */
export function grantLogicalIdBase(bucketName: string): string {
  const readable = bucketName.replace(/[^A-Za-z0-9]/g, '');
  const hash = createHash('sha256').update(bucketName).digest('hex').slice(0, 8).toUpperCase();
  return `SegmentsImportedBucket${readable}${hash}`;
}

/**
 * The refusal of a handler function rendered without a `Runtime`: aws-cdk-lib before 2.259.0 maps
 * the runtime name `nodejs24.x` to nothing, and CloudFormation then rejects the function at deploy
 * (after the stack's other resources were created), or an escape hatch removed it.
 */
function handlerRuntimeProblems(template: RenderedTemplate, logicalId: string, path: string): string[] {
  const runtime = template.Resources?.[logicalId]?.Properties?.Runtime;
  if (typeof runtime === 'string' && runtime !== '') {
    return [];
  }
  return [`the handler's Lambda function ${logicalId} (${path}) has no Runtime in the template (${JSON.stringify(runtime ?? null)}): ` +
    `aws-cdk-lib before 2.259.0 renders the runtime ${SEGMENTS_IMPORTED_BUCKET_HANDLER_RUNTIME} as nothing, and CloudFormation would reject the ` +
    'function at deploy. Use an aws-cdk-lib version in the peerDependencies range of segments-cloud-constructs\' package.json, and remove ' +
    'any escape hatch that deletes the Runtime.'];
}

/** The SegmentsImportedBucketAccess paths of an app, by literal bucket name. */
const grantsByApp = new WeakMap<object, Map<string, string>>();

function grantsByBucketName(scope: Construct): Map<string, string> {
  const root = scope.node.root;
  let grants = grantsByApp.get(root);
  if (grants === undefined) {
    grants = new Map();
    grantsByApp.set(root, grants);
  }
  return grants;
}

/** The constructor of {@link newGrantHandlerProvider}'s class, made on first use. */
let grantHandlerProviderClass: (new (scope: Construct, id: string, props: CustomResourceProviderProps) => CustomResourceProvider) | undefined;

/**
 * aws-cdk-lib's CustomResourceProvider, created once per construct instead of once per stack (its
 * constructor is protected, hence the subclass). The subclass is made on first use: extending
 * `CustomResourceProvider` at load time would make aws-cdk-lib load its custom-resource machinery
 * (about 27 ms) for every user of `/aws`.
 */
function newGrantHandlerProvider(scope: Construct, id: string, props: CustomResourceProviderProps): CustomResourceProvider {
  grantHandlerProviderClass ??= class GrantHandlerProvider extends CustomResourceProvider {
    public constructor(providerScope: Construct, providerId: string, providerProps: CustomResourceProviderProps) {
      super(providerScope, providerId, providerProps);
    }
  };
  return new grantHandlerProviderClass(scope, id, props);
}
