/**
 * Resource patterns over a whole key space: which statements of a policy can match some key that
 * starts with a prefix, and which match every such key. Decided on the patterns (glob containment
 * and intersection), never on sample keys, so a prefix judged here is judged for every key under it.
 *
 * A `Resource` or `NotResource` value is matched as AWS matches ARNs ("IAM JSON policy elements:
 * Resource"): `*` alone matches every resource; otherwise the pattern and the ARN are split into
 * six segments at their first five colons, and each segment is matched on its own, case-sensitively,
 * with `*` (any run of characters, none included) and `?` (any one character), which never span a
 * segment (the sixth segment, the resource part, keeps its own colons). Policy variables
 * (`${aws:username}`, `${key, 'default'}`) are replaced first ("IAM policy elements: Variables and
 * tags"): `${*}`, `${?}` and `${$}` stand for the characters themselves; a variable whose value is
 * known becomes that text (not a wildcard); one whose value is missing takes its default, or
 * matches nothing; one whose value is unknown makes the pattern's match unknown wherever it can
 * decide it.
 *
 * The question asked is {@link keySpaceMatches}: for the ARNs `arnPrefix + s` over every suffix
 * `s`, which combinations of element matches occur, each with the shortest example suffix. The
 * answer comes from a subset construction over all patterns at once (a deterministic automaton of
 * their joint state), explored breadth first; its alphabet is the characters the patterns name,
 * plus one character that none names, standing for all the others.
 */

/** A three-valued truth: `'unknown'` when it depends on a value only known later (a policy variable, an intrinsic). */
export type PatternTruth = boolean | 'unknown';

/**
 * A policy variable's value for the request: its text when known, `undefined` when the request does
 * not carry the key, `null` when the key's value is not known.
 */
export type ResourceVariableValue = string | undefined | null;

/** Looks up a policy variable by its key name (matched case-insensitively by the caller). */
export type ResourceVariables = (key: string) => ResourceVariableValue;

/** A `Resource` or `NotResource` element: its patterns, as written. */
export interface ResourceElement {
  /** Its patterns (a single string counts as a list of one). */
  readonly patterns: readonly string[];
  /** True for `NotResource`: the element matches a resource that none of its patterns matches. */
  readonly not?: boolean;
}

/** One combination of element matches that some key under the prefix has. */
export interface KeySpaceClass {
  /** Each element's match for these keys, in the order given. */
  readonly matches: readonly PatternTruth[];
  /** The shortest suffix (after the prefix) of a key in this class, with the alphabet's plainest characters. */
  readonly example: string;
}

/** The answer of {@link keySpaceMatches}. */
export type KeySpaceAnswer =
  | { readonly complete: true; readonly classes: readonly KeySpaceClass[] }
  /** The joint automaton grew past the limit: nothing is claimed. */
  | { readonly complete: false; readonly states: number };

const STAR = 0;
const QMARK = 1;
/** Matches nothing: a variable without a value in the lower view. */
const DEAD = 2;
/** A pattern token: a literal character (a one-character string) or one of the codes above. */
type Token = string | typeof STAR | typeof QMARK | typeof DEAD;

/** A pattern parsed for one view (`lower`: unknown variables match nothing; `upper`: they match anything). */
interface ParsedPattern {
  /** Every resource matches (`*` alone). */
  readonly all: boolean;
  /** The five segments before the resource part, as globs (for `all`: empty). */
  readonly head: readonly Token[][];
  /** The resource part (the sixth segment). */
  readonly tail: readonly Token[];
  /** No resource can match (a missing variable without default, too few segments). */
  readonly never: boolean;
}

/** The largest joint automaton explored before giving up. */
const MAX_STATES = 20_000;

/**
 * Replaces the policy variables of a pattern, keeping wildcards as tokens. Unknown variables become
 * `unknownAs` (STAR in the upper view, DEAD in the lower). Returns `undefined` when a missing
 * variable without default makes the pattern match nothing.
 */
function resourcePatternTokens(pattern: string, variables: ResourceVariables, unknownAs: 'star' | 'dead'): Token[] | undefined {
  const tokens: Token[] = [];
  const chars = Array.from(pattern);
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    if (c === '$' && chars[i + 1] === '{') {
      const end = chars.indexOf('}', i + 2);
      if (end > 0) {
        const inner = chars.slice(i + 2, end).join('');
        i = end + 1;
        if (inner === '*' || inner === '?' || inner === '$') {
          tokens.push(inner);
          continue;
        }
        const parsed = /^\s*([^,\s]+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$/.exec(inner);
        if (!parsed) {
          tokens.push(...`\${${inner}}`);
          continue;
        }
        const value = variables(parsed[1]);
        const fallback = parsed[2]?.replace(/''/g, "'");
        if (value === null) {
          tokens.push(unknownAs === 'star' ? STAR : DEAD);
        } else if (value !== undefined) {
          tokens.push(...value);
        } else if (fallback !== undefined) {
          tokens.push(...fallback);
        } else {
          return undefined;
        }
        continue;
      }
    }
    tokens.push(c === '*' ? STAR : c === '?' ? QMARK : c);
    i++;
  }
  return tokens;
}

function parsePattern(pattern: string, variables: ResourceVariables, unknownAs: 'star' | 'dead'): ParsedPattern {
  const never = { all: false, head: [], tail: [], never: true };
  if (pattern === '*') {
    return { all: true, head: [], tail: [], never: false };
  }
  const tokens = resourcePatternTokens(pattern, variables, unknownAs);
  if (tokens === undefined) {
    return never;
  }
  const segments: Token[][] = [[]];
  for (const token of tokens) {
    if (token === ':' && segments.length < 6) {
      segments.push([]);
    } else {
      segments[segments.length - 1].push(token);
    }
  }
  if (segments.length < 6) {
    // A short ARN: with a wildcard, its missing segments are '*'; without, it names no resource.
    if (!tokens.some((token) => token === STAR || token === QMARK)) {
      return never;
    }
    while (segments.length < 6) {
      segments.push([STAR]);
    }
  }
  return { all: false, head: segments.slice(0, 5), tail: segments[5], never: false };
}

/** Whether a glob of tokens matches a whole concrete string (a DEAD token matches nothing). */
function globMatches(tokens: readonly Token[], text: string): boolean {
  let states = closure(tokens, new Set([0]));
  for (const c of text) {
    states = step(tokens, states, c);
    if (states.size === 0) {
      return false;
    }
  }
  return states.has(tokens.length);
}

function closure(tokens: readonly Token[], states: Set<number>): Set<number> {
  const out = new Set(states);
  for (const s of states) {
    let i = s;
    while (i < tokens.length && tokens[i] === STAR) {
      i++;
      out.add(i);
    }
  }
  return out;
}

function step(tokens: readonly Token[], states: ReadonlySet<number>, c: string): Set<number> {
  const next = new Set<number>();
  for (const s of states) {
    const token = tokens[s];
    if (s >= tokens.length || token === DEAD) {
      continue;
    }
    if (token === STAR) {
      next.add(s);
    } else if (token === QMARK || token === c) {
      next.add(s + 1);
    }
  }
  return closure(tokens, next);
}

/** The six segments of a concrete ARN (the sixth keeps its colons), or undefined with fewer. */
function arnSegments(arn: string): string[] | undefined {
  const parts = arn.split(':');
  return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * Whether one resource pattern matches a concrete ARN, three-valued: `'unknown'` when an unknown
 * policy variable decides it. The single-resource form of what {@link keySpaceMatches} decides for
 * every key at once.
 */
export function resourcePatternMatches(pattern: string, arn: string, variables: ResourceVariables): PatternTruth {
  const matchesIn = (view: 'star' | 'dead') => {
    const parsed = parsePattern(pattern, variables, view);
    if (parsed.never) {
      return false;
    }
    if (parsed.all) {
      return true;
    }
    const segments = arnSegments(arn);
    return segments !== undefined && parsed.head.every((glob, i) => globMatches(glob, segments[i])) && globMatches(parsed.tail, segments[5]);
  };
  return matchesIn('dead') ? true : matchesIn('star') ? 'unknown' : false;
}

/** Whether a `Resource`/`NotResource` element matches a concrete ARN, three-valued. */
export function resourceElementMatches(element: ResourceElement, arn: string, variables: ResourceVariables): PatternTruth {
  return elementTruth(element, element.patterns.map((pattern) => resourcePatternMatches(pattern, arn, variables)));
}

function elementTruth(element: ResourceElement, each: readonly PatternTruth[]): PatternTruth {
  const any: PatternTruth = each.includes(true) ? true : each.includes('unknown') ? 'unknown' : false;
  return element.not ? (any === 'unknown' ? 'unknown' : !any) : any;
}

/**
 * For every ARN `arnPrefix + s` (s any string; non-empty when `nonEmptySuffix`; only the empty one when `exact`), which combinations
 * of element matches occur, each with its shortest example suffix. `arnPrefix` is concrete (such as
 * `arn:aws:s3:::bucket/images/`) and must have its five colons. Gives up (`complete: false`) when
 * the joint automaton grows past `maxStates`.
 */
export function keySpaceMatches(
  arnPrefix: string,
  elements: readonly ResourceElement[],
  variables: ResourceVariables,
  options: { readonly nonEmptySuffix?: boolean; readonly exact?: boolean; readonly maxStates?: number } = {},
): KeySpaceAnswer {
  const segments = arnSegments(arnPrefix);
  if (segments === undefined) {
    throw new Error(`keySpaceMatches: '${arnPrefix}' is not an ARN prefix with its six segments`);
  }
  const maxStates = options.maxStates ?? MAX_STATES;
  // Each pattern in its two views. A pattern whose head does not match the prefix's head, or that
  // matches nothing, is dropped from the automaton: it never matches.
  interface Automaton { readonly tokens: readonly Token[]; readonly all: boolean }
  const automata: Automaton[] = [];
  const views = elements.map((element) => element.patterns.map((pattern) => {
    const slot = (view: 'star' | 'dead'): number => {
      const parsed = parsePattern(pattern, variables, view);
      if (parsed.never || (!parsed.all && !parsed.head.every((glob, i) => globMatches(glob, segments[i])))) {
        return -1;
      }
      automata.push({ tokens: parsed.tail, all: parsed.all });
      return automata.length - 1;
    };
    return { lower: slot('dead'), upper: slot('star') };
  }));

  // The character no pattern names comes first, so that examples read as plain keys ('x', not 'i').
  const named = new Set(automata.flatMap((a) => a.tokens.filter((t): t is string => typeof t === 'string')));
  const alphabet = [otherCharacter(named), ...named];

  type State = readonly (ReadonlySet<number>)[];
  const keyOf = (state: State) => state.map((s) => [...s].sort((a, b) => a - b).join(',')).join('|');
  const advance = (state: State, c: string): State => state.map((s, i) => (automata[i].all ? s : step(automata[i].tokens, s, c)));
  const accepts = (state: State, i: number) => i >= 0 && (automata[i].all || state[i].has(automata[i].tokens.length));

  let start: State = automata.map((a) => closure(a.tokens, new Set([0])));
  for (const c of segments[5]) {
    start = advance(start, c);
  }

  const seen = new Map<string, { state: State; example: string }>();
  const queue: { state: State; example: string }[] = [];
  const visit = (state: State, example: string) => {
    const key = keyOf(state);
    if (!seen.has(key)) {
      const entry = { state, example };
      seen.set(key, entry);
      queue.push(entry);
    }
  };
  if (options.nonEmptySuffix) {
    for (const c of alphabet) {
      visit(advance(start, c), c);
    }
  } else {
    visit(start, '');
  }
  const classes = new Map<string, KeySpaceClass>();
  for (let head = 0; head < queue.length; head++) {
    if (seen.size > maxStates) {
      return { complete: false, states: seen.size };
    }
    const { state, example } = queue[head];
    const matches = views.map((patterns, e) => elementTruth(elements[e], patterns.map(({ lower, upper }) =>
      (accepts(state, lower) ? true : accepts(state, upper) ? 'unknown' : false))));
    const id = matches.map(String).join(',');
    if (!classes.has(id)) {
      classes.set(id, { matches, example });
    }
    if (!options.exact) {
      for (const c of alphabet) {
        visit(advance(state, c), example + c);
      }
    }
  }
  return { complete: true, classes: [...classes.values()] };
}

/** A character no pattern names, standing for all of them: a plain letter or digit when one is free. */
function otherCharacter(used: ReadonlySet<string>): string {
  for (const c of 'xyzqwabcdefghijklmnoprstuv0123456789') {
    if (!used.has(c)) {
      return c;
    }
  }
  for (let code = 0xe000; ; code++) {
    const c = String.fromCharCode(code);
    if (!used.has(c)) {
      return c;
    }
  }
}
