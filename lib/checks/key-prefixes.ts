/** S3 object key prefix checks (`keyPrefixes`, the CLI's `--prefix`). */

/**
 * Problems with S3 key prefixes. A prefix is matched literally by IAM's `<bucket-arn>/<prefix>*`,
 * so it may not start with `/` (S3 keys do not) nor contain the IAM wildcards `*` and `?`.
 */
export function keyPrefixProblems(prop: string, prefixes: readonly string[]): string[] {
  if (prefixes.length === 0) {
    return [`${prop} is empty, which would grant nothing: omit it to grant the whole bucket, or list at least one prefix such as 'images/'.`];
  }
  const problems: string[] = [];
  prefixes.forEach((prefix, i) => {
    const where = `${prop}[${i}] ('${prefix}')`;
    if (prefix.length === 0) {
      problems.push(`${prop}[${i}] is an empty string: omit ${prop} to grant the whole bucket.`);
    } else if (prefix.startsWith('/')) {
      problems.push(`${where} starts with '/': S3 keys do not, so it would match nothing; write '${prefix.replace(/^\/+/, '')}'.`);
    }
    if (prefix.includes('${')) {
      problems.push(`${where} contains '\${', which IAM reads as the start of a policy variable: remove it.`);
    }
    if (/[*?]/.test(prefix)) {
      problems.push(`${where} contains '*' or '?': a prefix is matched literally; remove the wildcard (every key that starts with the prefix is included).`);
    }
    const bare = barePrefix(prefix);
    if (bare !== undefined) {
      problems.push(`${where} is a URL or an ARN, not a key prefix: give the start of the object keys only${bare ? `, such as '${bare}'` : ''}.`);
    }
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit, so short prefixes need no encoding.
    const bytes = prefix.length * 3 <= S3_MAX_KEY_BYTES ? prefix.length : new TextEncoder().encode(prefix).length;
    if (bytes > S3_MAX_KEY_BYTES) {
      problems.push(`${prop}[${i}] ('${prefix.slice(0, 40)}…') is ${bytes} bytes long: S3 keys have at most ${S3_MAX_KEY_BYTES}, so it would match nothing.`);
    }
    const control = /[\u0000-\u001f\u007f-\u009f]/.exec(prefix);
    if (control) {
      problems.push(`${where} contains the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}: remove it.`);
    }
    const segments = prefix.includes('.') ? prefix.split('/') : undefined; // no dot, no dot segment
    const last = segments?.[segments.length - 1];
    if (segments && hasDotSegment(segments.slice(0, -1).join('/'))) {
      problems.push(`${where} has a '.' or '..' segment: URLs collapse it, so the image URLs Segments gets would name other keys; write the prefix without it.`);
    } else if (segments && (last === '.' || last === '..')) {
      // 'images/.' also matches 'images/.hidden/…', yet reads as 'images/' in a URL: refusing is the safer reading.
      const folder = segments.slice(0, last === '.' ? -1 : -2).join('/');
      const meaning = folder === '' ? 'the whole bucket' : `the folder '${folder}/'`;
      problems.push(`${where} ends in a '${last}' segment, which reads two ways: as a path it means ${meaning} (URLs collapse it), ` +
        `but as a key prefix it matches only keys that start with '${prefix}', such as '${prefix}hidden/…'. It is refused as ambiguous: ` +
        `${folder === '' ? 'omit keyPrefixes for the whole bucket' : `write '${folder}/' for the folder`}, or the longer prefix you mean, such as '${prefix}hidden/'.`);
    }
    if (prefixes.indexOf(prefix) !== i) {
      problems.push(`${where} is listed twice: remove the duplicate.`);
    }
  });
  return problems;
}

/** The longest S3 object key, in UTF-8 bytes. */
const S3_MAX_KEY_BYTES = 1024;

/** Whether a key or prefix has a `.` or `..` segment between slashes, which URL parsing removes (`a/../b` becomes `b`). */
export function hasDotSegment(key: string): boolean {
  return key.split('/').some((segment) => segment === '.' || segment === '..');
}

/**
 * The key prefix inside an `s3://bucket/...` URL, an S3 ARN (`arn:aws:s3:::bucket/...`) or an
 * `https://` URL ('' when it names the bucket only); undefined when the prefix is none of these.
 */
function barePrefix(prefix: string): string | undefined {
  const match = /^(?:s3:\/\/[^/]*|arn:[^:]*:s3:::[^/]*|https?:\/\/[^/]*)(?:\/(.*))?$/i.exec(prefix) ??
    (/^(?:arn:|s3:\/\/|https?:\/\/)/i.test(prefix) ? [prefix, ''] : null);
  return match ? (match[1] ?? '').replace(/\*$/, '') : undefined;
}
