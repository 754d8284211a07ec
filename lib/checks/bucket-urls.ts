/**
 * A bucket given as a URL or an ARN where a bare name is asked for: the bare name is what follows
 * the scheme or the ARN's `:::`, up to the first '/'.
 *
 * | given                          | form                  | bare name   | rest          |
 * |--------------------------------|-----------------------|-------------|---------------|
 * | `s3://acme-data`               | starts with 's3://'   | `acme-data` |               |
 * | `s3://acme-data/images/`       | starts with 's3://'   | `acme-data` | `images/`     |
 * | `gs://acme-data`               | starts with 'gs://'   | `acme-data` |               |
 * | `arn:aws:s3:::my-images`       | is an S3 ARN          | `my-images` |               |
 * | `arn:aws-cn:s3:::my-images/x/*`| is an S3 ARN          | `my-images` | `x/*`         |
 * | anything else                  | (undefined)           |             |               |
 */
export function bucketUrlOrArn(name: string): { form: string; bare: string; rest: string } | undefined {
  const scheme = /^(s3|gs):\/\//i.exec(name);
  const arn = /^arn:[a-z-]*:s3:::/i.exec(name);
  const head = scheme ?? arn;
  if (head === null) {
    return undefined;
  }
  const [bare, ...rest] = name.slice(head[0].length).split('/');
  return {
    form: scheme !== null ? `starts with '${scheme[0]}'` : 'is an S3 ARN',
    bare,
    rest: rest.join('/'),
  };
}

/**
 * The problem with a bucket given as a URL or an ARN, suggesting the bare name when `check` passes
 * it; undefined when `name` is neither.
 */
export function bucketUrlOrArnProblem(prop: string, name: string, check: (bare: string) => string[]): string | undefined {
  const url = bucketUrlOrArn(name);
  if (url === undefined) {
    return undefined;
  }
  const fixed = url.bare !== '' && check(url.bare).length === 0 ? `, '${url.bare}'` : '';
  const rest = url.rest.replace(/\*$/, '');
  const path = rest !== '' ? `; the path ('${rest}') is a key prefix, not part of the name` : '';
  return `${prop} ('${name}') ${url.form}: give the bare bucket name${fixed}${path}.`;
}
