/** Jest global teardown: removes this run's temp dir (see global-setup.ts) with all it holds. */
import * as fs from 'fs';
import { RUN_TMPDIR_VARIABLE } from './global-setup';

export default function globalTeardown(): void {
  const dir = process.env[RUN_TMPDIR_VARIABLE];
  if (dir !== undefined) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
