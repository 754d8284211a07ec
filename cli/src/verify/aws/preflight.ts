/**
 * aws.preflight (network; skipped by `--offline`): the browser's view. For each page origin, the
 * two preflights the web app's browser sends to the object URL (the first `--key`, or the bucket
 * root), `OPTIONS` with that `Origin` and `Access-Control-Request-Method: GET`, one without
 * `Access-Control-Request-Headers` and one naming `range`; and with a `--key` a GET of a presigned
 * URL (made with the caller's credentials) with that `Origin`. Each preflight must return
 * `Access-Control-Allow-Origin`, and so must the GET when it is served; a GET refused with the
 * caller's credentials (4xx) says nothing about CORS, and aws.policy judges Segments' access.
 */
import { preflightAllows } from '../preflight-answer';
import { CheckOutcome, couldNotRun, fail, pass, skipped } from '../report';
import { CorsProbe, AwsBucketFacts, noBucket, readFailureFix } from './facts';
import { corsFix } from './cors';

const ID = 'aws.preflight';

/**
 * Whether the browser goes on after this answer, judged as for every cloud (preflight-answer.ts): a
 * 2xx naming the origin (or `*`) in Access-Control-Allow-Origin and, for a preflight that asked
 * for headers, every one of them in Access-Control-Allow-Headers. A served GET asks for none.
 */
function browserGoesOn(probe: CorsProbe, origin: string): boolean {
  return probe.response.ok && preflightAllows(probe.response.value, origin, probe.method === 'OPTIONS' ? probe.requestHeaders ?? [] : []);
}

/** `OPTIONS`, `OPTIONS (Range)` or `presigned GET`. */
function kind(probe: CorsProbe): string {
  if (probe.method === 'GET') {
    return 'presigned GET';
  }
  const named = probe.requestHeaders ?? [];
  return named.length > 0 ? `OPTIONS (${named.map((h) => h.replace(/^./, (c) => c.toUpperCase())).join(', ')})` : 'OPTIONS';
}

function shown(probe: CorsProbe): string {
  if (!probe.response.ok) {
    return `${kind(probe)} ${probe.url}: ${probe.response.failure.message}`;
  }
  const { status, headers } = probe.response.value;
  const cors = Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join(', ');
  return `${kind(probe)} ${probe.url} answered ${status}${cors ? ` with ${cors}` : ' with no CORS header'}`;
}

/** Whether a GET was refused before CORS mattered (a 4xx/5xx for the caller's own credentials). */
function refusedGet(probe: CorsProbe): boolean {
  return probe.method === 'GET' && probe.response.ok && probe.response.value.status >= 400;
}

export function checkPreflight(facts: AwsBucketFacts, origins: readonly string[], offline: boolean): CheckOutcome[] {
  if (offline) {
    return [skipped(ID, 'Skipped (--offline): no request was sent to the bucket\'s endpoint.')];
  }
  if (facts.location.ok && !facts.location.value.exists) {
    return [noBucket(ID, facts.bucket)];
  }
  const probes = facts.probes ?? [];
  const fix = facts.cors?.ok ? corsFix(facts.bucket, facts.cors.value ?? [], origins)
    : `Add the Segments CORS rule (see aws.cors): segments-cloud aws-cors > cors.json, then aws s3api put-bucket-cors --bucket ${facts.bucket} --cors-configuration file://cors.json`;
  return origins.flatMap((origin) => {
    const mine = probes.filter((probe) => probe.origin === origin);
    if (mine.length === 0) {
      return [];
    }
    const failed = mine.find((probe) => !probe.response.ok);
    if (failed && !failed.response.ok) {
      return [couldNotRun(ID, `${shown(failed)}, so the browser's view could not be checked.`, readFailureFix(failed.response.failure), origin)];
    }
    const judged = mine.filter((probe) => !refusedGet(probe));
    const getRefused = mine.find(refusedGet);
    const refusedNote = getRefused ? ` (The presigned GET was refused with ${getRefused.response.ok ? getRefused.response.value.status : ''} for your credentials, so its headers say nothing about CORS; aws.policy judges Segments' access.)` : '';
    const refused = judged.filter((probe) => !browserGoesOn(probe, origin));
    if (refused.length > 0) {
      return [fail(ID, `${refused.map(shown).join('; ')}. Without a 2xx naming the origin in Access-Control-Allow-Origin (and, for the Range preflight, range in Access-Control-Allow-Headers) the browser refuses the image to Segments' web app.${refusedNote}`, fix, origin)];
    }
    const answers = judged.map((probe) => probe.response.ok ? `${probe.method === 'GET' ? 'the presigned GET' : kind(probe)} ${probe.response.value.status}` : '');
    const allowed = judged.map((probe) => probe.response.ok ? probe.response.value.headers['access-control-allow-origin'] : '');
    return [pass(ID, `${mine[0].url} answered ${answers.join(', ').replace(/, ([^,]*)$/, ' and $1')}, with Access-Control-Allow-Origin: ${[...new Set(allowed)].join(', ')}.${refusedNote}`, origin)];
  });
}
