/**
 * A small parser for `--flag value` and `--flag=value`, strict about what it accepts: an unknown
 * flag, a missing value, a repeated single-valued flag or a stray argument is a usage error, never
 * silently ignored. (`node:util` `parseArgs` would do most of this, but its messages are several
 * sentences long and mention features this CLI does not have.)
 */
import { usageError } from './errors';

/**
 * The flags one command accepts: the name without `--`, whether it may be repeated, and whether it
 * is a switch (`--json`), which takes no value.
 */
export type FlagSpec = Readonly<Record<string, { readonly repeatable: boolean; readonly switch?: boolean }>>;

/** The parsed flags: each repeatable flag as a list (possibly empty), each other flag as a string or absent, a switch as `['true']` when given. */
export interface ParsedFlags {
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly help: boolean;
}

/**
 * Parses a command's arguments (after the command name) against its flags. `--help` (or `-h`)
 * anywhere wins over every other argument, even a flag it follows (`--bucket --help`): whoever
 * types it wants the help, not an error about the rest.
 */
export function parseFlags(command: string, args: readonly string[], spec: FlagSpec): ParsedFlags {
  const values = new Map<string, string[]>();
  if (args.some((arg) => arg === '--help' || arg === '-h')) {
    return { values, help: true };
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-') || arg === '-') {
      throw usageError(`${command} takes no argument '${arg}'; values follow their flag, as in --bucket NAME`, command);
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : undefined;
    const flag = name === undefined ? undefined : spec[name];
    if (name === undefined || !flag) {
      const known = Object.keys(spec).map((f) => `--${f}`).join(', ');
      throw usageError(`${command} has no flag '${eq < 0 ? arg : arg.slice(0, eq)}'; it takes ${known} and --help`, command);
    }
    if (flag.switch) {
      if (eq >= 0) {
        throw usageError(`--${name} takes no value; write --${name} alone`, command);
      }
      if (values.has(name)) {
        throw usageError(`--${name} is given twice; give it once`, command);
      }
      values.set(name, ['true']);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else if (i + 1 < args.length && !args[i + 1].startsWith('--')) {
      value = args[++i];
    }
    if (value === undefined) {
      throw usageError(`--${name} needs a value`, command);
    }
    if (value === '') {
      throw usageError(`--${name} needs a value, and '${arg}${eq < 0 ? ' \'\'' : ''}' gives an empty one`, command);
    }
    const previous = values.get(name) ?? [];
    if (!flag.repeatable && previous.length > 0) {
      throw usageError(`--${name} is given twice; give it once`, command);
    }
    values.set(name, [...previous, value]);
  }
  return { values, help: false };
}

/** The single value of a flag, or undefined when it was not given. */
export function single(flags: ParsedFlags, name: string): string | undefined {
  return flags.values.get(name)?.[0];
}

/** Whether a switch (or any flag) was given. */
export function given(flags: ParsedFlags, name: string): boolean {
  return flags.values.has(name);
}

/** Every value of a repeatable flag, in the order given (empty when not given). */
export function all(flags: ParsedFlags, name: string): readonly string[] {
  return flags.values.get(name) ?? [];
}
