import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { throwProblems } from './errors';

/** A stack template as CloudFormation receives it. */
export interface RenderedTemplate {
  readonly Resources?: Record<string, { Type?: string; Properties?: Record<string, any>; Condition?: unknown; Metadata?: Record<string, unknown> }>;
  readonly [key: string]: unknown;
}

/**
 * One check of a rendered template: returns problems (warnings it adds itself). `logicalIdOf`
 * gives an element's logical ID as the template has it (an override included), computed once per
 * render.
 */
export type TemplateCheck = (template: RenderedTemplate, logicalIdOf: (element: CfnElement) => string) => string[];

const CHECKS = new WeakMap<Stack, RenderedTemplateCheck>();

/**
 * Runs checks on the template of a stack exactly as it is written to the cloud assembly, escape
 * hatches included, at the moment aws-cdk-lib renders it: once per stack, with no extra render.
 *
 * An extra render of each stack in a validation costs what the synth of the template itself costs
 * (15-25 % of a synth at 500 buckets: bench/RESULTS.md), so this wraps the stack's own renderer,
 * `_toCloudFormation`, which `_synthesizeTemplate` calls right before writing the file (nested
 * stacks included, at the time their template URL is known). Problems are thrown there, under the
 * construct whose check found them, naming each bucket; warnings are added before the metadata of
 * the rendered stack is collected into the assembly.
 */
export class RenderedTemplateCheck {
  /**
   * The stack's check, created on first use; undefined when aws-cdk-lib no longer has the renderer
   * ({@link renderedTemplateUnavailable}), or the stack's synthesizer cannot be watched.
   *
   * Fails closed: the check also wraps the stack synthesizer's `synthesize` (the public
   * `IStackSynthesizer` method that aws-cdk-lib calls to write each stack), and when that returns
   * without a render having gone through the wrapped renderer (an aws-cdk-lib that keeps
   * `_toCloudFormation` but writes the template another way), synth fails
   * ({@link renderedTemplateSkipped}) instead of writing a template no check has seen.
   */
  public static of(stack: Stack): RenderedTemplateCheck | undefined {
    let check = CHECKS.get(stack);
    if (!check) {
      const render = (stack as unknown as { _toCloudFormation?: () => RenderedTemplate })._toCloudFormation;
      const synthesizer = stack.synthesizer as unknown as { synthesize?: (session: unknown) => void } | undefined;
      const synthesize = synthesizer?.synthesize;
      if (typeof render !== 'function' || typeof synthesize !== 'function') {
        return undefined;
      }
      const created = new RenderedTemplateCheck();
      check = created;
      Object.defineProperty(stack, '_toCloudFormation', {
        configurable: true,
        writable: true,
        value: function renderAndCheck(this: Stack): RenderedTemplate {
          const restore = memoizeLogicalIds(this);
          try {
            const template = render.call(this);
            created.renders++;
            const logicalIdOf = (element: CfnElement) => renderedLogicalId(this, element);
            const failed = created.checks.map(({ scope, constructName, check: run }) => ({ scope, constructName, problems: run(template, logicalIdOf) }))
              .filter(({ problems }) => problems.length > 0);
            if (failed.length > 0) {
              throwProblems(failed[0].scope, failed[0].constructName, failed.flatMap(({ problems }) => problems));
            }
            return template;
          } finally {
            restore();
          }
        },
      });
      Object.defineProperty(synthesizer, 'synthesize', {
        configurable: true,
        writable: true,
        value: function synthesizeChecked(this: unknown, session: unknown): void {
          const renders = created.renders;
          synthesize.call(this, session);
          if (created.renders === renders && created.checks.length > 0) {
            const [{ scope, constructName }] = created.checks;
            throwProblems(scope, constructName, [renderedTemplateSkipped(stack)]);
          }
        },
      });
      CHECKS.set(stack, created);
    }
    return check;
  }

  private readonly checks: { scope: IConstruct; constructName: string; check: TemplateCheck }[] = [];

  /** How many times the stack's template went through the wrapped renderer. */
  private renders = 0;

  private constructor() {}

  /** Runs `check` on every render of the stack's template; its problems are thrown under `scope`, refused by `constructName`. */
  public add(scope: IConstruct, constructName: string, check: TemplateCheck): void {
    this.checks.push({ scope, constructName, check });
  }
}

/**
 * Makes the stack compute each element's logical ID once while it renders and is checked, and
 * returns the function that undoes it. aws-cdk-lib computes an element's ID (an MD5 of its path)
 * again at every reference to it, and the checks need the IDs of each bucket and its policy: a
 * stack that only renders asks the same questions with the same answers, since renames are fixed
 * before synthesis.
 */
function memoizeLogicalIds(stack: Stack): () => void {
  const target = stack as unknown as { getLogicalId: (element: CfnElement) => string };
  const own = Object.getOwnPropertyDescriptor(stack, 'getLogicalId');
  const compute = target.getLogicalId;
  const ids = new Map<CfnElement, string>();
  target.getLogicalId = function memoizedLogicalId(element: CfnElement): string {
    let id = ids.get(element);
    if (id === undefined) {
      id = compute.call(stack, element);
      ids.set(element, id);
    }
    return id;
  };
  return () => {
    if (own) {
      Object.defineProperty(stack, 'getLogicalId', own);
    } else {
      delete (target as { getLogicalId?: unknown }).getLogicalId;
    }
  };
}

/**
 * An element's logical ID as the template has it: `overrideLogicalId`'s, else the stack's
 * (`CfnElement._synthesizeLogicalId`, which the element's `logicalId` token resolves to; the
 * stack's `getLogicalId` alone misses an override).
 */
function renderedLogicalId(stack: Stack, element: CfnElement): string {
  const synthesize = (element as unknown as { _synthesizeLogicalId?: () => string })._synthesizeLogicalId;
  return typeof synthesize === 'function' ? synthesize.call(element) : stack.resolve(element.logicalId);
}

/**
 * The refusal when {@link RenderedTemplateCheck.of} finds no renderer to wrap: without it none of
 * the template checks could run (escape hatches, lock-outs, encryption, a `Lazy` prefix that
 * resolves to '' and grants the whole bucket), so synth stops rather than pass them silently.
 */
export function renderedTemplateUnavailable(stack: Stack): string {
  return `the stack ${stack.node.path} cannot be checked: aws-cdk-lib ${awsCdkLibVersion() ?? '(version unknown)'} has no ` +
    'Stack._toCloudFormation, the renderer segments-cloud-constructs reads each template from to check the bucket, its policy ' +
    'and its CORS rules as they deploy (escape hatches, lock-out Denies, encryption, tokens resolved at synth). ' +
    'Use an aws-cdk-lib version this library was tested with (the peerDependencies range in its package.json), or upgrade segments-cloud-constructs.';
}

/**
 * The refusal when a stack holding a check was written without its template going through the
 * wrapped renderer: the checks were skipped, so the template is refused rather than trusted.
 */
export function renderedTemplateSkipped(stack: Stack): string {
  return `the stack ${stack.node.path} was written without segments-cloud-constructs' check of its template: aws-cdk-lib ` +
    `${awsCdkLibVersion() ?? '(version unknown)'} did not render it through Stack._toCloudFormation, which the checks of the bucket, ` +
    'its policy and its CORS rules (escape hatches, lock-out Denies, encryption, tokens resolved at synth) read each template from, ' +
    'so none of them ran. Use an aws-cdk-lib version this library was tested with (the peerDependencies range in its package.json), ' +
    'or upgrade segments-cloud-constructs.';
}

/** The version of the aws-cdk-lib in use, when its package.json can be read. */
function awsCdkLibVersion(): string | undefined {
  try {
    return (require('aws-cdk-lib/package.json') as { version?: string }).version;
  } catch {
    return undefined;
  }
}
