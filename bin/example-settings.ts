/**
 * How the cdktf example apps read their settings: the environment first, then the app's context
 * (cdktf.json's `context`, or `CDKTF_CONTEXT_JSON`), then the example's default.
 */

/** Where one setting comes from. */
export interface ExampleSetting {
  /** The environment variable. */
  readonly env: string;
  /** The context key. */
  readonly context: string;
}

/** The value of a setting from the environment or the context; undefined when neither sets it. */
export function readExampleSetting(
  env: NodeJS.ProcessEnv,
  context: (key: string) => unknown,
  setting: ExampleSetting,
): string | undefined {
  const fromEnv = env[setting.env];
  if (fromEnv !== undefined && fromEnv !== '') {
    return fromEnv;
  }
  const fromContext = context(setting.context);
  return typeof fromContext === 'string' && fromContext !== '' ? fromContext : undefined;
}

/** A comma-separated setting as a list, without blanks. */
export function exampleList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}
