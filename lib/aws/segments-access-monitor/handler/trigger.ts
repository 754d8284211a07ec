/**
 * What started a run of the monitor: its schedule, or a change to the bucket's configuration (or
 * its key's policy) that CloudTrail recorded and EventBridge delivered. Pure: the event in, the
 * trigger out.
 */

/** A run on the EventBridge schedule (or invoked by hand). */
export interface ScheduledTrigger {
  readonly kind: 'schedule';
  /** When EventBridge fired, if it said. */
  readonly time?: string;
}

/** A run after a recorded API call: who changed what, when. */
export interface ChangeTrigger {
  readonly kind: 'change';
  /** The API call, such as `PutBucketPolicy`. */
  readonly eventName: string;
  /** When CloudTrail says the call was made. */
  readonly eventTime: string;
  /** `userIdentity.arn`, or for an AWS service acting on its own `invokedBy`; undefined when CloudTrail names neither. */
  readonly identity?: string;
  /** The bucket the call named (`requestParameters.bucketName`), for an S3 call. */
  readonly bucket?: string;
}

export type Trigger = ScheduledTrigger | ChangeTrigger;

/** The detail-type EventBridge gives an API call recorded by CloudTrail. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

interface EventShape {
  readonly 'detail-type'?: unknown;
  readonly time?: unknown;
  readonly detail?: {
    readonly eventName?: unknown;
    readonly eventTime?: unknown;
    readonly userIdentity?: { readonly arn?: unknown; readonly invokedBy?: unknown };
    readonly requestParameters?: { readonly bucketName?: unknown };
  };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The trigger of an event: a CloudTrail API call, or else the schedule. */
export function triggerOf(event: unknown): Trigger {
  const e = (typeof event === 'object' && event !== null ? event : {}) as EventShape;
  if (e['detail-type'] === CLOUDTRAIL_DETAIL_TYPE && e.detail !== undefined) {
    const d = e.detail;
    const identity = text(d.userIdentity?.arn) ?? text(d.userIdentity?.invokedBy);
    const bucket = text(d.requestParameters?.bucketName);
    return {
      kind: 'change',
      eventName: text(d.eventName) ?? 'an unnamed API call',
      eventTime: text(d.eventTime) ?? text(e.time) ?? 'an unknown time',
      ...(identity !== undefined ? { identity } : {}),
      ...(bucket !== undefined ? { bucket } : {}),
    };
  }
  const time = text(e.time);
  return { kind: 'schedule', ...(time !== undefined ? { time } : {}) };
}

/** One sentence saying what started the run. */
export function describeTrigger(trigger: Trigger): string {
  if (trigger.kind === 'schedule') {
    return `Scheduled run${trigger.time ? ` at ${trigger.time}` : ''}.`;
  }
  return `Run after ${trigger.eventName} at ${trigger.eventTime} by ${trigger.identity ?? 'an identity CloudTrail did not name'}.`;
}
