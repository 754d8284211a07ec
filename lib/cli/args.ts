/**
 * A small parser for `--flag value` and `--flag=value`, strict about what it accepts: an unknown
 * flag, a missing value, a repeated single-valued flag or a stray argument is a usage error, never
 * silently ignored. (`node:util` `parseArgs` would do most of this, but its messages are several
 * sentences long and mention features this CLI does not have.)
 */
import { usageError } from './errors';

/** The flags one command accepts: the name without `--`, and whether it may be repeated. */
export type FlagSpec = Readonly<Record<string, { readonly repeatable: boolean }>>;

/** The parsed flags: each repeatable flag as a list (possibly empty), each other flag as a string or absent. */
export interface ParsedFlags {
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly help: boolean;
}

/** Parses a command's arguments (after the command name) against its flags. */
export function parseFlags(command: string, args: readonly string[], spec: FlagSpec): ParsedFlags {
  const values = new Map<string, string[]>();
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
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
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else if (i + 1 < args.length && !args[i + 1].startsWith('--')) {
      value = args[++i];
    }
    if (value === undefined) {
      throw usageError(`--${name} needs a value`, command);
    }
    const previous = values.get(name) ?? [];
    if (!flag.repeatable && previous.length > 0) {
      throw usageError(`--${name} is given twice; give it once`, command);
    }
    values.set(name, [...previous, value]);
  }
  return { values, help };
}

/** The single value of a flag, or undefined when it was not given. */
export function single(flags: ParsedFlags, name: string): string | undefined {
  return flags.values.get(name)?.[0];
}

/** Every value of a repeatable flag, in the order given (empty when not given). */
export function all(flags: ParsedFlags, name: string): readonly string[] {
  return flags.values.get(name) ?? [];
}
