#!/usr/bin/env bash
# Packs both packages as npm would publish them and installs each tarball into fresh consumers,
# the way a customer would:
#   - AWS-only: aws-cdk-lib + constructs + the tarball; synthesizes a SegmentsBucket and a
#     SegmentsImportedBucketAccess (whose handler ships as a built file) in one stack.
#   - Google-only: cdktf + constructs + @cdktf/provider-google + the tarball; synthesizes a
#     SegmentsGcsBucket stack.
#   - Azure-only: cdktf + constructs + @cdktf/provider-azurerm + @cdktf/provider-azuread + the
#     tarball; synthesizes a SegmentsAzureStorageAccount stack.
#   - CLI-only: segments-cloud-cli's tarball alone, in a folder with no construct library; runs
#     `npx segments-cloud --help` and `aws-policy --merge`, and `npx -p ./<tarball> segments-cloud`
#     in an empty folder, as the README's pre-publish path says. Prints the install size.
# Each constructs consumer is type-checked through the package's subpath exports, and must not have
# the other clouds' libraries installed. Versions match the repo's lockfile so npm's cache serves them.
# Usage: bash scripts/check-package.sh [work-dir]   (the work dir is kept when given)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
work=$(mkdir -p "$work" && cd "$work" && pwd)
[ -n "${1:-}" ] || trap 'rm -rf "$work"' EXIT

version() { node -p "require('$root/node_modules/$1/package.json').version"; }

echo "== packing"
tarball="$work/$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
ls -l "$tarball"
tar -tzf "$tarball" | grep -x package/LICENSE >/dev/null || { echo "FAIL: the tarball has no LICENSE" >&2; exit 1; }
# The constructs package has no executable (the CLI is segments-cloud-cli) and no runtime dependency.
tar -xzOf "$tarball" package/package.json | node -e '
  const p = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (p.bin !== undefined || p.dependencies !== undefined) {
    throw new Error("segments-cloud-constructs must have no bin and no dependencies: " + JSON.stringify({ bin: p.bin, dependencies: p.dependencies }));
  }'
cli_tarball="$work/$(cd "$root" && npm pack -w cli --silent --pack-destination "$work" | tail -n 1)"
ls -l "$cli_tarball"
tar -tzf "$cli_tarball" | grep -x package/LICENSE >/dev/null || { echo "FAIL: the CLI tarball has no LICENSE" >&2; exit 1; }

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
(cd "$cli" && npm init -y >/dev/null && npm install --no-audit --no-fund --prefer-offline --loglevel=error "$cli_tarball" >/dev/null)
absent "$cli" segments-cloud-constructs aws-cdk-lib constructs cdktf @cdktf/provider-google @cdktf/provider-azurerm @cdktf/provider-azuread
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

echo "package check: ok"
