import type { SegmentsAccessMonitor } from '../segments-access-monitor';

/**
 * The SegmentsAccessMonitor class, loaded on the first `monitor` prop: in the package it is its own
 * file (dist/lib/aws/access-monitor.js, scripts/build-aws.mjs), which an app without a monitor never loads.
 */
export function segmentsAccessMonitorClass(): typeof SegmentsAccessMonitor {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../segments-access-monitor') as typeof import('../segments-access-monitor')).SegmentsAccessMonitor;
}
