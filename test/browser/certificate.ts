/**
 * A self-signed certificate made at test time for every host name the browser tier serves, so the
 * page is really `https://app.segments.ai` and the storage really `https://…`. Made with `openssl`,
 * which writes the key and the certificate to its stdout: no file is written.
 */
import { execFileSync } from 'child_process';
import { X509Certificate } from 'crypto';

/** A private key and a certificate, both PEM. */
export interface Certificate {
  readonly key: string;
  readonly cert: string;
}

/** A one-day self-signed P-256 certificate whose subjectAltName lists exactly these host names. */
export function selfSignedCertificate(hostNames: readonly string[]): Certificate {
  if (hostNames.length === 0) {
    throw new Error('selfSignedCertificate: hostNames is empty; pass every host name the TLS proxy serves');
  }
  const pem = execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-noenc',
    '-keyout', '-', '-out', '-', '-days', '1',
    '-subj', '/CN=segments-cloud-constructs browser tier',
    '-addext', `subjectAltName=${hostNames.map((name) => `DNS:${name}`).join(',')}`,
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const key = pemBlock(pem, 'PRIVATE KEY');
  const cert = pemBlock(pem, 'CERTIFICATE');
  // openssl's own check would pass a cert for the wrong names silently: read it back.
  const names = new X509Certificate(cert).subjectAltName?.split(', ').map((entry) => entry.replace(/^DNS:/, '')) ?? [];
  if (names.join(',') !== hostNames.join(',')) {
    throw new Error(`selfSignedCertificate: openssl made a certificate for ${names.join(', ')}, not ${hostNames.join(', ')}`);
  }
  return { key, cert };
}

function pemBlock(text: string, label: string): string {
  const match = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----\\n`).exec(text);
  if (match === null) {
    throw new Error(`selfSignedCertificate: openssl printed no ${label} block`);
  }
  return match[0];
}
