import type { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { throwProblems } from './errors';

/** A stack template as CloudFormation receives it. */
export interface RenderedTemplate {
  readonly Resources?: Record<string, { Type?: string; Properties?: Record<string, any> }>;
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
 * stacks included, at the time their template URL is known). Problems are thrown there, naming each
 * bucket; warnings are added before the stack's metadata is collected into the assembly.
 */
export class RenderedTemplateCheck {
  /** The stack's check, created on first use; undefined when aws-cdk-lib no longer has the renderer. */
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
          const problems = checks.flatMap(({ check: run }) => run(template));
          if (problems.length > 0) {
            throwProblems(checks[0].scope, 'SegmentsAccess', problems);
          }
          return template;
        },
      });
      CHECKS.set(stack, check);
    }
    return check;
  }

  private readonly checks: { scope: IConstruct; check: TemplateCheck }[] = [];

  private constructor() {}

  /** Runs `check` on every render of the stack's template. */
  public add(scope: IConstruct, check: TemplateCheck): void {
    this.checks.push({ scope, check });
  }
}
