/**
 * aws.cors: S3's CORS evaluation, and the check. S3 answers each request with the FIRST rule whose
 * AllowedOrigins match the request's Origin, whose AllowedMethods hold its method (or, for a
 * preflight, Access-Control-Request-Method), and, for a preflight, whose AllowedHeaders match
 * every header in Access-Control-Request-Headers ("How does Amazon S3 evaluate the CORS
 * configuration on a bucket?", https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html#cors-eval-criteria).
 * So a preflight naming `range` can be answered by a later rule than a plain GET. An origin or
 * header pattern may hold one `*`, which matches any run of characters: `https://*.segments.ai`
 * matches `https://app.segments.ai` (and `https://a.b.segments.ai`), not `https://segments.ai`.
 *
 * The check asks, for each page origin, which rule answers each request the web app's browser
 * sends (test/browser/ measures them): a GET and a preflight without headers, and a preflight
 * naming `range` (a suffix or multi-range request). Each needs a rule. A rule before Segments' that
 * answers first shadows it: named, a warning when the answers work. Ceph RGW differs: it answers a
 * preflight with the first rule matching origin and method alone, and refuses it when that rule
 * lacks the header; aws.preflight measures what the server really answers, and the unit tests pin
 * S3's behaviour (the RGW tier pins RGW's).
 */
import {
  S3CorsRuleJson,
  SEGMENTS_DEFAULT_ORIGINS,
  SEGMENTS_S3_CORS_RULE_ID,
  mergeCorsRuleById,
  segmentsS3CorsRuleJson,
} from 'segments-cloud-constructs';
import { RANGE_HEADER } from '../preflight-answer';
import { CheckOutcome, fail, pass, warn } from '../report';
import { AwsBucketFacts, CorsRule, noBucket, notReadable } from './facts';

const ID = 'aws.cors';

/** Whether an S3 CORS pattern (at most one `*`, matching any run of characters) matches a value. */
export function corsPatternMatches(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) {
    return pattern === value;
  }
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

/** A request as S3's CORS evaluation sees it. */
export interface CorsRequest {
  readonly origin: string;
  readonly method: string;
  /** A preflight's Access-Control-Request-Headers (lowercase); empty or absent for a simple request. */
  readonly headers?: readonly string[];
}

/** Whether one rule matches the request: origin (case-sensitive), method (exact), every header (case-insensitive). */
export function ruleMatches(rule: CorsRule, request: CorsRequest): boolean {
  return (rule.AllowedOrigins ?? []).some((pattern) => corsPatternMatches(pattern, request.origin)) &&
    (rule.AllowedMethods ?? []).includes(request.method) &&
    (request.headers ?? []).every((header) => allowsHeader(rule, header));
}

/** Whether a rule's AllowedHeaders match a request header. */
export function allowsHeader(rule: CorsRule, header: string): boolean {
  return (rule.AllowedHeaders ?? []).some((pattern) => corsPatternMatches(pattern.toLowerCase(), header.toLowerCase()));
}

/** The index of the rule S3 answers the request with, or -1 (S3 then sends no CORS headers; a preflight gets 403). */
export function answeringRule(rules: readonly CorsRule[], request: CorsRequest): number {
  return rules.findIndex((rule) => ruleMatches(rule, request));
}

/** `rule #2 ('uploads')`. */
export function ruleName(rules: readonly CorsRule[], index: number): string {
  const id = rules[index].ID;
  return `rule #${index + 1}${id ? ` ('${id}')` : ''}`;
}

/**
 * The Segments rule for these page origins: the default rule when its patterns already match every
 * origin, else the default patterns plus the origins they miss.
 */
export function segmentsRuleFor(origins: readonly string[]): S3CorsRuleJson {
  const missing = origins.filter((origin) => !SEGMENTS_DEFAULT_ORIGINS.some((pattern) => corsPatternMatches(pattern, origin)));
  return missing.length === 0 ? segmentsS3CorsRuleJson() : segmentsS3CorsRuleJson([...SEGMENTS_DEFAULT_ORIGINS, ...missing]);
}

/**
 * The configuration that fixes every finding: the current rules with the Segments rule (by ID)
 * replaced or added, and moved first, so that no rule shadows it. Moving it first changes only
 * what GETs from Segments' origins get; every other rule keeps its order.
 */
export function fixedCorsConfiguration(rules: readonly CorsRule[], origins: readonly string[]): { CORSRules: S3CorsRuleJson[] } {
  const ours = segmentsRuleFor(origins);
  const merged = mergeCorsRuleById(rules as S3CorsRuleJson[], ours);
  return { CORSRules: [ours, ...merged.filter((rule) => rule.ID !== SEGMENTS_S3_CORS_RULE_ID)] };
}

/** The command that puts the fixed configuration. */
export function corsFix(bucket: string, rules: readonly CorsRule[], origins: readonly string[]): string {
  return `aws s3api put-bucket-cors --bucket ${bucket} --cors-configuration '${JSON.stringify(fixedCorsConfiguration(rules, origins))}'`;
}

export function checkCors(facts: AwsBucketFacts, origins: readonly string[]): CheckOutcome[] {
  if (facts.location.ok && !facts.location.value.exists) {
    return [noBucket(ID, facts.bucket)];
  }
  if (facts.cors === undefined) {
    return [];
  }
  if (!facts.cors.ok) {
    return [notReadable(ID, facts.cors.failure)];
  }
  const rules = facts.cors.value ?? [];
  if (rules.length === 0) {
    return [fail(ID, 'The bucket has no CORS configuration, so browsers refuse the images to Segments\' web app (canvas, WebGL and fetch need CORS).',
      corsFix(facts.bucket, rules, origins))];
  }
  return origins.map((origin) => checkOrigin(facts.bucket, rules, origins, origin));
}

function checkOrigin(bucket: string, rules: readonly CorsRule[], origins: readonly string[], origin: string): CheckOutcome {
  const fix = corsFix(bucket, rules, origins);
  const get = answeringRule(rules, { origin, method: 'GET' });
  const range = answeringRule(rules, { origin, method: 'GET', headers: [RANGE_HEADER] });
  const ours = rules.findIndex((rule) => rule.ID === SEGMENTS_S3_CORS_RULE_ID);
  const oursNote = ours < 0 ? ' The bucket has no \'segments-cors\' rule.'
    : ours !== get ? ` The '${SEGMENTS_S3_CORS_RULE_ID}' rule (#${ours + 1}) does not match it: its AllowedOrigins are ${JSON.stringify(rules[ours].AllowedOrigins ?? [])}.` : '';
  if (get < 0) {
    return fail(ID, `No CORS rule allows GET from ${origin}, so S3 sends no CORS headers and the browser refuses the image.${oursNote}`, fix, origin);
  }
  const answering = ruleName(rules, get);
  const shadows = ours > get ? `, before the '${SEGMENTS_S3_CORS_RULE_ID}' rule (#${ours + 1}), which it shadows` : '';
  if (range < 0) {
    return fail(ID, `S3 answers GETs from ${origin} with ${answering}${shadows}, and no rule answers a preflight naming Range ` +
      `(${answering} has AllowedHeaders ${JSON.stringify(rules[get].AllowedHeaders ?? [])}): the browser's preflight for a suffix or multi-range request gets 403.`, fix, origin);
  }
  const rangeNote = range !== get ? ` A preflight naming Range skips it and gets ${ruleName(rules, range)} (S3 picks the first rule matching origin, method and ` +
    'every requested header; Ceph RGW picks by origin and method alone and refuses it: see aws.preflight).' : '';
  if (answeringRule(rules, { origin, method: 'GET', headers: ['x-any-header'] }) < 0) {
    return warn(ID, `S3 answers GETs from ${origin} with ${answering}${shadows}.${rangeNote} No rule allows every header ` +
      `(${answering} allows ${JSON.stringify(rules[get].AllowedHeaders ?? [])}): a preflight naming another header gets 403. The vendor's rule allows "*".`, fix, origin);
  }
  if (shadows !== '' || range !== get) {
    return warn(ID, `S3 answers GETs from ${origin} with ${answering}${shadows}.${rangeNote} It works on S3 today, ` +
      `but Segments depends on ${ours < 0 ? 'rules' : 'a rule'} that ${ours < 0 ? 'are' : 'is'} not its own: put '${SEGMENTS_S3_CORS_RULE_ID}' first.`, fix, origin);
  }
  return pass(ID, `S3 answers GETs from ${origin} with ${answering}, which allows every header a preflight may ask for.`, origin);
}
