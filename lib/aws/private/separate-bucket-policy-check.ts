import { CfnElement, CfnOutput, CfnParameter, CfnResource, Stack, Token, aws_s3 as s3 } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { type BucketTarget, type TemplateContext, type ValueInTemplate, bucketTargets } from './bucket-reference';

interface Registered {
  readonly bucket: s3.IBucket;
  readonly cfnBucket: s3.CfnBucket;
}

interface RegisteredImport {
  /** The SegmentsImportedBucketAccess. */
  readonly grant: IConstruct;
  /** The stack its custom resource is in, where the bucket's name is read. */
  readonly stack: Stack;
  readonly bucket: s3.IBucket;
}

const CHECKS = new WeakMap<IConstruct, SeparateBucketPolicyCheck>();

/**
 * The app-wide checks of who writes a bucket's policy, run once per app as a validation of its
 * root node (so it adds no construct to the tree) after aws-cdk-lib has wired cross-stack
 * references, walking the construct tree once:
 *
 * - a bucket of SegmentsAccess that has a separate `AWS::S3::BucketPolicy` besides its own anywhere
 *   in the app (its stack, another stack, a nested stack) is refused: a bucket has one policy, so
 *   on deploy one resource would overwrite the other;
 * - a SegmentsImportedBucketAccess whose bucket is a bucket this app defines is refused: the stack
 *   owns that bucket's policy and CORS, and the custom resource would fight it (and on delete remove
 *   the statement from a policy CloudFormation owns).
 *
 * What a `Bucket` property or a bucket name refers to is read by {@link bucketTargets} from the
 * rendered JSON, so every form counts: `Ref`, `Fn::Sub`, `Fn::Join`, `Fn::Select`/`Fn::Split` of
 * the bucket's ARN (`Bucket.fromBucketArn`), a `Lazy`, a cross-stack reference or a hand-made
 * export (`Fn::ImportValue`), a nested stack's parameter, or the bucket's literal name; for any
 * resource of type `AWS::S3::BucketPolicy` (`s3.BucketPolicy`, `CfnBucketPolicy`, a raw `CfnResource`).
 */
export class SeparateBucketPolicyCheck {
  /** The check of the app (the construct tree's root) that holds `scope`, created on first use. */
  public static of(scope: IConstruct): SeparateBucketPolicyCheck {
    const root = scope.node.root;
    let check = CHECKS.get(root);
    if (!check) {
      check = new SeparateBucketPolicyCheck(root);
      CHECKS.set(root, check);
    }
    return check;
  }

  private readonly registered: Registered[] = [];
  private readonly imports: RegisteredImport[] = [];

  private constructor(private readonly root: IConstruct) {
    root.node.addValidation({ validate: () => this.validate() });
  }

  /** Checks this bucket of SegmentsAccess at synth. */
  public register(bucket: s3.IBucket, cfnBucket: s3.CfnBucket): void {
    this.registered.push({ bucket, cfnBucket });
  }

  /** Checks at synth that the bucket of this SegmentsImportedBucketAccess is none the app defines. */
  public registerImport(grant: IConstruct, stack: Stack, bucket: s3.IBucket): void {
    this.imports.push({ grant, stack, bucket });
  }

  private validate(): string[] {
    const app = new AppTemplates();
    const policyResources: CfnResource[] = [];
    const buckets: s3.CfnBucket[] = [];
    for (const construct of this.root.node.findAll()) {
      if (CfnElement.isCfnElement(construct)) {
        app.add(construct);
      }
      if (CfnResource.isCfnResource(construct) && construct.cfnResourceType === 'AWS::S3::BucketPolicy') {
        policyResources.push(construct);
      } else if (s3.CfnBucket.isCfnBucket(construct)) {
        buckets.push(construct);
      }
    }
    // Read once every stack's parameters and exports are known. Rendering a policy costs a resolve, so only those that can
    // matter are read: not a bucket's own policy, nor one in the only stack that holds buckets (its rendered template is judged there).
    const own = new Set(this.registered.map(({ bucket }) => bucket.policy?.node.defaultChild));
    const bucketStacks = new Set(this.registered.map(({ cfnBucket }) => Stack.of(cfnBucket)));
    const policies = policyResources
      .filter((policy) => !own.has(policy) && (bucketStacks.size > 1 || !bucketStacks.has(Stack.of(policy))))
      .map((policy) => ({ policy, targets: bucketTargets(renderedProperty(policy, 'Bucket'), app.context(Stack.of(policy))) }));
    const problems: string[] = [];
    for (const { bucket, cfnBucket } of this.registered) {
      const own = bucket.policy?.node.defaultChild;
      const literalName = literalBucketName(cfnBucket);
      // A policy in the bucket's own stack is judged in that stack's rendered template, by the same resolver (SegmentsAccess's checkPolicy).
      const matching = policies.filter(({ policy, targets }) => policy !== own && Stack.of(policy) !== Stack.of(cfnBucket) &&
        targets.some((target) => refersTo(target, cfnBucket, literalName)));
      for (const { policy, targets } of matching) {
        const byName = literalName !== undefined && targets.some((target) => target.kind === 'name' && target.name === literalName);
        problems.push(`bucket ('${bucket.node.path}') also has the bucket policy ${policy.node.path} (a separate s3.BucketPolicy, CfnBucketPolicy ` +
          `or CfnResource of type AWS::S3::BucketPolicy${byName ? `, naming the bucket '${literalName}'` : ''}). ` +
          'A bucket has one policy, so on deploy one would overwrite the other and either the Segments grant or your statements would be lost. ' +
          'Add those statements with bucket.addToResourcePolicy() instead, and remove the separate policy.');
      }
    }
    for (const { grant, stack, bucket } of this.imports) {
      const targets = bucketTargets(stack.resolve(bucket.bucketName), app.context(stack));
      for (const cfnBucket of buckets) {
        const literalName = literalBucketName(cfnBucket);
        if (!targets.some((target) => refersTo(target, cfnBucket, literalName))) {
          continue;
        }
        const managers = this.registered.filter((entry) => entry.cfnBucket === cfnBucket).map((entry) => entry.bucket.node.path);
        problems.push(`SegmentsImportedBucketAccess ${grant.node.path}: its bucket ('${bucket.node.path}') is the bucket ${cfnBucket.node.path}` +
          `${literalName !== undefined ? ` ('${literalName}')` : ''}, which this app defines${managers.length > 0 ? ' and grants to Segments with SegmentsAccess' : ''}: ` +
          'its stack owns the bucket\'s policy and CORS, so the custom resource and the stack would overwrite each other, and deleting the ' +
          'custom resource would remove the Segments statement from a policy CloudFormation owns. Use SegmentsAccess on that bucket ' +
          '(or SegmentsBucket), and remove the SegmentsImportedBucketAccess.');
      }
    }
    return problems;
  }
}

/** Whether a target is the bucket: its resource, or its literal name. */
function refersTo(target: BucketTarget, cfnBucket: s3.CfnBucket, literalName: string | undefined): boolean {
  if (target.kind === 'resource') {
    const stack = Stack.of(cfnBucket);
    return target.stack === stack.node.path && target.logicalId === stack.resolve(cfnBucket.logicalId);
  }
  return target.kind === 'name' && literalName !== undefined && target.name === literalName;
}

function literalBucketName(cfnBucket: s3.CfnBucket): string | undefined {
  const name = cfnBucket.bucketName;
  return name !== undefined && !Token.isUnresolved(name) ? name : undefined;
}

/** A property of a resource as it renders (escape hatches included), resolved in its stack. */
function renderedProperty(resource: CfnResource, property: string): unknown {
  const stack = Stack.of(resource);
  const render = (resource as unknown as { _toCloudFormation?: () => { Resources?: Record<string, { Properties?: Record<string, unknown> }> } })._toCloudFormation;
  if (typeof render === 'function') {
    const rendered = stack.resolve(render.call(resource));
    return rendered?.Resources?.[stack.resolve(resource.logicalId)]?.Properties?.[property];
  }
  const properties = (resource as unknown as { _cfnProperties?: Record<string, unknown> })._cfnProperties ?? {};
  return stack.resolve(properties[property] ?? properties[property.charAt(0).toLowerCase() + property.slice(1)]);
}

/** What the app's stacks hold, for {@link bucketTargets}: each stack's parameters, nested stacks' parameter values, and every export. */
class AppTemplates {
  private readonly parameters = new Map<Stack, Set<string>>();
  private readonly outputs: CfnOutput[] = [];
  private readonly contexts = new Map<Stack, TemplateContext>();
  private exports?: Map<string, ValueInTemplate>;

  public add(element: CfnElement): void {
    const stack = element.stack;
    if (element instanceof CfnParameter) {
      const names = this.parameters.get(stack) ?? new Set<string>();
      names.add(stack.getLogicalId(element));
      this.parameters.set(stack, names);
    } else if (element instanceof CfnOutput) {
      this.outputs.push(element);
    }
  }

  public context(stack: Stack): TemplateContext {
    let context = this.contexts.get(stack);
    if (!context) {
      const parent = stack.nestedStackParent;
      const resource = stack.nestedStackResource;
      context = {
        stack: stack.node.path,
        isParameter: (logicalId) => this.parameters.get(stack)?.has(logicalId) ?? false,
        parameterValue: (name) => {
          if (!parent || !resource) {
            return undefined;
          }
          const given = parent.resolve((resource as unknown as { parameters?: unknown }).parameters) as Record<string, unknown> | undefined;
          return given && name in given ? { value: given[name], context: this.context(parent) } : undefined;
        },
        exportValue: (name) => this.exportsByName().get(name),
        stackOutputValue: (stackName, outputName) => {
          const output = this.outputs.find((candidate) => candidate.stack.stackName === stackName && candidate.stack.getLogicalId(candidate) === outputName);
          return output ? { value: output.stack.resolve(output.value), context: this.context(output.stack) } : undefined;
        },
      };
      this.contexts.set(stack, context);
    }
    return context;
  }

  private exportsByName(): Map<string, ValueInTemplate> {
    if (!this.exports) {
      this.exports = new Map();
      for (const output of this.outputs) {
        const stack = output.stack;
        const name = output.exportName === undefined ? undefined : stack.resolve(output.exportName);
        if (typeof name === 'string') {
          this.exports.set(name, { value: stack.resolve(output.value), context: this.context(stack) });
        }
      }
    }
    return this.exports;
  }
}
