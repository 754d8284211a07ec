import {
  OriginWildcard, customRoleIdProblems, customRoleNameProblems, gcsBucketNameProblems, httpsOriginProblems,
  keyPrefixProblems, s3BucketNameProblems, serviceAccountEmailProblems,
} from '../lib/validate';

describe('origins are https://host[:port]', () => {
  it.each([
    'https://segments.ai', 'https://app.segments.ai', 'https://localhost:8443', 'https://*.segments.ai',
  ])('accepts %s on S3', (origin) => {
    expect(httpsOriginProblems('allowedOrigins', [origin], OriginWildcard.AT_MOST_ONE)).toEqual([]);
  });
  it.each([
    ['http://segments.ai', /must use https/],
    ['segments.ai', /must use https/],
    ['https://segments.ai/', /has a path or a trailing slash: .* write 'https:\/\/segments\.ai'/],
    ['https://segments.ai/app', /has a path/],
    ['https://*.*.ai', /2 '\*' wildcards/],
    ['*', /must use https/],
    ['https://Segments.ai', /uppercase .* write 'https:\/\/segments\.ai'/],
    ['https://segments.ai:99999', /port 99999/],
    ['https://seg ments.ai', /not of the form/],
  ])('refuses %s', (origin, message) => {
    const problems = httpsOriginProblems('allowedOrigins', [origin], OriginWildcard.AT_MOST_ONE);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^allowedOrigins\[0\]/);
    expect(problems[0]).toMatch(message);
  });
  it('refuses any wildcard on GCS, which matches literally', () => {
    expect(httpsOriginProblems('allowedOrigins', ['https://*.segments.ai'], OriginWildcard.NONE)[0]).toMatch(/Cloud Storage matches origins literally/);
  });
  it('refuses an empty list and duplicates', () => {
    expect(httpsOriginProblems('allowedOrigins', [], OriginWildcard.NONE)[0]).toMatch(/allowedOrigins is empty/);
    expect(httpsOriginProblems('allowedOrigins', ['https://a.ai', 'https://a.ai'], OriginWildcard.NONE)).toEqual([
      "allowedOrigins[1] ('https://a.ai') is listed twice: remove the duplicate.",
    ]);
  });
});

describe('key prefixes are literal and relative', () => {
  it('accepts ordinary prefixes', () => {
    expect(keyPrefixProblems('keyPrefixes', ['images/', 'videos/2024-', 'a', '.hidden/', 'a..b/', 'é'.repeat(512), 'arnold/'])).toEqual([]);
  });
  it.each([
    [[''], /keyPrefixes\[0\] is an empty string/],
    [['/images'], /starts with '\/'.*write 'images'/],
    [['img*'], /contains '\*' or '\?'/],
    [['img?'], /contains '\*' or '\?'/],
    [['a/', 'a/'], /keyPrefixes\[1\] \('a\/'\) is listed twice/],
    [['team-${aws:username}/'], /contains '\$\{', which IAM reads as the start of a policy variable/],
    [[], /keyPrefixes is empty, which would grant nothing/],
    [['s3://acme/images/'], /is a URL or an ARN, not a key prefix: .* such as 'images\/'/],
    [['arn:aws:s3:::acme/images/'], /is a URL or an ARN, not a key prefix: .* such as 'images\/'/],
    [['https://acme.s3.eu-west-1.amazonaws.com/images/'], /is a URL or an ARN, not a key prefix: .* such as 'images\/'/],
    [['x'.repeat(1025)], /is 1025 bytes long: S3 keys have at most 1024/],
    [['é'.repeat(513)], /is 1026 bytes long/],
    [['images/\t'], /contains the control character U\+0009/],
    [['images/../'], /has a '\.' or '\.\.' segment/],
    [['./images/'], /has a '\.' or '\.\.' segment/],
  ])('refuses %j', (prefixes, message) => {
    expect(keyPrefixProblems('keyPrefixes', prefixes).join('\n')).toMatch(message);
  });
});

describe('S3 bucket names follow S3 rules and have no dots', () => {
  it.each(['acme-data', 'abc', '0acme', 'a'.repeat(63)])('accepts %s', (name) => {
    expect(s3BucketNameProblems('bucketName', name)).toEqual([]);
  });
  it.each([
    ['acme.data', /contains a dot/],
    ['ab', /is 2 characters long/],
    ['a'.repeat(64), /is 64 characters long/],
    ['Acme', /may only contain.*Try 'acme'/],
    ['Acme_Images', /may only contain.*Try 'acme-images'\./],
    ['acme_data', /may only contain lowercase letters, digits and '-'\. Try 'acme-data'\.$/],
    ['-acme', /must start and end/],
    ['acme-', /must start and end/],
    ['xn--acme', /starts with 'xn--'/],
    ['acme-s3alias', /ends with '-s3alias'/],
  ])('refuses %s', (name, message) => {
    expect(s3BucketNameProblems('bucketName', name).join('\n')).toMatch(message);
  });
});

describe('GCS bucket names follow GCS rules', () => {
  it.each(['acme-data', 'acme_data', 'acme.example.com', 'a1b'])('accepts %s', (name) => {
    expect(gcsBucketNameProblems('name', name)).toEqual([]);
  });
  it.each([
    ['ab', /is 2 characters long/],
    ['a'.repeat(64), /is 64 characters long/],
    ['Acme', /may only contain.*try 'acme'/],
    ['_acme', /must start and end/],
    ['goog-data', /starts with 'goog'/],
    ['my-google-data', /contains 'google'/],
    ['192.168.1.1', /is an IP address/],
    ['a..b', /empty part/],
  ])('refuses %s', (name, message) => {
    const problems = gcsBucketNameProblems('name', name);
    expect(problems.join('\n')).toMatch(message);
    expect(problems.every((p) => p.startsWith(`name ('${name}')`))).toBe(true);
  });
});

describe('the Segments service account is a service-account email', () => {
  it.each(['segments@segments-prod.iam.gserviceaccount.com', 'reader-1@my-proj.iam.gserviceaccount.com'])('accepts %s', (email) => {
    expect(serviceAccountEmailProblems('segmentsServiceAccount', email)).toEqual([]);
  });
  it.each([
    ['someone@gmail.com', /is not a service-account email/],
    ['group@segments.ai', /is not a service-account email/],
    ['serviceAccount:x@p.iam.gserviceaccount.com', /give the bare email/],
    ['', /is not a service-account email/],
  ])('refuses %s', (email, message) => {
    expect(serviceAccountEmailProblems('segmentsServiceAccount', email).join('\n')).toMatch(message);
  });
});

describe('custom roles are named as GCP requires', () => {
  it('accepts role IDs of letters, digits, _ and .', () => {
    expect(customRoleIdProblems('customRoleId', 'segmentsObjectReader')).toEqual([]);
    expect(customRoleIdProblems('customRoleId', 'segments.reader_2')).toEqual([]);
  });
  it('refuses hyphens, and suggests underscores', () => {
    expect(customRoleIdProblems('customRoleId', 'segments-reader')[0]).toMatch(/customRoleId .* try 'segments_reader'/);
  });
  it('refuses IDs that are too short or too long', () => {
    expect(customRoleIdProblems('customRoleId', 'ab')).toHaveLength(1);
    expect(customRoleIdProblems('customRoleId', 'a'.repeat(65))).toHaveLength(1);
  });
  it('accepts full project and organization role names only', () => {
    expect(customRoleNameProblems('existingCustomRole', 'projects/my-project/roles/segmentsObjectReader')).toEqual([]);
    expect(customRoleNameProblems('existingCustomRole', 'organizations/123456789/roles/segmentsObjectReader')).toEqual([]);
    expect(customRoleNameProblems('existingCustomRole', 'roles/storage.objectViewer')[0]).toMatch(/^existingCustomRole/);
    expect(customRoleNameProblems('existingCustomRole', 'segmentsObjectReader')).toHaveLength(1);
  });
});
