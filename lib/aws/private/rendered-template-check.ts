import type { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { throwProblems } from './errors';

/** A stack template as CloudFormation receives it. */
export interface RenderedTemplate {
  readonly Resources?: Record<string, { Type?: string; Properties?: Record<string, any>; Condition?: unknown; Metadata?: Record<string, unknown> }>;
  readonly [key: string]: unknown;
}

/** One check of a rendered template: returns problems (warnings it adds itself). */
export type TemplateCheck = (template: RenderedTemplate) => string[];

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
  /** The stack's check, created on first use; undefined when aws-cdk-lib no longer has the renderer ({@link renderedTemplateUnavailable}). */
  public static of(stack: Stack): RenderedTemplateCheck | undefined {
    let check = CHECKS.get(stack);
    if (!check) {
      const render = (stack as unknown as { _toCloudFormation?: () => RenderedTemplate })._toCloudFormation;
      if (typeof render !== 'function') {
        return undefined;
      }
      check = new RenderedTemplateCheck();
      const checks = check.checks;
      Object.defineProperty(stack, '_toCloudFormation', {
        configurable: true,
        writable: true,
        value: function renderAndCheck(this: Stack): RenderedTemplate {
          const template = render.call(this);
          const failed = checks.map(({ scope, check: run, constructName }) => ({ scope, constructName, problems: run(template) }))
            .filter(({ problems }) => problems.length > 0);
          if (failed.length > 0) {
            throwProblems(failed[0].scope, failed[0].constructName, failed.flatMap(({ problems }) => problems));
          }
          return template;
        },
      });
      CHECKS.set(stack, check);
    }
    return check;
  }

  private readonly checks: { scope: IConstruct; check: TemplateCheck; constructName: string }[] = [];

  private constructor() {}

  /** Runs `check` on every render of the stack's template; its problems are thrown under `scope`, headed by `constructName`. */
  public add(scope: IConstruct, check: TemplateCheck, constructName = 'SegmentsAccess'): void {
    this.checks.push({ scope, check, constructName });
  }
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

/** The version of the aws-cdk-lib in use, when its package.json can be read. */
function awsCdkLibVersion(): string | undefined {
  try {
    return (require('aws-cdk-lib/package.json') as { version?: string }).version;
  } catch {
    return undefined;
  }
}
