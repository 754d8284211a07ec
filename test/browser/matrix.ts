/**
 * The browser tier's matrix: what a real browser must let a page at each origin do with the
 * customer's image, per storage service and request kind. cors.test.ts asserts every cell in
 * Chromium; docs-table.test.ts checks that the "Tested in a browser" tables of docs/aws.md and
 * docs/azure.md say the same.
 */
import type { RequestKind } from './page';

/** The page origins, Segments' two and a stranger. */
export const ORIGINS = ['https://app.segments.ai', 'https://segments.ai', 'https://evil.example'] as const;
export type Origin = (typeof ORIGINS)[number];

/** The storage services. */
export const STORAGES = ['s3', 'azure'] as const;
export type StorageId = (typeof STORAGES)[number];

export type Expected = 'passes' | 'refused';

const ALL_REFUSED: Record<RequestKind, Expected> = {
  'img-canvas': 'refused', fetch: 'refused', range: 'refused', 'suffix-range': 'refused', 'custom-header': 'refused', put: 'refused',
};

/** Every GET a viewer makes passes; the write is refused (the rules allow GET only). */
const EVERY_GET: Record<RequestKind, Expected> = {
  'img-canvas': 'passes', fetch: 'passes', range: 'passes', 'suffix-range': 'passes', 'custom-header': 'passes', put: 'refused',
};

/**
 * S3's rule (`AllowedHeaders ["*"]`, origins `https://segments.ai` and `https://*.segments.ai`) lets
 * both Segments origins read in every way. Azure's rule (origin `https://app.segments.ai`, no
 * allowed headers) lets that one origin make the requests that send no preflight.
 */
export const EXPECTED: Readonly<Record<StorageId, Readonly<Record<Origin, Readonly<Record<RequestKind, Expected>>>>>> = {
  s3: {
    'https://app.segments.ai': EVERY_GET,
    'https://segments.ai': EVERY_GET,
    'https://evil.example': ALL_REFUSED,
  },
  azure: {
    'https://app.segments.ai': {
      'img-canvas': 'passes',
      fetch: 'passes',
      range: 'passes',
      // Refused today, and documented: the vendor's `az storage cors add --services b --methods GET
      // --origins https://app.segments.ai --max-age 3600` gives no --allowed-headers, so Azure stores
      // "" and refuses every preflight that names a header (a suffix or multi-range `Range`, any
      // custom header). cors.test.ts says so in words if that ever changes.
      'suffix-range': 'refused',
      'custom-header': 'refused',
      put: 'refused',
    },
    'https://segments.ai': ALL_REFUSED,
    'https://evil.example': ALL_REFUSED,
  },
};

/** Each kind in words: the test names, and the first column of the docs' tables. */
export const KIND_NAMES: Readonly<Record<RequestKind, string>> = {
  'img-canvas': '`<img crossorigin>` drawn to a canvas and read back (`getImageData`)',
  fetch: '`fetch`',
  range: '`fetch` with `Range: bytes=0-99` (no preflight)',
  'suffix-range': '`fetch` with `Range: bytes=-100` (preflight naming `range`)',
  'custom-header': '`fetch` with a custom header (preflight naming it)',
  put: '`PUT` to a URL signed for writing',
};
