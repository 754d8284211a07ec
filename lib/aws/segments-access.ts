import { Annotations, CfnElement, CfnResource, Stack, Token, aws_s3 as s3 } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CHECKED_BY, type CheckedAccessInput, segmentsAccessInputProblems, tokenInputProblems } from './private/access-input';
import { bucketTargets } from './private/bucket-reference';
import { throwProblems } from './private/errors';
import {
  type RenderedCorsRule,
  earlierMatchingCorsRule,
  lockoutDenyAdvice,
  lockoutDenyStatements,
  sameCorsRule,
  widerSegmentsAllowAdvice,
  widerSegmentsAllows,
} from './private/policy-inspection';
import { S3_BUCKET_POLICY_MAX_BYTES, UNKNOWN_VALUE_MAX_BYTES, policySizeBound } from './private/policy-size';
import { type RenderedTemplate, RenderedTemplateCheck, renderedTemplateUnavailable } from './private/rendered-template-check';
import { warnWhenOwnStackIsEmpty } from './private/own-stack-check';
import { warnInRenderedStack } from './private/rendered-stack-warning';
import { SeparateBucketPolicyCheck } from './private/separate-bucket-policy-check';
import { type SegmentsAccessMonitorOptions, monitorOptionsOf, monitorPropProblems } from './private/monitor-options';
import type { SegmentsAccessMonitor } from './segments-access-monitor';
import { segmentsAccessMonitorClass } from './private/lazy-monitor';
import { segmentsKeyDecryptStatement, segmentsObjectReadStatement } from './segments-statements';
import { browserOriginsOf } from '../s3/cors-configuration';
import { knownProps, unknownPropProblems } from '../checks/known-props';
import {
  SEGMENTS_AWS_PRINCIPAL_ARN,
  SEGMENTS_DEFAULT_ORIGINS,
  SEGMENTS_S3_ACTIONS,
  SEGMENTS_S3_CORS_RULE_ID,
  SEGMENTS_S3_POLICY_SID,
  segmentsS3CorsRule,
} from '../segments';

/** Properties of {@link SegmentsAccess}. */
export interface SegmentsAccessProps {
  /**
   * The bucket Segments.ai reads. It must be defined in this CDK app (`new s3.Bucket`, or a
   * bucket brought in with `cdk import`): CDK cannot change the policy of an imported bucket. For
   * an existing bucket outside the app, use {@link SegmentsImportedBucketAccess}.
   */
  readonly bucket: s3.IBucket;

  /**
   * Key prefixes Segments may read, such as `['images/']`. Each is matched literally as the start
   * of an object key (`images` also matches `images-old/…`; end it with `/` for a folder).
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
   * Watch Segments' access to this bucket from inside the account: `true`, or the options of a
   * {@link SegmentsAccessMonitor} (sampleKeys, schedule, alarmTopic, notifyEmails) on this bucket
   * and `keyPrefixes`, created as the child `Monitor`. See docs/aws.md, "Watch Segments' access".
   *
   * @default false (no monitor)
   */
  readonly monitor?: boolean | SegmentsAccessMonitorOptions;
}

/** Every prop of {@link SegmentsAccessProps}: unknown ones are refused. */
const SEGMENTS_ACCESS_PROPS = knownProps<SegmentsAccessProps>({ bucket: true, keyPrefixes: true, allowedOrigins: true, monitor: true });

/** Regions of the China, GovCloud and isolated partitions, which cannot grant the aws-partition principal. */
const OTHER_PARTITION_REGION = /^(cn|us-gov|us-iso|us-isob|eu-isoe|us-isof)-/;

/** Stable IDs of the warnings {@link SegmentsAccess} emits; acknowledge them with `Annotations.of(scope).acknowledgeWarning(id, reason)`. */
export const SegmentsAccessWarnings = {
  /** The bucket's KMS key is imported or given by ID: its key policy must be changed by hand. */
  IMPORTED_KMS_KEY: 'segments-cloud-constructs:imported-kms-key',
  /** A Deny statement on the bucket can match Segments' presigned GETs of the granted objects. */
  LOCKOUT_DENY: 'segments-cloud-constructs:lockout-deny',
  /** An earlier CORS rule on the bucket answers Segments' origins instead of the Segments rule. */
  EARLIER_CORS_RULE: 'segments-cloud-constructs:earlier-cors-rule',
  /** The bucket's Object Ownership keeps ACLs on, so objects other accounts upload escape the bucket policy. */
  ACL_OWNERSHIP: 'segments-cloud-constructs:acl-ownership',
  /** A key prefix or origin is only known at deploy time (CfnParameter, Fn.importValue), so it cannot be checked. */
  DEPLOY_TIME_TOKEN: 'segments-cloud-constructs:deploy-time-token',
  /** The bucket's name has a dot: virtual-hosted HTTPS URLs, which Segments requires, fail TLS. */
  DOTTED_BUCKET_NAME: 'segments-cloud-constructs:dotted-bucket-name',
  /** Values only known at deploy time could push the bucket policy over S3's 20 KB limit. */
  POLICY_SIZE_UNBOUNDED: 'segments-cloud-constructs:policy-size-unbounded',
  /** The construct is in another stack than its bucket, and its own stack is left with no resources. */
  EMPTY_STACK: 'segments-cloud-constructs:empty-stack',
  /** Another Allow in the bucket policy can apply to Segments' user and grants it more than s3:GetObject. */
  WIDER_SEGMENTS_ALLOW: 'segments-cloud-constructs:wider-segments-allow',
} as const;

/** The AWS managed key of S3, by alias or alias ARN: its key policy cannot grant another account. */
const AWS_MANAGED_S3_KEY = /(^|:)alias\/aws\/s3$/;

/** The alias name of the AWS managed key of S3. */
const AWS_MANAGED_S3_ALIAS = 'alias/aws/s3';

/**
 * Grants Segments.ai read-only access to a bucket defined in the same CDK app, exactly as
 * Segments' "Cloud integrations" doc describes:
 *
 * - one bucket policy statement (Sid `segments-s3-access`): Segments' IAM user may `s3:GetObject`
 *   on the bucket's objects (or on those under `keyPrefixes`), and nothing else;
 * - one CORS rule (ID `segments-cors`): `GET` from `allowedOrigins`, any request header, no exposed headers;
 * - when the bucket uses a customer managed KMS key of this app, one key policy statement letting
 *   Segments `kms:Decrypt` through S3 only.
 *
 * Statements and CORS rules the bucket already has are kept; the bucket's logical ID is unchanged.
 * At synth, the bucket and its policy are checked in the template as it is written (escape hatches
 * included): the Segments statement and CORS rule must be exactly the ones built here.
 */
export class SegmentsAccess extends Construct {
  /** The bucket policy statement added to the bucket. */
  public readonly policyStatement: iam.PolicyStatement;

  /** The CORS rule added to the bucket. */
  public readonly corsRule: s3.CorsRule;

  /** The key policy statement added to the bucket's customer managed key, if any. */
  public readonly keyPolicyStatement?: iam.PolicyStatement;

  /** The origins allowed by the CORS rule. */
  public readonly allowedOrigins: string[];

  /** The monitor of Segments' access, when the `monitor` prop asked for one. */
  public readonly monitor?: SegmentsAccessMonitor;

  private readonly keyPrefixes?: string[];

  /**
   * What the template must hold, built apart from the public `policyStatement` and `corsRule`
   * (which a caller could mutate): the CORS rule in CloudFormation casing (shared by every
   * SegmentsAccess with the same literal origins), and whether the props hold tokens (the
   * statement is then built afresh and resolved at synth).
   */
  private readonly built: { readonly cors: ExpectedCorsRule; readonly tokens: boolean };

  constructor(scope: Construct, id: string, props: SegmentsAccessProps) {
    super(scope, id);
    const { bucket } = props;
    this.allowedOrigins = [...(props.allowedOrigins ?? SEGMENTS_DEFAULT_ORIGINS)];
    this.keyPrefixes = props.keyPrefixes;

    // Input a wrapping construct has checked already comes with that construct's name: no second pass.
    const checkedBy = (props as CheckedAccessInput)[CHECKED_BY];
    const constructName = checkedBy ?? 'SegmentsAccess';
    const problems = checkedBy === undefined
      ? [...unknownPropProblems(props, SEGMENTS_ACCESS_PROPS), ...segmentsAccessInputProblems(props), ...monitorPropProblems(props.monitor, props.keyPrefixes)]
      : [];
    const cfnBucket = bucket.node.defaultChild;
    const definedHere = CfnResource.isCfnResource(cfnBucket) && s3.CfnBucket.isCfnBucket(cfnBucket) &&
      typeof (bucket as Partial<s3.Bucket>).addCorsRule === 'function';
    if (!definedHere) {
      problems.push(
        `bucket ('${bucket.node.path}') is not an s3.Bucket defined in this app (it was imported with Bucket.fromBucketName, ` +
        'fromBucketArn or fromBucketAttributes, or wrapped with fromCfnBucket): CDK cannot change an imported bucket\'s policy or CORS ' +
        'and would silently drop them. For an existing bucket that no stack manages, use SegmentsImportedBucketAccess instead: its ' +
        'custom resource merges the Segments statement and CORS rule into what the bucket already has, and removes only those on delete. ' +
        'Otherwise define the bucket in this app (new s3.Bucket or SegmentsBucket), or bring it under the stack with `cdk import` ' +
        '(after copying its current bucket policy and CORS rules into the definition, because the stack then replaces both).');
    }
    if (definedHere && !bucket.encryptionKey &&
      kmsWithoutKey(resolvedIfToken(bucket, (cfnBucket as s3.CfnBucket).bucketEncryption))) {
      problems.push(awsManagedKeyProblem(bucket, '(BucketEncryption.KMS_MANAGED)'));
    }
    const managedKey = definedHere ? awsManagedKeyGivenAsIKey(bucket.encryptionKey) : undefined;
    if (managedKey) {
      problems.push(awsManagedKeyProblem(bucket, managedKey));
    }
    const templateCheck = definedHere ? RenderedTemplateCheck.of(Stack.of(bucket)) : undefined;
    if (definedHere && !templateCheck) {
      problems.push(`bucket ('${bucket.node.path}'): ${renderedTemplateUnavailable(Stack.of(bucket))}`);
    }
    const region = Stack.of(bucket).region;
    if (!Token.isUnresolved(region) && OTHER_PARTITION_REGION.test(region)) {
      problems.push(
        `bucket ('${bucket.node.path}') is in region ${region}, outside the standard aws partition where Segments' principal lives; ` +
        'IAM cannot grant across partitions. Keep the data Segments reads in a bucket in a standard AWS region.');
    }
    if (problems.length > 0) {
      throwProblems(this, constructName, problems);
    }

    this.policyStatement = segmentsObjectReadStatement(bucket, props.keyPrefixes);
    if (!bucket.addToResourcePolicy(this.policyStatement).statementAdded) {
      throwProblems(this, constructName, [`bucket ('${bucket.node.path}') did not accept the policy statement: define the bucket in this app.`]);
    }

    this.corsRule = {
      ...segmentsS3CorsRule(this.allowedOrigins),
      allowedMethods: [s3.HttpMethods.GET],
    };
    const tokens = Token.isUnresolved(this.allowedOrigins) || this.allowedOrigins.some((origin) => Token.isUnresolved(origin)) ||
      (props.keyPrefixes ?? []).some((prefix) => Token.isUnresolved(prefix));
    this.built = { cors: expectedCorsRule(this.allowedOrigins, tokens), tokens };
    (bucket as s3.Bucket).addCorsRule(this.corsRule);

    if (bucket.encryptionKey) {
      this.keyPolicyStatement = segmentsKeyDecryptStatement(Stack.of(bucket).region);
      if (!bucket.encryptionKey.addToResourcePolicy(this.keyPolicyStatement).statementAdded) {
        Annotations.of(this).addWarningV2(SegmentsAccessWarnings.IMPORTED_KMS_KEY,
          `The bucket's KMS key (${bucket.encryptionKey.node.path}) is imported, so its key policy cannot be changed here. ` +
          `Add a statement allowing ${SEGMENTS_AWS_PRINCIPAL_ARN} kms:Decrypt with kms:ViaService s3.<region>.amazonaws.com to that key's policy, ` +
          'and tell Segments which key you use.');
      }
    }

    SeparateBucketPolicyCheck.of(this).register(bucket, cfnBucket as s3.CfnBucket);
    templateCheck!.add(this, constructName, (template, logicalIdOf) => this.checkTemplate(bucket, cfnBucket as s3.CfnBucket, template, logicalIdOf));
    warnWhenOwnStackIsEmpty(this, bucket, SegmentsAccessWarnings.EMPTY_STACK);

    const monitor = monitorOptionsOf(props.monitor);
    if (monitor !== undefined) {
      this.monitor = new (segmentsAccessMonitorClass())(this, 'Monitor', { ...monitor, bucket, keyPrefixes: props.keyPrefixes });
    }
  }

  /**
   * The checks of the bucket and its policy in the template as it is written. Problems are
   * returned; warnings are added here.
   */
  private checkTemplate(bucket: s3.IBucket, cfnBucket: s3.CfnBucket, template: RenderedTemplate,
    logicalIdOf: (element: CfnElement) => string): string[] {
    const stack = Stack.of(bucket);
    const where = `bucket ('${bucket.node.path}')`;
    const resources = template.Resources ?? {};
    const bucketId = logicalIdOf(cfnBucket);
    // Without tokens in the props, what was built renders to a known shape, so no resolve is needed
    // (a resolve per bucket is most of the checks' cost): the statement is compared as JSON text
    // first, and built as an object only when that text differs. With tokens, resolve it.
    const built: { statement: () => Record<string, any>; statementJson?: string; cors: ExpectedCorsRule } = this.built.tokens ? (() => {
      const resolved = stack.resolve({ statement: this.freshStatement(bucket), cors: this.built.cors.rule });
      return { statement: () => resolved.statement, cors: { rule: resolved.cors, json: JSON.stringify(resolved.cors) } };
    })() : {
      statement: () => ({
        Sid: SEGMENTS_S3_POLICY_SID,
        Effect: 'Allow',
        Principal: { AWS: SEGMENTS_AWS_PRINCIPAL_ARN },
        Action: [...SEGMENTS_S3_ACTIONS],
        Resource: this.renderedObjectArns(bucketId),
      }),
      statementJson: renderedStatementJson(bucketId, this.keyPrefixes),
      cors: this.built.cors,
    };
    const rendered = resources[bucketId]?.Properties ?? {};
    const errors: string[] = [];
    // Added while the bucket's stack renders: to a construct of that stack, whose metadata is still to be collected.
    const warn = (id: string, message: string) => warnInRenderedStack(this, bucket, id, `${where}: ${message}`);

    const inputs = this.built.tokens ? tokenInputProblems(stack, { keyPrefixes: this.keyPrefixes, allowedOrigins: this.allowedOrigins })
      : NO_TOKEN_INPUTS;
    for (const problem of inputs.problems) {
      errors.push(`${where}: ${problem} (a token resolved at synth)`);
    }
    if (inputs.deployTime.length > 0) {
      warn(SegmentsAccessWarnings.DEPLOY_TIME_TOKEN,
        `${inputs.deployTime.join(', ')} is only known at deploy time (CfnParameter, Fn.importValue...), so it cannot be checked here. ` +
        'An empty key prefix would grant Segments the whole bucket, and a malformed origin would break CORS: pass literal values, or ' +
        'constrain the parameter (AllowedPattern) so it cannot be empty or malformed.');
    }

    errors.push(...this.checkPolicy(bucket, bucketId, built, template, logicalIdOf, warn));
    errors.push(...this.checkCors(bucket, rendered, built.cors, inputs.origins ?? this.allowedOrigins, warn));
    errors.push(...this.checkEncryption(bucket, rendered, warn));

    const ownership = rendered.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
    if (ownership === 'ObjectWriter' || ownership === 'BucketOwnerPreferred') {
      warn(SegmentsAccessWarnings.ACL_OWNERSHIP,
        `Object Ownership is ${ownership}: objects another account uploads with ACLs stay that account's, and the ` +
        'bucket policy does not let Segments read them. Set objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED.');
    }
    if (typeof rendered.BucketName === 'string' && rendered.BucketName.includes('.')) {
      warn(SegmentsAccessWarnings.DOTTED_BUCKET_NAME,
        `the name '${rendered.BucketName}' has a dot: the virtual-hosted HTTPS URLs Segments requires ` +
        `(https://${rendered.BucketName}.s3.<region>.amazonaws.com) fail TLS, because S3's wildcard certificate covers one label only. ` +
        'Copy the data Segments reads to a bucket without dots (SegmentsBucket refuses dotted names).');
    }
    return errors;
  }

  /** The Segments statement as SegmentsAccess builds it, afresh (the exposed `policyStatement` may have been changed since). */
  private freshStatement(bucket: s3.IBucket): Record<string, unknown> {
    return segmentsObjectReadStatement(bucket, this.keyPrefixes).toStatementJson();
  }

  /**
   * The object ARNs the Segments statement grants, as CloudFormation renders them for a bucket of
   * this stack: `<bucket ARN>/<prefix>*`. Used without tokens in keyPrefixes only.
   */
  private renderedObjectArns(bucketId: string): unknown[] {
    return (this.keyPrefixes ?? ['']).map((prefix) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${prefix}*`]] }));
  }

  /** The bucket's policy in the template: present, the Segments statement exactly as built, within S3's size limit, and no lock-out. */
  private checkPolicy(bucket: s3.IBucket, bucketId: string, built: { statement: () => Record<string, any>; statementJson?: string },
    template: RenderedTemplate, logicalIdOf: (element: CfnElement) => string, warn: (id: string, message: string) => void): string[] {
    const resources = template.Resources ?? {};
    const stack = Stack.of(bucket);
    const where = `bucket ('${bucket.node.path}')`;
    const cfnPolicy = bucket.policy?.node.defaultChild;
    const policyId = CfnResource.isCfnResource(cfnPolicy) ? logicalIdOf(cfnPolicy) : undefined;
    const bucketName = resources[bucketId]?.Properties?.BucketName;
    const policies = bucketPoliciesOf(template, bucketId, typeof bucketName === 'string' ? bucketName : undefined);
    const policy = policies.find(({ logicalId }) => logicalId === policyId)?.resource;
    if (!policy) {
      return [`${where} has no AWS::S3::BucketPolicy in the template that grants Segments: an escape hatch removed the bucket's ` +
        'policy (node.tryRemoveChild) or pointed it at another bucket. Remove the escape hatch; add statements with bucket.addToResourcePolicy().'];
    }
    const errors: string[] = [];
    const named = (logicalId: string) => `${logicalId} (${renderedPath(stack, template, logicalId, logicalIdOf)})`;
    for (const other of policies.filter(({ logicalId }) => logicalId !== policyId)) {
      errors.push(`${where} has a second AWS::S3::BucketPolicy in the template, ${named(other.logicalId)}, besides its own ` +
        `${named(policyId!)}: it refers to this bucket (a separate s3.BucketPolicy or CfnBucketPolicy, by Ref, Fn::Sub, Fn::Join or the name out of its ARN; an addPropertyOverride('Bucket', ...); or a CfnResource of that type). ` +
        'A bucket has one policy, so on deploy one would overwrite the other and either the Segments grant or those statements would be lost. ' +
        'Remove it, and add its statements with bucket.addToResourcePolicy().');
    }
    if (resources[policyId!]?.Condition !== undefined) {
      errors.push(`${where}: its bucket policy ${named(policyId!)} has the CloudFormation Condition ` +
        `${JSON.stringify(resources[policyId!].Condition)} (cfnOptions.condition), so the Segments grant may never deploy. Remove the condition.`);
    }
    const document = policy.Properties?.PolicyDocument;
    const ours = statementsOf(document).filter((statement) => statement?.Sid === SEGMENTS_S3_POLICY_SID);
    // The statement as rendered, when its JSON text is the one expected: then it is the expected one.
    const asExpected = ours.length === 1 && built.statementJson !== undefined && JSON.stringify(ours[0]) === built.statementJson
      ? ours[0] : undefined;
    let expected = asExpected ?? built.statement();
    if (ours.length > 1) {
      errors.push(`${where} has more than one SegmentsAccess: use one, listing every prefix in keyPrefixes.`);
    } else if (!asExpected && (ours.length === 0 || (!sameStatement(ours[0], expected) &&
      !sameStatement(ours[0], expected = stack.resolve(this.freshStatement(bucket)))))) {
      errors.push(`${where}: the bucket policy statement '${SEGMENTS_S3_POLICY_SID}' in the template is ` +
        `${ours.length === 0 ? 'missing' : `not the one SegmentsAccess built (${JSON.stringify(ours[0])} instead of ${JSON.stringify(expected)})`}: ` +
        'an escape hatch (addPropertyOverride, or an assignment to the CfnBucketPolicy\'s policyDocument) changed the bucket policy. ' +
        'Remove the escape hatch; add your own statements with bucket.addToResourcePolicy().');
    }

    const size = policySizeBound(document, template.Resources ?? {});
    if (size.bytes > S3_BUCKET_POLICY_MAX_BYTES) {
      errors.push(`${where}: the bucket policy would be up to ${size.bytes} bytes once deployed, over S3's 20 KB limit ` +
        `(${S3_BUCKET_POLICY_MAX_BYTES} bytes): use fewer keyPrefixes (a shorter common prefix covers several) or fewer other statements.`);
    } else if (size.bytes + size.unknownValues * UNKNOWN_VALUE_MAX_BYTES > S3_BUCKET_POLICY_MAX_BYTES) {
      warn(SegmentsAccessWarnings.POLICY_SIZE_UNBOUNDED,
        `the bucket policy is ${size.bytes} bytes without ${size.unknownValues} value(s) only known at deploy time (parameters, imports); ` +
        `if they are long, it goes over S3's 20 KB limit (${S3_BUCKET_POLICY_MAX_BYTES} bytes) and the deploy fails.`);
    }

    const granted = [expected.Resource].flat();
    for (const deny of lockoutDenyStatements(document, granted)) {
      warn(SegmentsAccessWarnings.LOCKOUT_DENY, `bucket policy statement ${deny.sid} ${lockoutDenyAdvice(deny)}`);
    }
    for (const allow of widerSegmentsAllows(document)) {
      warn(SegmentsAccessWarnings.WIDER_SEGMENTS_ALLOW, `bucket policy statement ${allow.sid} ${widerSegmentsAllowAdvice(allow)}`);
    }
    return errors;
  }

  /** The Segments CORS rule in the template, every field as built; an earlier rule that answers Segments' origins first. */
  private checkCors(bucket: s3.IBucket, rendered: Record<string, any>, expected: ExpectedCorsRule, origins: string[],
    warn: (id: string, message: string) => void): string[] {
    const rules: RenderedCorsRule[] = rendered.CorsConfiguration?.CorsRules ?? [];
    const own = expected.rule;
    if (!Array.isArray(rules)) {
      return [`bucket ('${bucket.node.path}'): the template's CorsConfiguration.CorsRules is ${intrinsicName(rules)}, not a list, so whether ` +
        'it holds the Segments CORS rule cannot be known at synth (an escape hatch such as addPropertyOverride with Fn.conditionIf). ' +
        'Give the CORS rules as a list (bucket.addCorsRule() or the cors prop), with a condition on single rules if you need one.'];
    }
    const ownIndex = rules.findIndex((rule) => JSON.stringify(rule) === expected.json || sameCorsRule(rule, own));
    const errors: string[] = [];
    if (ownIndex < 0) {
      errors.push(`bucket ('${bucket.node.path}'): the Segments CORS rule ${JSON.stringify(own)} is missing from the template or was changed: ` +
        'an escape hatch (cfnBucket.corsConfiguration or addPropertyOverride) replaced the CORS rules or edited the Segments rule. ' +
        'Add your own rules with bucket.addCorsRule() or the cors prop instead.');
    }
    rules.forEach((rule, i) => {
      if (i !== ownIndex && rule.Id === SEGMENTS_S3_CORS_RULE_ID) {
        errors.push(`bucket ('${bucket.node.path}'): CORS rule #${i + 1} has the ID '${SEGMENTS_S3_CORS_RULE_ID}', which names the ` +
          'Segments CORS rule (tools that update the rule in place would replace it): give that rule another ID.');
      }
    });
    const earlier = earlierMatchingCorsRule(rules, ownIndex < 0 ? rules.length : ownIndex, browserOriginsOf(origins));
    if (earlier >= 0) {
      warn(SegmentsAccessWarnings.EARLIER_CORS_RULE,
        `CORS rule #${earlier + 1} also matches GETs from ${origins.join(', ')} and comes before the Segments rule, so S3 answers ` +
        'Segments with it (S3 applies the first matching rule). Remove those origins or GET from that rule, or add that rule with ' +
        'bucket.addCorsRule() after SegmentsAccess instead of through the bucket\'s cors prop, so that it comes after the Segments rule.');
    }
    return errors;
  }

  /** The default encryption in the template: not the AWS managed aws/s3 key; a key not of this app gets a warning. */
  private checkEncryption(bucket: s3.IBucket, rendered: Record<string, any>, warn: (id: string, message: string) => void): string[] {
    const byDefault = rendered.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault;
    if (!kmsWithoutKey(rendered.BucketEncryption) && !(typeof byDefault?.SSEAlgorithm === 'string' && byDefault.SSEAlgorithm.startsWith('aws:kms'))) {
      return [];
    }
    const keyId = byDefault?.KMSMasterKeyID;
    if (keyId === undefined || namesAwsManagedKey(keyId)) {
      return [awsManagedKeyProblem(bucket, keyId === undefined ? '(SSE-KMS without a key)' : `(KMSMasterKeyID ${JSON.stringify(keyId)})`)];
    }
    const ownKey = bucket.encryptionKey ? Stack.of(bucket).resolve(bucket.encryptionKey.keyArn) : undefined;
    if (ownKey === undefined || JSON.stringify(ownKey) !== JSON.stringify(keyId)) {
      warn(SegmentsAccessWarnings.IMPORTED_KMS_KEY,
        `the bucket is encrypted with a KMS key given by ID (${JSON.stringify(keyId)}), not an IKey of this app, so its key policy cannot be changed here. ` +
        `Add a statement allowing ${SEGMENTS_AWS_PRINCIPAL_ARN} kms:Decrypt with kms:ViaService s3.<region>.amazonaws.com to that key's policy.`);
    }
    return [];
  }
}

/**
 * How the bucket's `encryptionKey` names the AWS managed key aws/s3, or undefined when it does not
 * (as far as the construct tells; the rendered `KMSMasterKeyID` is checked too):
 *
 * | encryptionKey                                                  | result       |
 * |----------------------------------------------------------------|--------------|
 * | an IAlias named `alias/aws/s3` (`kms.Alias.fromAliasName`)      | aws/s3       |
 * | a key whose literal ARN ends in `:alias/aws/s3` (`Key.fromKeyArn`) | aws/s3    |
 * | anything else, or a token                                       | undefined    |
 */
function awsManagedKeyGivenAsIKey(key: kms.IKey | undefined): string | undefined {
  if (!key) {
    return undefined;
  }
  const aliasName = (key as Partial<kms.IAlias>).aliasName;
  if (typeof aliasName === 'string' && !Token.isUnresolved(aliasName) && aliasName === AWS_MANAGED_S3_ALIAS) {
    return `(encryptionKey is the alias '${aliasName}', ${key.node.path})`;
  }
  const arn = key.keyArn;
  if (typeof arn === 'string' && !Token.isUnresolved(arn) && AWS_MANAGED_S3_KEY.test(arn)) {
    return `(encryptionKey has the ARN '${arn}', ${key.node.path})`;
  }
  return undefined;
}

/**
 * Whether a rendered `KMSMasterKeyID` names the AWS managed key aws/s3: `alias/aws/s3` or an alias
 * ARN ending in `:alias/aws/s3`, as a literal or as the literal end of an `Fn::Join` (the ARN
 * `Stack.formatArn` builds for `kms.Alias.fromAliasName(scope, id, 'alias/aws/s3')`).
 */
function namesAwsManagedKey(keyId: unknown): boolean {
  if (typeof keyId === 'string') {
    return AWS_MANAGED_S3_KEY.test(keyId);
  }
  const join = (keyId as Record<string, unknown> | null)?.['Fn::Join'];
  if (!Array.isArray(join) || typeof join[0] !== 'string' || !Array.isArray(join[1]) || join[1].length === 0) {
    return false;
  }
  const parts: unknown[] = join[1];
  const last = parts[parts.length - 1];
  // After a token, only a literal that starts a new ARN field (':alias/aws/s3') is known to be the alias.
  const tail = typeof last === 'string' ? `${parts.length > 1 ? join[0] : ''}${last}` : '';
  return parts.length === 1 ? AWS_MANAGED_S3_KEY.test(tail) : /:alias\/aws\/s3$/.test(tail);
}

/** The refusal of the AWS managed aws/s3 key. */
function awsManagedKeyProblem(bucket: s3.IBucket, how: string): string {
  return `bucket ('${bucket.node.path}') is encrypted with the AWS managed key aws/s3 ${how}, ` +
    'whose key policy cannot grant another account, so Segments could not decrypt the objects. ' +
    'Use BucketEncryption.S3_MANAGED, or BucketEncryption.KMS with a customer managed key (encryptionKey).';
}

/** A value as it is, or resolved in the bucket's stack when it is a token (a resolve per bucket is costly in large stacks). */
function resolvedIfToken(bucket: s3.IBucket, value: unknown): unknown {
  return Token.isUnresolved(value) ? Stack.of(bucket).resolve(value) : value;
}

/** Whether a (resolved) bucket encryption, in either casing, is SSE-KMS with no key given: the AWS managed aws/s3 key. */
function kmsWithoutKey(encryption: any): boolean {
  const rules = encryption?.serverSideEncryptionConfiguration ?? encryption?.ServerSideEncryptionConfiguration ?? [];
  const byDefault = rules[0]?.serverSideEncryptionByDefault ?? rules[0]?.ServerSideEncryptionByDefault;
  const algorithm = byDefault?.sseAlgorithm ?? byDefault?.SSEAlgorithm;
  return typeof algorithm === 'string' && algorithm.startsWith('aws:kms') && (byDefault.kmsMasterKeyId ?? byDefault.KMSMasterKeyID) === undefined;
}

/** An s3.CorsRule in CloudFormation's casing (`allowedOrigins` → `AllowedOrigins`, `id` → `Id`, `maxAge` → `MaxAge`), as the bucket renders it. */
function cloudFormationCasing(rule: s3.CorsRule): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rule)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [key[0].toUpperCase() + key.slice(1), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The Segments CORS rule the template must hold, in CloudFormation casing, and its JSON text (keys in the order the template has them). */
interface ExpectedCorsRule {
  readonly rule: RenderedCorsRule;
  readonly json: string;
}

/** What {@link tokenInputProblems} finds in props without tokens: nothing. */
const NO_TOKEN_INPUTS: ReturnType<typeof tokenInputProblems> = Object.freeze({ problems: [], deployTime: [], origins: undefined });

/** The expected rules of literal origins, by their JSON: most apps use one list of origins for every bucket. */
const EXPECTED_CORS_RULES = new Map<string, ExpectedCorsRule>();

/** The Segments CORS rule for `origins`, in CloudFormation casing; shared by every SegmentsAccess with the same literal origins. */
function expectedCorsRule(origins: readonly string[], tokens: boolean): ExpectedCorsRule {
  const key = tokens ? undefined : JSON.stringify(origins);
  let expected = key === undefined ? undefined : EXPECTED_CORS_RULES.get(key);
  if (!expected) {
    const rule = cloudFormationCasing({ ...segmentsS3CorsRule(origins), allowedMethods: [s3.HttpMethods.GET] }) as RenderedCorsRule;
    expected = { rule, json: JSON.stringify(rule) };
    if (key !== undefined) {
      EXPECTED_CORS_RULES.set(key, expected);
    }
  }
  return expected;
}

/** The JSON text of the first key of a statement up to `"Resource":`, as aws-cdk-lib renders the Segments statement. */
const STATEMENT_JSON_HEAD = `{"Action":${JSON.stringify(SEGMENTS_S3_ACTIONS.length === 1 ? SEGMENTS_S3_ACTIONS[0] : SEGMENTS_S3_ACTIONS)},` +
  `"Effect":"Allow","Principal":{"AWS":${JSON.stringify(SEGMENTS_AWS_PRINCIPAL_ARN)}},"Resource":`;

/**
 * The JSON text of the Segments statement as aws-cdk-lib renders it for a bucket of this stack
 * without tokens in keyPrefixes (a list of one is rendered as its element). Another text, such as
 * other key order, only means the statement is compared field by field instead.
 */
function renderedStatementJson(bucketId: string, keyPrefixes: readonly string[] | undefined): string {
  const arn = `{"Fn::GetAtt":[${JSON.stringify(bucketId)},"Arn"]}`;
  const objects = (keyPrefixes ?? ['']).map((prefix) => `{"Fn::Join":["",[${arn},${JSON.stringify(`/${prefix}*`)}]]}`);
  return `${STATEMENT_JSON_HEAD}${objects.length === 1 ? objects[0] : `[${objects.join(',')}]`},"Sid":${JSON.stringify(SEGMENTS_S3_POLICY_SID)}}`;
}

type RenderedResource = NonNullable<RenderedTemplate['Resources']>[string];
interface RenderedPolicy { readonly logicalId: string; readonly resource: RenderedResource }
const POLICIES_BY_BUCKET = new WeakMap<RenderedTemplate, Map<string, RenderedPolicy[]>>();

/**
 * The template's `AWS::S3::BucketPolicy` resources whose `Bucket` is the bucket: whatever form
 * refers to its resource or its literal name ({@link bucketTargets}: `Ref`, `Fn::Sub`, `Fn::Join`,
 * `Fn::Select`/`Fn::Split` of its ARN...). The template's policies are indexed once per render
 * (keys `ref:<logical ID>` and `name:<bucket name>`), so each bucket's lookup is constant.
 */
function bucketPoliciesOf(template: RenderedTemplate, bucketId: string, bucketName: string | undefined): RenderedPolicy[] {
  let index = POLICIES_BY_BUCKET.get(template);
  if (!index) {
    index = new Map();
    const parameters = (template.Parameters ?? {}) as Record<string, unknown>;
    const context = { stack: '', isParameter: (logicalId: string) => logicalId in parameters };
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      if (resource?.Type !== 'AWS::S3::BucketPolicy') {
        continue;
      }
      const keys = new Set(bucketTargets(resource.Properties?.Bucket, context).map((target) =>
        target.kind === 'resource' ? `ref:${target.logicalId}` : target.kind === 'name' ? `name:${target.name}` : undefined));
      const entry = { logicalId, resource };
      for (const key of keys) {
        if (key !== undefined) {
          index.set(key, [...(index.get(key) ?? []), entry]);
        }
      }
    }
    POLICIES_BY_BUCKET.set(template, index);
  }
  const byRef = index.get(`ref:${bucketId}`) ?? [];
  const byName = bucketName === undefined ? undefined : index.get(`name:${bucketName}`);
  return byName ? [...new Set([...byRef, ...byName])] : byRef;
}

/** The construct path of a rendered resource, for messages: its `aws:cdk:path` metadata, else found in the stack's tree (on errors only). */
function renderedPath(stack: Stack, template: RenderedTemplate, logicalId: string, logicalIdOf: (element: CfnElement) => string): string {
  const path = template.Resources?.[logicalId]?.Metadata?.['aws:cdk:path'];
  if (typeof path === 'string') {
    return path;
  }
  const element = stack.node.findAll().find((construct) => CfnElement.isCfnElement(construct) && logicalIdOf(construct) === logicalId);
  return element?.node.path ?? 'path unknown';
}

/** The statements of a rendered policy document (a single statement object counts as a list of one). */
function statementsOf(document: any): Record<string, unknown>[] {
  const raw = document?.Statement;
  return Array.isArray(raw) ? raw : raw ? [raw] : [];
}

/** Whether two JSON values are equal (object key order aside). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length &&
      keys.every((key) => key in b && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return false;
}

/** Whether two values are the same list in IAM's sense: a scalar is a list of one, and order has no meaning. */
function sameList(a: unknown, b: unknown): boolean {
  const xs = Array.isArray(a) ? a : [a];
  const ys = Array.isArray(b) ? [...b] : [b];
  return xs.length === ys.length && xs.every((x) => {
    const i = ys.findIndex((y) => sameJson(x, y));
    return i >= 0 && ys.splice(i, 1).length === 1;
  });
}

/** Whether two rendered policy statements mean the same: the same elements, lists compared as sets. */
function sameStatement(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => {
    if (!(key in b)) {
      return false;
    }
    const [x, y] = [a[key], b[key]];
    if ((key === 'Principal' || key === 'NotPrincipal') && x && y && typeof x === 'object' && typeof y === 'object') {
      const kinds = Object.keys(x);
      return kinds.length === Object.keys(y).length &&
        kinds.every((kind) => kind in y && sameList((x as Record<string, unknown>)[kind], (y as Record<string, unknown>)[kind]));
    }
    return ['Action', 'NotAction', 'Resource', 'NotResource'].includes(key) ? sameList(x, y) : sameJson(x, y);
  });
}

/** How a value that should be a list is written instead: its intrinsic function (`Fn::If`), or its JSON type. */
function intrinsicName(value: unknown): string {
  const keys = value !== null && typeof value === 'object' ? Object.keys(value) : [];
  return keys.length === 1 && /^(Fn::|Ref$)/.test(keys[0]) ? `an ${keys[0]}` : `a ${value === null ? 'null' : typeof value}`;
}
