/**
 * lib/iam/resource-patterns.ts: a prefix judged for every key under it. The property compares the
 * automaton's answer with brute force over every short key, matched by an independent regex
 * reading of AWS's ARN matching rules ("IAM JSON policy elements: Resource": six segments, `*` and
 * `?` within a segment, case-sensitive; "Variables and tags": `${*}`, `${?}`, `${$}`, defaults).
 */
import fc from 'fast-check';
import { PROPERTY_SEED } from '../helpers/arbitraries';
import { PatternTruth, ResourceElement, ResourceVariables, keySpaceMatches, resourceElementMatches } from '../../lib/iam/resource-patterns';

const NO_VARIABLES: ResourceVariables = () => undefined;

const compiled = new Map<string, (arn: string) => boolean>();

/** The independent reference: one pattern against one ARN, by regular expressions. `unknownAs` is the text an unknown variable's regex stands for. */
function referenceMatch(pattern: string, arn: string, variables: Record<string, string | null>, unknownAs: 'any' | 'none'): boolean {
  const id = JSON.stringify([pattern, variables, unknownAs]);
  let match = compiled.get(id);
  if (match === undefined) {
    match = compileReference(pattern, variables, unknownAs);
    compiled.set(id, match);
  }
  return match(arn);
}

function compileReference(pattern: string, variables: Record<string, string | null>, unknownAs: 'any' | 'none'): (arn: string) => boolean {
  if (pattern === '*') {
    return () => true;
  }
  let missing = false;
  // Variables first, to a marked form: literal text is escaped, wildcards stay wildcards.
  const pieces: string[] = [];
  const re = /\$\{([^}]*)\}|([\s\S])/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(pattern)) !== null) {
    if (m[1] !== undefined) {
      const inner = m[1];
      if (inner === '*' || inner === '?' || inner === '$') {
        pieces.push(`L${inner}`);
        continue;
      }
      const [, name, fallback] = /^\s*([^,\s]+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$/.exec(inner) ?? [];
      const value = name === undefined ? undefined : variables[name];
      if (value === null) {
        pieces.push(unknownAs === 'any' ? 'W*' : 'N');
      } else if (value !== undefined) {
        pieces.push(...Array.from(value).map((c) => `L${c}`));
      } else if (fallback !== undefined) {
        pieces.push(...Array.from(fallback.replace(/''/g, "'")).map((c) => `L${c}`));
      } else {
        missing = true;
      }
    } else {
      const c = m[2];
      pieces.push(c === '*' || c === '?' ? `W${c}` : `L${c}`);
    }
  }
  if (missing) {
    return () => false;
  }
  const segments: string[][] = [[]];
  for (const piece of pieces) {
    if (piece === 'L:' && segments.length < 6) {
      segments.push([]);
    } else {
      segments[segments.length - 1].push(piece);
    }
  }
  if (segments.length < 6) {
    if (!pieces.some((p) => p.startsWith('W'))) {
      return () => false;
    }
    while (segments.length < 6) {
      segments.push(['W*']);
    }
  }
  const toRegex = (segment: string[]) => new RegExp(`^${segment.map((p) => p === 'W*' ? '.*' : p === 'W?' ? '.' : p === 'N' ? '(?!)' :
    p.slice(1).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('')}$`, 'su');
  const regexes = segments.map(toRegex);
  return (arn) => {
    const parts = arn.split(':');
    const arnSegments = [...parts.slice(0, 5), parts.slice(5).join(':')];
    return regexes.every((regex, i) => regex.test(arnSegments[i]));
  };
}

function referenceElement(element: ResourceElement, arn: string, variables: Record<string, string | null>): PatternTruth {
  const lower = element.patterns.some((p) => referenceMatch(p, arn, variables, 'none'));
  const upper = element.patterns.some((p) => referenceMatch(p, arn, variables, 'any'));
  const any: PatternTruth = lower ? true : upper ? 'unknown' : false;
  return element.not ? (any === 'unknown' ? 'unknown' : !any) : any;
}

const lookup = (variables: Record<string, string | null>): ResourceVariables => (key) => (key in variables ? variables[key] : undefined);

describe('keySpaceMatches: what the patterns match under a prefix, decided for every key', () => {
  const arn = 'arn:aws:s3:::images/';

  it('an Allow on *.jpg covers some keys of the bucket but not all, and names one it does not', () => {
    const answer = keySpaceMatches(arn, [{ patterns: ['arn:aws:s3:::images/*.jpg'] }], NO_VARIABLES, { nonEmptySuffix: true });
    expect(answer.complete).toBe(true);
    const classes = answer.complete ? answer.classes : [];
    expect(classes.map((c) => c.matches[0]).sort()).toEqual([false, true]);
    const uncovered = classes.find((c) => c.matches[0] === false)!;
    expect(uncovered.example).toBe('x');
    expect(classes.find((c) => c.matches[0] === true)!.example).toBe('.jpg');
  });

  it('an Allow on the bucket\'s objects (images/*) covers every key, a Deny on masks/* can match some', () => {
    const answer = keySpaceMatches(arn, [{ patterns: ['arn:aws:s3:::images/*'] }, { patterns: ['arn:aws:s3:::images/masks/*'] }], NO_VARIABLES, { nonEmptySuffix: true });
    const classes = answer.complete ? answer.classes : [];
    expect(classes.every((c) => c.matches[0] === true)).toBe(true);
    expect(classes.find((c) => c.matches[1] === true)?.example).toBe('masks/');
  });

  it('a prefix the Allow covers entirely, and one it covers only in part', () => {
    const allow = [{ patterns: ['arn:aws:s3:::images/cats/*', 'arn:aws:s3:::images/dogs/?*'] }];
    const whole = (prefix: string) => {
      const answer = keySpaceMatches(`arn:aws:s3:::images/${prefix}`, allow, NO_VARIABLES, { nonEmptySuffix: prefix === '' });
      return answer.complete && answer.classes.every((c) => c.matches[0] === true);
    };
    expect(whole('cats/')).toBe(true);
    expect(whole('cats')).toBe(false);
    // dogs/?* needs one character after dogs/: the key 'dogs/' itself is not covered.
    expect(whole('dogs/')).toBe(false);
    expect(whole('dogs/a')).toBe(true);
  });

  it('NotResource: a Deny on everything but *.jpg matches the .png keys', () => {
    const answer = keySpaceMatches(arn, [{ patterns: ['arn:aws:s3:::images/*.jpg'], not: true }], NO_VARIABLES, { nonEmptySuffix: true });
    const classes = answer.complete ? answer.classes : [];
    expect(classes.find((c) => c.matches[0] === true)?.example).toBe('x');
  });

  it('a policy variable: known (its text, not a wildcard), unknown (the match is unknown), missing (its default, or no match), ${*} a literal star', () => {
    const known = lookup({ 'aws:username': 'segmentsai-prod-user', 'aws:SourceIp': null });
    const classesOf = (pattern: string, prefix = arn) => {
      const answer = keySpaceMatches(prefix, [{ patterns: [pattern] }], known, { nonEmptySuffix: true });
      return answer.complete ? answer.classes.map((c) => c.matches[0]).sort() : ['incomplete'];
    };
    expect(classesOf('arn:aws:s3:::images/${aws:username}/*', 'arn:aws:s3:::images/segmentsai-prod-user/')).toEqual([true]);
    expect(classesOf('arn:aws:s3:::images/${aws:SourceIp}/*', 'arn:aws:s3:::images/a/')).toEqual(['unknown']);
    expect(classesOf('arn:aws:s3:::images/${aws:PrincipalTag/team}/*', 'arn:aws:s3:::images/a/')).toEqual([false]);
    expect(classesOf("arn:aws:s3:::images/${aws:PrincipalTag/team, 'a'}/*", 'arn:aws:s3:::images/a/')).toEqual([true]);
    expect(classesOf('arn:aws:s3:::images/${*}', 'arn:aws:s3:::images/')).toEqual([false, true]);
    expect(resourceElementMatches({ patterns: ['arn:aws:s3:::images/${*}'] }, 'arn:aws:s3:::images/*', known)).toBe(true);
    expect(resourceElementMatches({ patterns: ['arn:aws:s3:::images/${*}'] }, 'arn:aws:s3:::images/a', known)).toBe(false);
  });

  it('segments: a wildcard does not span the colons before the resource part; a short ARN with a wildcard ends in *', () => {
    const matchesAll = (pattern: string) => {
      const answer = keySpaceMatches(arn, [{ patterns: [pattern] }], NO_VARIABLES, { nonEmptySuffix: true });
      return answer.complete ? answer.classes.map((c) => c.matches[0]).sort() : ['incomplete'];
    };
    expect(matchesAll('*')).toEqual([true]);
    expect(matchesAll('arn:aws:s3:::*')).toEqual([true]);
    expect(matchesAll('arn:*:s3:::images/*')).toEqual([true]);
    expect(matchesAll('arn:aws:s3*')).toEqual([true]);
    expect(matchesAll('arn:aws:s3')).toEqual([false]);
    // arn:aws:*:images/* has four segments: its third '*' cannot swallow the empty region and account.
    expect(matchesAll('arn:aws:*:images/*')).toEqual([false]);
    expect(matchesAll('arn:aws:s3:::Images/*')).toEqual([false]);
  });

  it('gives up, claiming nothing, past its state limit', () => {
    const answer = keySpaceMatches(arn, [{ patterns: ['arn:aws:s3:::images/*a*b*c*d*'] }, { patterns: ['arn:aws:s3:::images/*e?f?g*'] }], NO_VARIABLES, { maxStates: 5 });
    expect(answer.complete).toBe(false);
  });

  describe('property: the classes are exactly the match vectors of the keys, by brute force', () => {
    const CHARS = ['a', 'b', '/', '.'];
    const patternBody = fc.array(fc.oneof(fc.constantFrom(...CHARS), fc.constantFrom('*', '?', '${v}', '${w}', "${m, 'a'}", '${*}')), { maxLength: 4 })
      .map((parts) => parts.join(''));
    const pattern = fc.oneof(
      { weight: 8, arbitrary: patternBody.map((body) => `arn:aws:s3:::B/${body}`) },
      { weight: 1, arbitrary: patternBody.map((body) => `arn:aws:s3:::${body}`) },
      { weight: 1, arbitrary: fc.constantFrom('*', 'arn:aws:s3:::*', 'arn:aws:s3*', 'arn:aws:s3:::C/*') },
    );
    const element = fc.record({ patterns: fc.array(pattern, { minLength: 1, maxLength: 2 }), not: fc.boolean() });
    const prefix = fc.array(fc.constantFrom(...CHARS), { maxLength: 3 }).map((parts) => parts.join(''));
    const variables = fc.record({ v: fc.constantFrom<string | null>('a', 'b/', null), w: fc.constant<string | null>(null) });

    const ALPHABET = [...CHARS, '*', 'x'];
    function keysUpTo(length: number): string[] {
      const out = [''];
      let frontier = [''];
      for (let n = 0; n < length; n++) {
        frontier = frontier.flatMap((s) => ALPHABET.map((c) => s + c));
        out.push(...frontier);
      }
      return out;
    }
    const KEYS = keysUpTo(3);

    it('on random patterns, prefixes and variables', () => {
      fc.assert(fc.property(fc.array(element, { minLength: 1, maxLength: 3 }), prefix, variables, (elements, p, vars) => {
        const arnPrefix = `arn:aws:s3:::B/${p}`;
        const answer = keySpaceMatches(arnPrefix, elements, lookup(vars), { nonEmptySuffix: p === '' });
        expect(answer.complete).toBe(true);
        if (!answer.complete) {
          return;
        }
        const vector = (suffix: string) => elements.map((e) => referenceElement(e, arnPrefix + suffix, vars)).map(String).join(',');
        const found = new Set(answer.classes.map((c) => c.matches.map(String).join(',')));
        // Every class is real: its example key has exactly its matches.
        for (const c of answer.classes) {
          expect(p === '' ? c.example.length : 1).toBeGreaterThan(0);
          expect(vector(c.example)).toBe(c.matches.map(String).join(','));
        }
        // Every key (up to three characters) is in some class.
        for (const suffix of KEYS) {
          if (p === '' && suffix === '') {
            continue;
          }
          expect(found.has(vector(suffix))).toBe(true);
        }
      }), { seed: PROPERTY_SEED, numRuns: 200 });
    });
  });
});
