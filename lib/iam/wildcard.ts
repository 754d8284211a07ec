/**
 * The `*` and `?` wildcards of `Action`, `Resource` and the `...Like` condition operators ("IAM JSON
 * policy elements: Resource", "Condition operators: String"): `*` any run of characters (none
 * included), `?` exactly one character. Matched without building a regular expression: a
 * two-pointer scan that backtracks to the last `*`, linear in practice and allocation-free.
 */

/**
 * A pattern after policy variables are resolved: its characters, and which of them are wildcards.
 * Without `wild`, every `*` and `?` is a wildcard; with it, only those whose flag is set (a `${*}`
 * or a variable's value is literal text).
 */
export interface IamGlob {
  readonly text: string;
  readonly wild?: readonly boolean[];
}

/**
 * Whether `value` matches `pattern` with `*` and `?`.
 *
 * @param caseInsensitive compare ignoring case (actions are case-insensitive; resources are not)
 */
export function matchesIamWildcard(pattern: string, value: string, caseInsensitive = false): boolean {
  return matchesGlob({ text: pattern }, value, caseInsensitive);
}

/** Whether `value` matches a resolved pattern. */
export function matchesGlob(pattern: IamGlob, value: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? pattern.text.toLowerCase() : pattern.text;
  const v = caseInsensitive ? value.toLowerCase() : value;
  const wild = pattern.wild;
  // With toLowerCase, lengths can change only for a few non-ASCII characters; flags then fall back to
  // the literal characters' own meaning, which is the safe reading for ASCII policies.
  const isWild = (i: number): boolean => (wild === undefined || wild.length !== p.length ? true : wild[i]);
  let pi = 0;
  let vi = 0;
  let starP = -1;
  let starV = 0;
  while (vi < v.length) {
    if (pi < p.length) {
      const c = p.charCodeAt(pi);
      if (c === 42 /* * */ && isWild(pi)) {
        starP = pi++;
        starV = vi;
        continue;
      }
      if ((c === 63 /* ? */ && isWild(pi)) || c === v.charCodeAt(vi)) {
        pi++;
        vi++;
        continue;
      }
    }
    if (starP < 0) {
      return false;
    }
    pi = starP + 1;
    vi = ++starV;
  }
  while (pi < p.length && p.charCodeAt(pi) === 42 && isWild(pi)) {
    pi++;
  }
  return pi === p.length;
}
