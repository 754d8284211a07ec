#!/usr/bin/env bash
# Packs both packages as npm would publish them and installs each tarball into fresh consumers,
# the way a customer would:
#   - Both tarballs carry THIRD-PARTY-NOTICES, and scripts/check-licences.mjs judges every package each lists.
#   - AWS-only: aws-cdk-lib + constructs + the tarball; synthesizes SegmentsBucket, SegmentsAccess
#     and SegmentsImportedBucketAccess (whose handler ships as a built file) in one stack, and shows an
#     escape hatch and a misspelled prop refused.
#   - Google-only: cdktf + constructs + @cdktf/provider-google + the tarball; synthesizes
#     SegmentsGcsBucket and SegmentsGcsAccess.
#   - Azure-only: cdktf + constructs + @cdktf/provider-azurerm + @cdktf/provider-azuread + the
#     tarball; synthesizes SegmentsAzureStorageAccount and SegmentsAzureAccess.
#   - CLI-only: segments-cloud-cli's tarball alone (`--omit=dev`), in a folder with no construct
#     library: the tarball holds its bundle and THIRD-PARTY-NOTICES; runs `verify aws --offline`,
#     `verify gcs --help`, `verify azure --help`, `npx segments-cloud --help` and `aws-policy --merge`,
#     and `npx -p ./<tarball> segments-cloud` in an empty folder, as the README's pre-publish path
#     says; prints the install size; and, at the end, asserts that `npm ls --all` lists the CLI alone.
#   - The README's "Start a new app", word for word (its ```sh blocks as pasted, in folders next to
#     ../segments-cloud-constructs/ holding this tarball, and the Quick start samples as main.ts): the
#     AWS recipe synthesizes without the notice about unset feature flags, a misspelled prop fails the
#     type-check, the synth and the construct at run time; the Google and the Azure recipes each
#     install only their own cloud's providers and synthesize with cdktf-cli, a refused prop makes
#     `cdktf synth` print the refusal without a stack trace, and the Node.js 24 path prints the
#     warnings of cdktf.out/manifest.json.
# Each constructs consumer is type-checked through the package's subpath exports, and must not have
# the other clouds' libraries installed. Versions match the repo's lockfile so npm's cache serves them.
# PACKED_TARBALL names an already packed tarball to use instead of packing again.
# Usage: bash scripts/check-package.sh [work-dir]   (the work dir is kept when given)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
work=$(mkdir -p "$work" && cd "$work" && pwd)
[ -n "${1:-}" ] || trap 'rm -rf "$work"' EXIT

version() { node -p "require('$root/node_modules/$1/package.json').version"; }

if [ -n "${PACKED_TARBALL:-}" ]; then
  tarball=$PACKED_TARBALL
else
  echo "== packing"
  tarball="$work/$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
fi
ls -l "$tarball"
tar -tzf "$tarball" | grep -x package/LICENSE >/dev/null || { echo "FAIL: the tarball has no LICENSE" >&2; exit 1; }
# The licence texts of the code the package bundles (scripts/third-party-notices.mjs): the monitor's handler holds
# @aws-sdk/s3-request-presigner and @smithy code, both handlers and public-suffix-list.js the Public Suffix List (tldts).
tar -tzf "$tarball" | grep -x package/THIRD-PARTY-NOTICES >/dev/null || { echo "FAIL: the tarball has no THIRD-PARTY-NOTICES" >&2; exit 1; }
for pkg in @aws-sdk/s3-request-presigner @smithy/core tldts; do
  tar -xzOf "$tarball" package/THIRD-PARTY-NOTICES | grep "^- $pkg@" >/dev/null ||
    { echo "FAIL: the tarball's THIRD-PARTY-NOTICES does not list $pkg, which its bundled files hold" >&2; exit 1; }
done
# The constructs package has no executable (the CLI is segments-cloud-cli) and no runtime dependency.
tar -xzOf "$tarball" package/package.json | node -e '
  const p = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (p.bin !== undefined || p.dependencies !== undefined) {
    throw new Error("segments-cloud-constructs must have no bin and no dependencies: " + JSON.stringify({ bin: p.bin, dependencies: p.dependencies }));
  }'
cli_tarball="$work/$(cd "$root" && npm pack -w cli --silent --pack-destination "$work" | tail -n 1)"
ls -l "$cli_tarball"
tar -tzf "$cli_tarball" | grep -x package/LICENSE >/dev/null || { echo "FAIL: the CLI tarball has no LICENSE" >&2; exit 1; }
# The CLI ships its bundle (cli/scripts/bundle.js): the executable, one chunk per cloud, the Public
# Suffix List, and the licence texts of what they bundle.
for file in dist/cli.js dist/verify-aws.js dist/verify-gcs.js dist/verify-azure.js dist/public-suffix-list.js THIRD-PARTY-NOTICES; do
  tar -tzf "$cli_tarball" | grep -x "package/$file" >/dev/null || { echo "FAIL: the CLI tarball has no $file" >&2; exit 1; }
done
tar -xzOf "$cli_tarball" package/THIRD-PARTY-NOTICES | grep '^- @aws-sdk/client-s3@' >/dev/null ||
  { echo "FAIL: the CLI's THIRD-PARTY-NOTICES does not list @aws-sdk/client-s3, which its bundle holds" >&2; exit 1; }
# Every package either tarball's THIRD-PARTY-NOTICES lists, judged by the licence check (no copyleft, nothing unknown).
mkdir -p "$work/notices/constructs" "$work/notices/cli"
tar -xzf "$tarball" -C "$work/notices/constructs" package/THIRD-PARTY-NOTICES
tar -xzf "$cli_tarball" -C "$work/notices/cli" package/THIRD-PARTY-NOTICES
node "$root/scripts/check-licences.mjs" --notices "$work/notices/constructs/package/THIRD-PARTY-NOTICES" --notices "$work/notices/cli/package/THIRD-PARTY-NOTICES"
# tldts (the Public Suffix List) is a development dependency: its data ships inside dist, never as a require.
tar -xzf "$tarball" -C "$work" package/dist
if grep -rl 'require("tldts' "$work/package/dist"; then echo "FAIL: dist requires tldts, which consumers do not install" >&2; exit 1; fi

# consumer <dir> <packages...>: a fresh npm project with exactly these packages and the tarball.
consumer() {
  local dir=$1; shift
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm init -y >/dev/null &&
    npm install --no-audit --no-fund --prefer-offline --loglevel=error "$@" "$tarball" >/dev/null)
  cp "$root"/test/package/tsconfig.json "$dir"/
}

absent() {
  local dir=$1; shift
  for pkg in "$@"; do
    if [ -e "$dir/node_modules/$pkg" ]; then
      echo "FAIL: $pkg is installed in $dir, but this consumer must not need it" >&2
      exit 1
    fi
  done
}

echo "== AWS-only consumer"
aws="$work/aws-consumer"
consumer "$aws" "aws-cdk-lib@$(version aws-cdk-lib)" "constructs@$(version constructs)"
absent "$aws" cdktf @cdktf/provider-google @cdktf/provider-azurerm @cdktf/provider-azuread
cp "$root"/test/package/aws-consumer.ts "$aws"/app.ts
(cd "$aws" && node "$root"/node_modules/typescript/bin/tsc -p tsconfig.json && node app.js)

echo "== Google-only consumer"
gcp="$work/gcp-consumer"
consumer "$gcp" "cdktf@$(version cdktf)" "constructs@$(version constructs)" "@cdktf/provider-google@$(version @cdktf/provider-google)"
absent "$gcp" aws-cdk-lib @cdktf/provider-azurerm @cdktf/provider-azuread
cp "$root"/test/package/gcp-consumer.ts "$gcp"/app.ts
(cd "$gcp" && node "$root"/node_modules/typescript/bin/tsc -p tsconfig.json && node app.js)

echo "== Azure-only consumer"
azure="$work/azure-consumer"
consumer "$azure" "cdktf@$(version cdktf)" "constructs@$(version constructs)" \
  "@cdktf/provider-azurerm@$(version @cdktf/provider-azurerm)" "@cdktf/provider-azuread@$(version @cdktf/provider-azuread)"
absent "$azure" aws-cdk-lib @cdktf/provider-google
cp "$root"/test/package/azure-consumer.ts "$azure"/app.ts
(cd "$azure" && node "$root"/node_modules/typescript/bin/tsc -p tsconfig.json && node app.js)

echo "== CLI-only consumer (segments-cloud-cli from its tarball, no construct library)"
cli="$work/cli-consumer"
rm -rf "$cli" && mkdir -p "$cli"
(cd "$cli" && npm init -y >/dev/null && npm install --omit=dev --no-audit --no-fund --prefer-offline --loglevel=error "$cli_tarball" >/dev/null)
absent "$cli" segments-cloud-constructs aws-cdk-lib constructs cdktf @cdktf/provider-google @cdktf/provider-azurerm @cdktf/provider-azuread
# verify from the installed bundle: aws with no credentials and no request to S3's public endpoint
# (exit 3, every check not-checked, said by aws.bucket), gcs and azure their help.
# (The installed bin, as npx runs it, in an environment with nothing of the caller's AWS setup.)
verify_aws_status=0
(cd "$cli" && env -i PATH="$PATH" HOME="$cli" AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE="$cli/none" AWS_SHARED_CREDENTIALS_FILE="$cli/none" \
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true node_modules/.bin/segments-cloud verify aws --bucket consumer-check-bucket --offline --json > verify-aws.json) ||
  verify_aws_status=$?
[ "$verify_aws_status" = 3 ] && node -e '
  const report = require(process.argv[1]);
  const bucket = report.checks.find((c) => c.id === "aws.bucket");
  if (report.bucket !== "consumer-check-bucket" || bucket?.result !== "not-checked" || !/credentials/.test(bucket.detail)) throw new Error(JSON.stringify(report));
' "$cli/verify-aws.json" || { echo "FAIL: verify aws --offline from the installed CLI (exit $verify_aws_status):" >&2; cat "$cli/verify-aws.json" >&2; exit 1; }
echo "CLI-only consumer: verify aws --offline with no credentials: exit 3, aws.bucket names the credentials"
for cloud in gcs azure; do
  (cd "$cli" && npx --no-install segments-cloud verify "$cloud" --help | grep -q "^Checks: $cloud\.") ||
    { echo "FAIL: verify $cloud --help from the installed CLI" >&2; exit 1; }
done
echo "CLI-only consumer: verify gcs --help, verify azure --help: ok"
# Zero dependencies: npm installed the CLI and nothing else (reported at the end, after the other checks ran).
cli_installed=$(cd "$cli" && npm ls --all --parseable | sed "s|^$cli||" | sort)
zero_dependency_failure=
if [ "$cli_installed" != "$(printf '\n/node_modules/segments-cloud-cli')" ]; then
  zero_dependency_failure="the CLI installed with --omit=dev brings packages besides itself (npm ls --all):
$cli_installed"
fi
(cd "$cli" && npx --no-install segments-cloud --help | grep -q '^  verify aws ') || { echo "FAIL: npx segments-cloud --help does not list verify aws" >&2; exit 1; }
(cd "$cli" && npx --no-install segments-cloud verify aws --help | grep -q 'aws.org-policies') || { echo "FAIL: npx segments-cloud verify aws --help" >&2; exit 1; }
# aws-policy --merge, as a user runs it: the Segments statement merged into a one-statement policy.
cp "$root"/test/package/current-policy.json "$cli"/
(cd "$cli" && npx --no-install segments-cloud aws-policy --bucket consumer-check-bucket --merge current-policy.json > merged.json &&
  node -e 'const [ours, theirs] = [require("./merged.json"), require("./current-policy.json")];
    const sids = ours.Statement.map((s) => s.Sid).join();
    if (sids !== "DenyInsecureTransport,segments-s3-access" || JSON.stringify(ours.Statement[0]) !== JSON.stringify(theirs.Statement[0])) {
      throw new Error("unexpected merged policy: " + JSON.stringify(ours));
    }
    console.log("CLI-only consumer: npx segments-cloud aws-policy --merge kept the policy and added Segments");')
echo "CLI-only consumer: node_modules is $(du -sb "$cli/node_modules" | cut -f1) bytes ($(du -sh "$cli/node_modules" | cut -f1) on disk)," \
  "$(node -p 'Object.keys(require(process.argv[1]).packages).filter((k) => k.startsWith("node_modules/")).length' "$cli/node_modules/.package-lock.json") packages"
# The README's pre-publish path, in an empty folder: npx installs the tarball and its dependencies itself.
empty="$work/empty"
rm -rf "$empty" && mkdir -p "$empty" && cp "$cli_tarball" "$empty"/
(cd "$empty" && npx --yes --prefer-offline -p "./$(basename "$cli_tarball")" segments-cloud gcs-cors > cors.json &&
  node -e 'const rules = require("./cors.json"); if (!Array.isArray(rules) || rules[0].method.join() !== "GET") throw new Error(JSON.stringify(rules));')
echo "empty folder: npx -p ./$(basename "$cli_tarball") segments-cloud gcs-cors: ok"
for cloud in gcs azure; do
  (cd "$empty" && npx --yes --prefer-offline -p "./$(basename "$cli_tarball")" segments-cloud verify "$cloud" --help | grep -q "^Checks: $cloud\.") ||
    { echo "FAIL: npx -p <tarball> segments-cloud verify $cloud --help in an empty folder" >&2; exit 1; }
  echo "empty folder: npx -p ./$(basename "$cli_tarball") segments-cloud verify $cloud --help: ok"
done

# recipe_block <n>: the n-th ```sh block of the README's "Start a new app", word for word.
recipe_block() {
  node -e '
    const [readme, index] = process.argv.slice(1);
    const text = require("fs").readFileSync(readme, "utf8");
    const section = text.slice(text.indexOf("### Start a new app"), text.indexOf("\n## Quick start"));
    const block = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1])[Number(index)];
    if (block === undefined) throw new Error(`no sh block #${index} in the README section "Start a new app"`);
    process.stdout.write(block);
  ' "$root/README.md" "$1"
}

# The recipes run in folders next to the clone, as the README says: ../segments-cloud-constructs/
# holds this tarball and nothing else, so the README's `pkg=$(ls ...)` line names it as pasted.
mkdir -p "$work/segments-cloud-constructs"
rm -f "$work"/segments-cloud-constructs/*.tgz
cp "$tarball" "$work/segments-cloud-constructs/segments-cloud-constructs-$(tar -xzOf "$tarball" package/package.json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).version').tgz"

# installed_from_tarball <dir>: the recipe installed this tarball (not a registry copy).
installed_from_tarball() {
  node -e '
    const [dir] = process.argv.slice(1);
    const spec = require(`${dir}/package.json`).dependencies["segments-cloud-constructs"] ?? "";
    if (!spec.startsWith("file:") || !spec.includes("segments-cloud-constructs/segments-cloud-constructs-")) {
      throw new Error(`${dir}: segments-cloud-constructs is ${JSON.stringify(spec)}, not the tarball next to it`);
    }' "$1"
}

# quickstart_sample <heading>: the ```ts sample under "### <heading>" in the README's Quick start.
quickstart_sample() {
  node -e '
    const [readme, heading] = process.argv.slice(1);
    const text = require("fs").readFileSync(readme, "utf8");
    const start = text.indexOf(`\n### ${heading}\n`, text.indexOf("\n## Quick start"));
    const sample = /```ts\n([\s\S]*?)```/.exec(text.slice(start))?.[1];
    if (start < 0 || sample === undefined) throw new Error(`no ts sample under "### ${heading}" in the README`);
    process.stdout.write(sample);
  ' "$root/README.md" "$1"
}

# expect_failure <log> <pattern> <command...>: the command must fail, printing the pattern.
expect_failure() {
  local log=$1 pattern=$2; shift 2
  if "$@" >"$log" 2>&1; then
    echo "FAIL: '$*' succeeded in $(pwd), but must fail" >&2; cat "$log" >&2; exit 1
  fi
  grep -qF -- "$pattern" "$log" || { echo "FAIL: '$*' failed without printing: $pattern" >&2; cat "$log" >&2; exit 1; }
}

# npm as the recipe's reader runs it, but from npm's cache where it can.
export npm_config_prefer_offline=true npm_config_audit=false npm_config_fund=false npm_config_loglevel=error

echo "== the README's Start a new app, word for word: AWS"
recipe="$work/recipe-aws"
rm -rf "$recipe" && mkdir -p "$recipe"
quickstart_sample AWS > "$recipe/main.ts"
recipe_block 0 > "$recipe/recipe.sh"
(cd "$recipe" && bash -euo pipefail recipe.sh > recipe.log 2>&1) || { cat "$recipe/recipe.log" >&2; echo "FAIL: the AWS recipe" >&2; exit 1; }
grep -q 'Type: AWS::S3::Bucket$' "$recipe/recipe.log" || { cat "$recipe/recipe.log" >&2; echo "FAIL: the AWS recipe printed no bucket" >&2; exit 1; }
if grep -q 'feature flags are not configured' "$recipe/recipe.log"; then
  grep 'feature flags' "$recipe/recipe.log" >&2; echo "FAIL: the recipe's cdk.json leaves feature flags unset" >&2; exit 1
fi
installed_from_tarball "$recipe"
echo "AWS recipe: type-checked, synthesized, no notice about unset feature flags ($(node -p 'Object.keys(require(process.argv[1]).context).length' "$recipe/cdk.json") flags in cdk.json)"
# A misspelled prop: the type-check refuses it, so does the synth (cdk.json's app type-checks first),
# and the construct refuses it at run time too (tsx alone never type-checks).
(cd "$recipe" && sed -i 's/bucketName:/bucketname:/' main.ts && grep -q 'bucketname:' main.ts &&
  expect_failure tsc.log "'bucketname' does not exist in type 'SegmentsBucketProps'" npx tsc --noEmit &&
  expect_failure synth.log "'bucketname' does not exist in type 'SegmentsBucketProps'" npx cdk synth &&
  expect_failure tsx.log "unknown prop 'bucketname': did you mean 'bucketName'?" npx tsx main.ts)
echo "AWS recipe: a misspelled prop (bucketname) fails tsc, cdk synth, and the construct at run time"

# cdktf_recipe <cloud heading> <block of the cloud's install> <stack> <other clouds' libraries...>
cdktf_recipe() {
  local heading=$1 block=$2 stack=$3; shift 3
  echo "== the README's Start a new app, word for word: $heading (cdktf)"
  recipe="$work/recipe-$stack"
  rm -rf "$recipe" && mkdir -p "$recipe"
  quickstart_sample "$heading" > "$recipe/main.ts"
  { recipe_block "$block"; recipe_block 3; } > "$recipe/recipe.sh"
  (cd "$recipe" && bash -euo pipefail recipe.sh > recipe.log 2>&1) || { cat "$recipe/recipe.log" >&2; echo "FAIL: the $heading recipe" >&2; exit 1; }
  [ -s "$recipe/cdktf.out/stacks/$stack/cdk.tf.json" ] || { cat "$recipe/recipe.log" >&2; echo "FAIL: the $heading recipe wrote no stack" >&2; exit 1; }
  installed_from_tarball "$recipe"
  absent "$recipe" "$@"
  echo "$heading recipe: installed no other cloud's library, type-checked and synthesized with cdktf-cli"
}
cdktf_recipe Azure 2 segments-azure aws-cdk-lib @cdktf/provider-google
cdktf_recipe 'Google Cloud' 1 segments-gcs aws-cdk-lib @cdktf/provider-azurerm @cdktf/provider-azuread
# A refusal reads as the sentence alone: the construct's path and its problems, no stack frame.
cp "$recipe/main.ts" "$recipe/main.ts.orig"
sed -i "s/name: 'acme-segments-data',/name: 'Acme_Segments_Data',/" "$recipe/main.ts"
grep -q "Acme_Segments_Data" "$recipe/main.ts"
(cd "$recipe" && expect_failure refused.log "segments-gcs/Data: SegmentsGcsBucket refused its input:" env CHECKPOINT_DISABLE=1 npx cdktf synth)
if grep -qE '^\s+at ' "$recipe/refused.log"; then
  cat "$recipe/refused.log" >&2; echo "FAIL: cdktf synth printed a stack trace under the refusal" >&2; exit 1
fi
mv "$recipe/main.ts.orig" "$recipe/main.ts"
echo "Google Cloud recipe: a refused name makes cdktf synth print the refusal, without a stack trace"
# The path without cdktf-cli (Node.js 24) prints the warnings: make the sample warn (forceDestroy).
sed -i "s/location: 'EU',/location: 'EU', forceDestroy: true,/" "$recipe/main.ts"
grep -q 'forceDestroy: true' "$recipe/main.ts"
rm -rf "$recipe/cdktf.out"
recipe_block 4 > "$recipe/without-cli.sh"
(cd "$recipe" && bash -euo pipefail without-cli.sh > without-cli.log 2>&1) || { cat "$recipe/without-cli.log" >&2; echo "FAIL: the path without cdktf-cli" >&2; exit 1; }
grep -q '^warn segments-gcs/Data (segments-gcs): \[segments-cloud-constructs:gcs-force-destroy\]' "$recipe/without-cli.log" ||
  { cat "$recipe/without-cli.log" >&2; echo "FAIL: the path without cdktf-cli printed no warning" >&2; exit 1; }
echo "cdktf recipe without cdktf-cli: printed the gcs-force-destroy warning from cdktf.out/manifest.json"

if [ -n "$zero_dependency_failure" ]; then
  echo "FAIL: $zero_dependency_failure" >&2; exit 1
fi
echo "CLI-only consumer: npm ls --all lists segments-cloud-cli alone"
echo "package check: ok"
