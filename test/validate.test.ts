import {
  OriginWildcard, customRoleIdProblems, customRoleNameProblems, gcsBucketNameProblems, httpsOriginProblems, literalElementProblems,
  keyPrefixProblems, s3BucketNameDotProblem, s3BucketNameProblems, serviceAccountEmailProblems,
} from '../lib/checks';

const { LEADING_SUBDOMAIN, NONE } = OriginWildcard;

/** The problems of one origin under one wildcard mode. */
function problemsOf(origin: string, wildcard: OriginWildcard): string[] {
  return httpsOriginProblems('allowedOrigins', [origin], wildcard);
}

describe('origins are https://host[:port], or https://*.host where the cloud documents it', () => {
  it.each([
    'https://segments.ai', 'https://app.segments.ai', 'https://dev.example.com:8443', 'https://a-b.c-d.example.co.uk',
    'https://acme.github.io', 'https://images.s3.amazonaws.com', 'https://segments.ai:8080',
    'https://segments.ai:8443', 'https://10.0.0.1:3000',
  ])('accepts the exact origin %s on every cloud', (origin) => {
    expect(problemsOf(origin, LEADING_SUBDOMAIN)).toEqual([]);
    expect(problemsOf(origin, NONE)).toEqual([]);
  });
  it.each([
    'https://*.segments.ai', 'https://*.app.segments.ai', 'https://*.segments.ai:8443', 'https://*.example.co.uk',
    'https://*.acme.github.io', 'https://*.acme.vercel.app',
    // Registrable domains under a public suffix belong to one owner: a storage account, an exception rule.
    'https://*.acme.blob.core.windows.net', 'https://*.acme.azurefd.net', 'https://*.city.kawasaki.jp', 'https://*.acme.co.uk',
  ])('accepts the leading subdomain wildcard %s on S3 and Azure', (origin) => {
    expect(problemsOf(origin, LEADING_SUBDOMAIN)).toEqual([]);
  });

  // Each refusal: the origin, the mode(s), and what the message must say (prop and index first).
  it.each<[string, OriginWildcard[], RegExp]>([
    ['*', [LEADING_SUBDOMAIN], /allows every website .* such as 'https:\/\/\*\.segments\.ai'/],
    ['*', [NONE], /allows every website .* such as 'https:\/\/app\.segments\.ai'/],
    ['https://*', [LEADING_SUBDOMAIN], /matches every https website: list Segments' origins instead/],
    ['https://*', [NONE], /contains '\*': Cloud Storage matches origins literally except a lone '\*' .* list each host in full\.$/],
    ['https://*.ai', [NONE], /contains '\*': .* list each host in full\.$/],
    ['https://*segments.ai', [LEADING_SUBDOMAIN], /would also match .* 'https:\/\/evilsegments\.ai': write 'https:\/\/\*\.segments\.ai'/],
    ['https://*-cdn.segments.ai', [LEADING_SUBDOMAIN], /'https:\/\/evil-cdn\.segments\.ai': write 'https:\/\/\*\.cdn\.segments\.ai'/],
    ['https://segments.ai*', [LEADING_SUBDOMAIN], /'\*' that is not the whole first label: only a leading subdomain wildcard/],
    ['https://app.*.segments.ai', [LEADING_SUBDOMAIN], /'\*' that is not the whole first label/],
    ['https://*.*.segments.ai', [LEADING_SUBDOMAIN], /'\*' that is not the whole first label/],
    ['https://a*b.segments.ai', [LEADING_SUBDOMAIN], /'\*' that is not the whole first label/],
    ['https://*.ai', [LEADING_SUBDOMAIN], /would match every site under '\.ai': give a host of at least two labels after '\*\.'/],
    ['https://*.segments.ai', [NONE], /contains '\*': Cloud Storage matches origins literally .* list each host in full, such as 'https:\/\/segments\.ai' and 'https:\/\/app\.segments\.ai'/],
    ['https://*.-x.ai', [LEADING_SUBDOMAIN], /not of the form 'https:\/\/\*\.host\[:port\]'/],
    ['https://segments.ai:443', [LEADING_SUBDOMAIN, NONE], /default port 443, which browsers leave out .* never match: write 'https:\/\/segments\.ai'/],
    ['https://segments.ai:99999', [LEADING_SUBDOMAIN, NONE], /port 99999, outside 1-65535/],
    ['https://segments.ai:0', [LEADING_SUBDOMAIN, NONE], /port 0, outside 1-65535/],
    ['https://segments.ai:x', [LEADING_SUBDOMAIN, NONE], /not of the form 'https:\/\/host\[:port\]'/],
    ['http://segments.ai', [LEADING_SUBDOMAIN, NONE], /must use https .* write 'https:\/\/segments\.ai'/],
    ['segments.ai', [LEADING_SUBDOMAIN, NONE], /must start with 'https:\/\/'/],
    ['https://segments.ai/', [LEADING_SUBDOMAIN, NONE], /has a trailing slash: an origin is only scheme, host and port.* write 'https:\/\/segments\.ai'/],
    ['https://segments.ai/app', [LEADING_SUBDOMAIN, NONE], /has a path: .* write 'https:\/\/segments\.ai'/],
    ['https://segments.ai?x=1', [LEADING_SUBDOMAIN, NONE], /has a query: .* write 'https:\/\/segments\.ai'/],
    ['https://segments.ai#top', [LEADING_SUBDOMAIN, NONE], /has a fragment: .* write 'https:\/\/segments\.ai'/],
    ['https://Segments.ai', [LEADING_SUBDOMAIN, NONE], /uppercase .* write 'https:\/\/segments\.ai'/],
    ['HTTPS://segments.ai', [LEADING_SUBDOMAIN, NONE], /must start with 'https:\/\/'/],
    ['https://seg ments.ai', [LEADING_SUBDOMAIN, NONE], /not of the form 'https:\/\/host\[:port\]'/],
    ['https://segments..ai', [LEADING_SUBDOMAIN, NONE], /not of the form/],
    ['https://-segments.ai', [LEADING_SUBDOMAIN, NONE], /not of the form/],
    ['https://', [LEADING_SUBDOMAIN, NONE], /not of the form/],
    ['https://segments.ai:0443', [LEADING_SUBDOMAIN, NONE], /default port 443, .* write 'https:\/\/segments\.ai'\.$/],
    ['https://segments.ai:080', [LEADING_SUBDOMAIN, NONE], /port with a leading zero, .* write 'https:\/\/segments\.ai:80'\.$/],
    ['https://segments.ai:00', [LEADING_SUBDOMAIN, NONE], /port 00, outside 1-65535/],
    ['https://localhost', [LEADING_SUBDOMAIN, NONE], /single-label host/],
    ['https://localhost:8443', [LEADING_SUBDOMAIN, NONE], /single-label host/],
    ['https://Segments.ai/', [LEADING_SUBDOMAIN, NONE], /uppercase .* write 'https:\/\/segments\.ai'\.$/],
    ['http://Segments.ai:443/x', [LEADING_SUBDOMAIN, NONE], /must use https .* write 'https:\/\/segments\.ai'\.$/],
    ['https://**.segments.ai', [LEADING_SUBDOMAIN], /would also match hosts that merely end in '\.segments\.ai', such as 'https:\/\/evil\.segments\.ai': write 'https:\/\/\*\.segments\.ai' for/],
    ['https://*.co.uk', [LEADING_SUBDOMAIN], /every site under '\.co\.uk', which is or holds a public suffix/],
    ['https://HTTP.ai/', [LEADING_SUBDOMAIN, NONE], /uppercase .* write 'https:\/\/http\.ai'\.$/],
    ['https://LOCALHOST/', [LEADING_SUBDOMAIN, NONE], /uppercase .* write it in lowercase\.$/],
  ])('refuses %s (%p)', (origin, modes, message) => {
    for (const mode of modes) {
      const problems = problemsOf(origin, mode);
      expect(problems).toHaveLength(1);
      expect(problems[0].startsWith(`allowedOrigins[0] ('${origin}') `)).toBe(true);
      expect(problems[0]).toMatch(message);
    }
  });
  it.each([
    'https://*.co.uk', 'https://*.github.io', 'https://*.s3.amazonaws.com', 'https://*.cloudfront.net', 'https://*.amazonaws.com',
    'https://*.appspot.com', 'https://*.web.app', 'https://*.azurewebsites.net', 'https://*.blob.core.windows.net',
    'https://*.herokuapp.com', 'https://*.vercel.app', 'https://*.netlify.app', 'https://*.pages.dev',
    'https://*.s3.eu-west-1.amazonaws.com', 'https://*.co.uk:8443',
    // Issue 18: S3's '*' matches dots, so each of these admits hosts anyone can get, such as
    // https://attacker.blob.core.windows.net. Public suffixes, and domains above one.
    'https://*.core.windows.net', 'https://*.windows.net', 'https://*.azurefd.net', 'https://*.cloudapp.azure.com',
    'https://*.azure.com', 'https://*.googleapis.com', 'https://*.servicebus.windows.net', 'https://*.compute.amazonaws.com',
    'https://*.eastus.cloudapp.azure.com', 'https://*.kawasaki.jp', 'https://*.x.kawasaki.jp',
  ])('refuses the wildcard %s over a public suffix, on S3 as on Cloud Storage', (origin) => {
    expect(problemsOf(origin, LEADING_SUBDOMAIN)).toEqual([expect.stringMatching(/would match every site under '\.[a-z0-9.-]+', which is or holds a public suffix under which anyone can get a host/)]);
    expect(problemsOf(origin, NONE)).toHaveLength(1);
  });
  it('names the index of each bad origin and keeps the good ones', () => {
    expect(httpsOriginProblems('allowedOrigins', ['https://segments.ai', 'https://*segments.ai', 'https://app.segments.ai:443'], LEADING_SUBDOMAIN)
      .map((problem) => problem.slice(0, problem.indexOf(')') + 1))).toEqual([
      "allowedOrigins[1] ('https://*segments.ai')",
      "allowedOrigins[2] ('https://app.segments.ai:443')",
    ]);
  });
  it('refuses duplicates, naming the second', () => {
    expect(httpsOriginProblems('allowedOrigins', ['https://a.ai', 'https://a.ai'], NONE)).toEqual([
      "allowedOrigins[1] ('https://a.ai') is listed twice: remove the duplicate.",
    ]);
  });
  it('refuses an empty list, naming the default of that cloud when given', () => {
    expect(httpsOriginProblems('allowedOrigins', [], LEADING_SUBDOMAIN, ['https://segments.ai', 'https://*.segments.ai'])).toEqual([
      "allowedOrigins is empty, so no browser could load the images: omit it to allow the default 'https://segments.ai', 'https://*.segments.ai', or list the origins Segments' web app uses.",
    ]);
    expect(httpsOriginProblems('allowedOrigins', [], NONE)[0]).toMatch(/^allowedOrigins is empty, .* omit it to allow the default origins/);
  });
  it('names the prop it is given', () => {
    expect(httpsOriginProblems('origins', ['*'], NONE)[0]).toMatch(/^origins\[0\] \('\*'\)/);
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
    [['images/.'], /'images\/\.'\) ends in a '\.' segment, which reads two ways: as a path it means the folder 'images\/' .* such as 'images\/\.hidden\/…'\. It is refused as ambiguous: write 'images\/' for the folder/],
    [['a/b/..'], /ends in a '\.\.' segment, .* as a path it means the folder 'a\/' .* write 'a\/' for the folder, or the longer prefix you mean, such as 'a\/b\/\.\.hidden\/'/],
    [['images/..'], /ends in a '\.\.' segment, .* as a path it means the whole bucket .* omit keyPrefixes for the whole bucket/],
    [['images/./x/.'], /has a '\.' or '\.\.' segment: URLs collapse it/],
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
    ['My_Bucket', /may only contain.*Try 'my-bucket'\./],
    ['-acme', /must start and end/],
    ['acme-', /must start and end/],
    ['xn--acme', /starts with 'xn--'/],
    ['acme-s3alias', /ends with '-s3alias'/],
  ])('refuses %s', (name, message) => {
    expect(s3BucketNameProblems('bucketName', name).join('\n')).toMatch(message);
  });
  // Issue 18 item 14: the bare name, not 's3-acme-labeling-data' or 'arn-aws-s3-my-images'.
  it.each([
    ['s3://acme-labeling-data', "bucketName ('s3://acme-labeling-data') starts with 's3://': give the bare bucket name, 'acme-labeling-data'."],
    ['s3://acme-labeling-data/', "bucketName ('s3://acme-labeling-data/') starts with 's3://': give the bare bucket name, 'acme-labeling-data'."],
    ['s3://acme-data/images/', "bucketName ('s3://acme-data/images/') starts with 's3://': give the bare bucket name, 'acme-data'; the path ('images/') is a key prefix, not part of the name."],
    ['arn:aws:s3:::my-images', "bucketName ('arn:aws:s3:::my-images') is an S3 ARN: give the bare bucket name, 'my-images'."],
    ['arn:aws-cn:s3:::my-images/x/*', "bucketName ('arn:aws-cn:s3:::my-images/x/*') is an S3 ARN: give the bare bucket name, 'my-images'; the path ('x/') is a key prefix, not part of the name."],
    ['gs://acme-data', "bucketName ('gs://acme-data') starts with 'gs://': give the bare bucket name, 'acme-data'."],
    ['s3://Acme', "bucketName ('s3://Acme') starts with 's3://': give the bare bucket name."],
  ])('suggests the bare name for the URL or ARN %s', (name, problem) => {
    expect(s3BucketNameProblems('bucketName', name)).toEqual([problem]);
  });
  it('names the dot problem on its own, so a caller can warn about an existing bucket instead', () => {
    const dot = s3BucketNameDotProblem('bucketName', 'acme.data');
    expect(dot).toMatch(/^bucketName \('acme\.data'\) contains a dot: .*TLS/);
    expect(s3BucketNameProblems('bucketName', 'acme.data')).toEqual([dot]);
    expect(s3BucketNameDotProblem('bucketName', 'acme-data')).toBeUndefined();
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
    ['gs://acme-data', /^name \('gs:\/\/acme-data'\) starts with 'gs:\/\/': give the bare bucket name, 'acme-data'\.$/],
    ['gs://Acme', /starts with 'gs:\/\/': give the bare bucket name\.$/],
    // Issue 18 item 14: the interoperable API's s3:// form suggested 's3---acme-data'.
    ['s3://acme-data', /^name \('s3:\/\/acme-data'\) starts with 's3:\/\/': give the bare bucket name, 'acme-data'\.$/],
    ['arn:aws:s3:::acme-data', /^name \('arn:aws:s3:::acme-data'\) is an S3 ARN: give the bare bucket name, 'acme-data'\.$/],
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

describe('list props are checked on the elements known at synth time', () => {
  const isToken = (value: unknown): boolean => value === 'TOKEN' || value === LIST_TOKEN;
  const LIST_TOKEN = ['LIST-TOKEN'];
  const seen = (values: readonly string[] | undefined): string[][] => {
    const calls: string[][] = [];
    literalElementProblems(values, isToken, (literal) => { calls.push(literal); return []; });
    return calls;
  };
  it('checks the literal elements, leaving tokens out', () => {
    expect(seen(['https://a.example.com', 'TOKEN'])).toEqual([['https://a.example.com']]);
  });
  it('checks an empty list, so that its own refusal applies', () => {
    expect(seen([])).toEqual([[]]);
  });
  it('leaves a missing prop, a list token and a list of tokens alone', () => {
    expect(seen(undefined)).toEqual([]);
    expect(seen(LIST_TOKEN)).toEqual([]);
    expect(seen(['TOKEN', 'TOKEN'])).toEqual([]);
  });
  it('returns what the check finds', () => {
    expect(literalElementProblems(['x'], isToken, (literal) => [`bad ${literal[0]}`])).toEqual(['bad x']);
  });
});
