import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');

/** sha256 of the Apache License 2.0 text as Debian's base-files ships it (/usr/share/common-licenses/Apache-2.0). */
const APACHE_2_0_SHA256 = 'cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30';

describe('the package ships the license its package.json names', () => {
  it('holds the Apache-2.0 text verbatim in LICENSE', () => {
    expect(require('../package.json').license).toBe('Apache-2.0');
    const text = fs.readFileSync(path.join(root, 'LICENSE'));
    expect(createHash('sha256').update(text).digest('hex')).toBe(APACHE_2_0_SHA256);
  });

  it('puts LICENSE in the tarball', () => {
    expect(require('../package.json').files).toContain('LICENSE');
    // --ignore-scripts: the file list is what counts here, not the build that prepack runs.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], {
      cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
    })) as Array<{ files: Array<{ path: string }> }>;
    expect(packed[0].files.map((file) => file.path)).toContain('LICENSE');
  });
});
