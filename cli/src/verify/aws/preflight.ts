/**
 * aws.preflight (network; skipped by `--offline`): the browser's view. For each page origin, an
 * `OPTIONS` preflight to the object URL (the first `--key`, or the bucket root) with that `Origin`
 * and `Access-Control-Request-Method: GET`, and with a `--key` a GET of a presigned URL (made with
 * the caller's credentials) with that `Origin`. Both must return `Access-Control-Allow-Origin`.
 */
import { CheckOutcome, couldNotRun, fail, pass, skipped } from '../report';
import { CorsProbe, AwsBucketFacts, noBucket, readFailureFix } from './facts';
import { corsFix } from './cors';

const ID = 'aws.preflight';

/** Whether a response lets the browser read it from `origin`. */
export function allowsOrigin(headers: Readonly<Record<string, string>>, origin: string): boolean {
  const allowed = headers['access-control-allow-origin'];
  return allowed === origin || allowed === '*';
}

function shown(probe: CorsProbe): string {
  if (!probe.response.ok) {
    return `${probe.method} ${probe.url}: ${probe.response.failure.message}`;
  }
  const { status, headers } = probe.response.value;
  const cors = Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join(', ');
  return `${probe.method === 'GET' ? 'presigned GET' : 'OPTIONS'} ${probe.url} answered ${status}${cors ? ` with ${cors}` : ' with no CORS header'}`;
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
    const refused = mine.filter((probe) => probe.response.ok && !allowsOrigin(probe.response.value.headers, origin));
    if (refused.length > 0) {
      return [fail(ID, `${mine.map(shown).join('; ')}. Without Access-Control-Allow-Origin the browser refuses the image to Segments' web app.`, fix, origin)];
    }
    const answers = mine.map((probe) => probe.response.ok ? `${probe.method === 'GET' ? 'the presigned GET' : 'OPTIONS'} ${probe.response.value.status}` : '');
    const allowed = mine.map((probe) => probe.response.ok ? probe.response.value.headers['access-control-allow-origin'] : '');
    const getRefused = mine.find((probe) => probe.method === 'GET' && probe.response.ok && probe.response.value.status >= 400);
    return [pass(ID, `${mine[0].url} answered ${answers.join(' and ')}, with Access-Control-Allow-Origin: ${[...new Set(allowed)].join(', ')}.` +
      `${getRefused ? ' (The GET itself was refused with your credentials; aws.policy judges Segments\' access.)' : ''}`, origin)];
  });
}
