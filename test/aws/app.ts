import { App, Stack, Stage, type StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cdkJson from '../../cdk.json';

/** The feature flags the example app runs with, so tests see what users of `cdk.json` get. */
export const recommendedContext: Record<string, unknown> = cdkJson.context;

/**
 * A fresh app and stack. Built-in CloudFormation validation is off here (it costs 2-3 s a synth);
 * test/aws/validation.test.ts runs with it on.
 */
export function newStack(props: StackProps = {}): { app: App; stack: Stack } {
  const app = new App({ context: recommendedContext, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'TestStack', props);
  return { app, stack };
}

/** The resources of one type in a template, by logical ID. */
export function resourcesOfType(template: Template, type: string): Record<string, { Properties: any; [key: string]: any }> {
  return template.findResources(type) as Record<string, { Properties: any; [key: string]: any }>;
}

/** The only resource of a type in a template, with its logical ID; fails if there is not exactly one. */
export function onlyResource(template: Template, type: string): { logicalId: string; resource: { Properties: any; [key: string]: any } } {
  const found = Object.entries(resourcesOfType(template, type));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${found.length}`);
  }
  return { logicalId: found[0][0], resource: found[0][1] };
}

/**
 * The warnings on a stack's constructs whose message carries a given stable ID, after synthesis.
 * Read from construct metadata: with the recommended flag `@aws-cdk/core:annotationsInValidationReport`
 * warnings go to the validation report instead of the assembly, where `Annotations.fromStack` looks.
 */
export function warningsWithId(stack: Stack, id: string): string[] {
  // The warnings asserted here are expected: keep aws-cdk-lib's printed validation report out of the test log.
  const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    Stage.of(stack)!.synth();
  } finally {
    printed.mockRestore();
  }
  return stack.node.findAll()
    .flatMap((construct) => construct.node.metadata)
    .filter((entry) => entry.type === 'aws:cdk:warning')
    .map((entry) => String(entry.data))
    .filter((message) => message.includes(id));
}

/** `Fn::GetAtt [logicalId, Arn]` joined with a suffix, as CDK renders `arnForObjects`. */
export function arnWithSuffix(logicalId: string, suffix: string): unknown {
  return { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId, 'Arn'] }, suffix]] };
}

/**
 * A template with the content hashes of file assets (the built handler of SegmentsImportedBucketAccess)
 * replaced by a placeholder, so that a snapshot changes with the template's meaning, not with every
 * edit of the handler's code (the handler has its own tests).
 */
export function withoutAssetHashes<T>(template: T): T {
  return JSON.parse(JSON.stringify(template).replace(/"[0-9a-f]{64}\.zip"/g, '"<asset hash>.zip"'));
}

/**
 * Runs `build`, whose synthesis is expected to print aws-cdk-lib's validation report (the warnings
 * a test asks for, each with a stack trace), and keeps that report out of the test log. Fails when
 * nothing was printed, so a test cannot expect warnings that never come.
 */
export function expectingWarnings<T>(build: () => T): T {
  const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const result = build();
    expect(printed).toHaveBeenCalled();
    return result;
  } finally {
    printed.mockRestore();
  }
}
