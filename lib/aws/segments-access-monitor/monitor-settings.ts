/**
 * What SegmentsAccessMonitor's construct and its Lambda handler agree on: the metric namespace and
 * names, and the environment variables that carry the construct's props to the handler. Imports
 * nothing, so that the construct's bundle never reaches the handler's code (nor the CLI's checks).
 */

/** The CloudWatch namespace of the monitor's metrics (the role may put metric data in this one only). */
export const SEGMENTS_MONITOR_NAMESPACE = 'Segments/Access';

/** The metric dimension naming the bucket. */
export const SEGMENTS_MONITOR_BUCKET_DIMENSION = 'Bucket';

/**
 * The number of check IDs that failed in a run. Put only when it is known: when a check could not
 * run and none failed, it is left out (0 would claim a pass the run did not establish).
 */
export const SEGMENTS_MONITOR_FAILING_CHECKS_METRIC = 'FailingChecks';

/** The number of check IDs that could not run in a run (a read failed: permission, network). */
export const SEGMENTS_MONITOR_COULD_NOT_CHECK_METRIC = 'CouldNotCheck';

/** The environment variables of the monitor's function. */
export const SegmentsMonitorEnvironment = {
  /** The bucket's name. */
  BUCKET: 'SEGMENTS_MONITOR_BUCKET',
  /** The key prefixes Segments must read, a JSON array (empty: the whole bucket). */
  KEY_PREFIXES: 'SEGMENTS_MONITOR_KEY_PREFIXES',
  /** The sample keys checked one by one, a JSON array. */
  SAMPLE_KEYS: 'SEGMENTS_MONITOR_SAMPLE_KEYS',
  /** The SNS topic the state changes are published to. */
  TOPIC_ARN: 'SEGMENTS_MONITOR_TOPIC_ARN',
  /** The SSM parameter holding the last run's state (what was failing), so that a message goes out once per change. */
  STATE_PARAMETER: 'SEGMENTS_MONITOR_STATE_PARAMETER',
} as const;
