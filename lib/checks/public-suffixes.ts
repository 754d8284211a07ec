/*! Includes the Public Suffix List (https://publicsuffix.org/list/, Mozilla Public License 2.0), in the form
 *  that tldts 7.6.0 ships it (https://github.com/remusao/tldts, MIT License, (c) 2017 Thomas Parisot,
 *  2018 Remi Berson). */

/**
 * Public suffixes: the domains under which anyone can get a host (`co.uk`, `github.io`,
 * `blob.core.windows.net`, ...), from the Public Suffix List, ICANN and private sections alike.
 *
 * The list comes from `tldts`, a development dependency that the build bundles into `dist`, so the
 * package keeps zero runtime dependencies. It is read on the first wildcard origin checked, not when
 * the package is loaded (about 140 KB of data that most apps, with exact origins, never need).
 */

/**
 * Shared cloud domains missing from the Public Suffix List, under which anyone can get a host,
 * written as list rules (`*` is one label).
 */
const UNLISTED_SHARED_DOMAINS: readonly string[] = [
  // Azure names every virtual machine and load balancer with a public IP `<label>.<region>.cloudapp.azure.com`.
  'cloudapp.azure.com', '*.cloudapp.azure.com',
];

/** Whether `domain` is the rule (`*` matching one label) or lies above it. */
function isRuleOrAncestor(rule: string, domain: string): boolean {
  const ruleLabels = rule.split('.');
  const labels = domain.split('.');
  if (labels.length > ruleLabels.length) {
    return false;
  }
  const tail = ruleLabels.slice(ruleLabels.length - labels.length);
  return tail.every((label, i) => label === '*' || label === labels[i]);
}

/** The flat trie of tldts (`tldts/dist/cjs/src/data/trie.js`): labels read right to left. */
interface SuffixTrie {
  /** Per node: 1 an ICANN rule ends here, 2 a private rule, 0 none. */
  readonly nodeFlags: ArrayLike<number>;
  /** Per node, the first of its edges; node n's edges are edgeStart[n] .. edgeStart[n + 1] - 1. */
  readonly edgeStart: ArrayLike<number>;
  /** Per edge, the length of its label in labelText (labels are stored one after another, in edge order). */
  readonly edgeLength: ArrayLike<number>;
  /** Per edge, the node it leads to. */
  readonly edgeChild: ArrayLike<number>;
  readonly labelText: string;
  /** The root of the rules; exceptions (`!www.ck`) have their own root. */
  readonly rulesRoot: number;
  readonly exceptionsRoot: number;
}

let loaded: { trie: SuffixTrie; edgeOffset: Uint32Array } | undefined;

function suffixTrie(): { trie: SuffixTrie; edgeOffset: Uint32Array } {
  if (loaded === undefined) {
    // A require here, not an import: the list is loaded (and bundled by esbuild as a lazy module)
    // only when a wildcard origin is checked.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const trie = require('tldts/dist/cjs/src/data/trie.js') as SuffixTrie;
    const edgeOffset = new Uint32Array(trie.edgeLength.length);
    for (let edge = 0, offset = 0; edge < trie.edgeLength.length; edge += 1) {
      edgeOffset[edge] = offset;
      offset += trie.edgeLength[edge];
    }
    loaded = { trie, edgeOffset };
  }
  return loaded;
}

/** The node reached from `root` by the labels of `domain` (right to left, `*` rules matching any label), or -1. */
function walk(domain: string, root: number): number {
  const { trie, edgeOffset } = suffixTrie();
  let node = root;
  for (const label of domain.split('.').reverse()) {
    let next = -1;
    let wildcard = -1;
    for (let edge = trie.edgeStart[node]; edge < trie.edgeStart[node + 1]; edge += 1) {
      const text = trie.labelText.substr(edgeOffset[edge], trie.edgeLength[edge]);
      if (text === label) {
        next = trie.edgeChild[edge];
        break;
      }
      if (text === '*') {
        wildcard = trie.edgeChild[edge];
      }
    }
    node = next >= 0 ? next : wildcard;
    if (node < 0) {
      return -1;
    }
  }
  return node;
}

/** Whether some public suffix lies strictly under the node (a trie node exists only on the way to a rule). */
function hasChildren(trie: SuffixTrie, node: number): boolean {
  return trie.edgeStart[node + 1] > trie.edgeStart[node];
}

/**
 * Whether `domain` (lowercase, dot-separated labels) is a public suffix or an ancestor of one, so
 * that a wildcard `*.<domain>` would match hosts that anyone can get: `co.uk`, `github.io` and
 * `blob.core.windows.net` are public suffixes; `windows.net` and `core.windows.net` are ancestors of
 * `blob.core.windows.net`; `amazonaws.com` of `s3.amazonaws.com`. `segments.ai` and
 * `acme.github.io` are neither.
 */
export function isPublicSuffixOrAncestor(domain: string): boolean {
  if (UNLISTED_SHARED_DOMAINS.some((rule) => isRuleOrAncestor(rule, domain))) {
    return true;
  }
  const { trie } = suffixTrie();
  const node = walk(domain, trie.rulesRoot);
  if (node < 0) {
    return false;
  }
  if (hasChildren(trie, node)) {
    return true;
  }
  // A rule ends here, unless an exception (`!city.kawasaki.jp` under `*.kawasaki.jp`) says the
  // domain is registrable after all.
  const exception = walk(domain, trie.exceptionsRoot);
  return trie.nodeFlags[node] !== 0 && (exception < 0 || trie.nodeFlags[exception] === 0);
}
