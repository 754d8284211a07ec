/**
 * The check of unknown props, shared by every construct (AWS, Google, Azure): cloud-free, imports nothing.
 *
 * TypeScript refuses `bucketname` for `bucketName` only when the app is type-checked, and the
 * documented `tsx main.ts` never type-checks; JavaScript never does. An ignored prop keeps its
 * default, and some defaults widen the grant (no keyPrefixes is every object in the bucket), so
 * each construct refuses a prop it does not know, naming the nearest known one.
 */

/**
 * Every prop of `T`, each `true`, none optional: a prop added to the interface but not to the
 * object fails to compile (`npm test` type-checks), and so does one that the interface lacks.
 */
export type PropNames<T> = { readonly [K in keyof T]-?: true };

/** The names of a construct's props, from the one object that lists them (see {@link PropNames}). */
export function knownProps<T>(names: PropNames<T>): readonly string[] {
  return Object.freeze(Object.keys(names));
}

/**
 * One problem per own key of `props` that is not in `known`, with the nearest known prop when one
 * is close (same letters ignoring case, `_` and `-`, or at most a third of them changed, a swap of two counting as one change).
 */
export function unknownPropProblems(props: unknown, known: readonly string[]): string[] {
  if (props === null || typeof props !== 'object') {
    return [];
  }
  return Object.keys(props).filter((key) => !known.includes(key)).map((key) => {
    const nearest = nearestName(key, known);
    return `unknown prop '${key}'${nearest === undefined ? '.' : `: did you mean '${nearest}'?`} A prop the construct does not know ` +
      `would be ignored, and the one meant would keep its default. Known props: ${known.join(', ')}.`;
  });
}

/** The known name nearest to `name`, or undefined when none is close. */
function nearestName(name: string, known: readonly string[]): string | undefined {
  const folded = fold(name);
  const same = known.find((candidate) => fold(candidate) === folded);
  if (same !== undefined) {
    return same;
  }
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(folded, fold(candidate));
    if (distance <= Math.max(1, Math.floor(candidate.length / 3)) && (best === undefined || distance < best.distance)) {
      best = { name: candidate, distance };
    }
  }
  return best?.name;
}

/** A name in lower case without `_` and `-`: `bucket_name` and `BucketName` fold to `bucketname`. */
function fold(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/**
 * The edit distance of a and b counting a swap of two neighbours as one edit (optimal string
 * alignment): the fewest insertions, deletions, substitutions and transpositions from a to b.
 */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (__, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
