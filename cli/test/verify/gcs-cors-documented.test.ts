/**
 * `gcs.cors` against Google's documented behaviour. No Google server runs here, so each case
 * states what Google's docs say Cloud Storage answers, a local stand-in (gcs-stand-in.ts) answers
 * the browser's two preflights (no request header; naming `range`) over HTTP as those docs say,
 * and our judgment of the same CORS list must agree with that answer:
 * - https://cloud.google.com/storage/docs/xml-api/put-bucket-cors: the first entry matching the
 *   request's origin and method decides; "*" is any origin or method.
 * - https://cloud.google.com/storage/docs/cross-origin: a preflight's requested headers must be
 *   listed in the entry's responseHeader.
 * - https://cloud.google.com/storage/docs/json_api/v1/buckets (cors[].origin): origins are literal
 *   ("*" means any origin); there is no subdomain pattern.
 */
import { checkGcsCors, gcsAllowsHeader, gcsCorsEntryFor, GcsCorsEntry } from '../../src/verify/gcs/cors';
import { preflightAllows, sendPreflight } from '../../src/verify/preflight-answer';
import { LocalServer, startLocalServer } from './local-server';
import { googlePreflight } from './gcs-stand-in';

const APP = 'https://app.segments.ai';
interface Case {
  readonly name: string;
  readonly entries: readonly GcsCorsEntry[];
  /** Google's documented answer: [no request header, naming range]. */
  readonly google: readonly [boolean, boolean];
}
const CASES: readonly Case[] = [
  { name: 'the vendor entry, responseHeader ["*"]', entries: [{ origin: [APP], method: ['GET'], responseHeader: ['*'] }], google: [true, true] },
  { name: 'the copied doc\'s entry, responseHeader []', entries: [{ origin: [APP], method: ['GET'], responseHeader: [] }], google: [true, false] },
  { name: 'responseHeader ["Range"]', entries: [{ origin: [APP], method: ['GET'], responseHeader: ['Range'] }], google: [true, true] },
  { name: 'responseHeader ["Content-Type"]', entries: [{ origin: [APP], method: ['GET'], responseHeader: ['Content-Type'] }], google: [true, false] },
  { name: 'origin "*", method "*"', entries: [{ origin: ['*'], method: ['*'], responseHeader: ['*'] }], google: [true, true] },
  { name: 'a subdomain pattern is a literal string', entries: [{ origin: ['https://*.segments.ai'], method: ['GET'], responseHeader: ['*'] }], google: [false, false] },
  { name: 'the origin with PUT only', entries: [{ origin: [APP], method: ['PUT'], responseHeader: ['*'] }], google: [false, false] },
  {
    name: 'the first entry matching origin and method decides, though a later one lists Range',
    entries: [{ origin: [APP], method: ['GET'], responseHeader: [] }, { origin: ['*'], method: ['GET'], responseHeader: ['*'] }], google: [true, false],
  },
];

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(async () => {
  await server.close();
});

describe('gcs.cors agrees with what Google documents it answers', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    server.routes = { 'OPTIONS /acme-images/images/cat.jpg': googlePreflight(c.entries) };
    const url = `${server.url}/acme-images/images/cat.jpg`;
    const answered = [
      preflightAllows(await sendPreflight(url, APP, []), APP, []),
      preflightAllows(await sendPreflight(url, APP, ['range']), APP, ['range']),
    ];
    expect(answered).toEqual(c.google);
    const entry = gcsCorsEntryFor(c.entries, APP);
    const judged = [entry >= 0, entry >= 0 && gcsAllowsHeader(c.entries[entry].responseHeader ?? [], 'range')];
    expect(judged).toEqual(c.google);
    const [outcome] = checkGcsCors('acme-images', { value: c.entries }, [APP]);
    expect(outcome.result).toBe(c.google[0] && c.google[1] ? 'pass' : 'fail');
  });
});
