/**
 * Fails every test that prints to the console without saying it expects to: stray output hides
 * real problems in the test log, and aws-cdk-lib prints its validation report (a warning with a
 * stack trace) through console.error. A test that expects output captures it with
 * `jest.spyOn(console, 'error').mockImplementation(...)`, as `warningsWithId` does, or calls
 * `takeStrayOutput()` to read and clear what was printed.
 *
 * Installed for every test file by `fail-on-stray-output.ts` (jest.config.js `setupFilesAfterEnv`).
 */
import { format } from 'util';

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
const printed: string[] = [];

/** Marks the console methods this guard installed. */
export const STRAY_OUTPUT_GUARD = Symbol.for('segments-cloud-constructs.stray-output-guard');

/** What the current test printed so far; clears it, so the test does not fail for it. */
export function takeStrayOutput(): string[] {
  return printed.splice(0, printed.length);
}

/** Replaces the console methods, and fails each test that printed without taking its output. */
export function installStrayOutputGuard(): void {
  for (const method of METHODS) {
    const guard = (...args: unknown[]): void => {
      printed.push(`console.${method}: ${format(...args)}`);
    };
    Object.defineProperty(guard, STRAY_OUTPUT_GUARD, { value: true });
    console[method] = guard;
  }
  afterEach(failOnStrayOutput);
}

function failOnStrayOutput(): void {
  const stray = takeStrayOutput();
  if (stray.length > 0) {
    throw new Error(`the test printed to the console without expecting it (capture expected output with jest.spyOn(console, ...)):\n${stray.map((line) => line.split('\n').slice(0, 6).join('\n')).join('\n---\n')}`);
  }
}
