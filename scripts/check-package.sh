#!/usr/bin/env bash
# Packs the library as npm would publish it and installs the tarball into three fresh consumer apps,
# the way a customer would:
#   - AWS-only: aws-cdk-lib + constructs + the tarball; synthesizes a SegmentsBucket and a
#     SegmentsImportedBucketAccess (whose handler ships as a built file) in one stack, and runs
#     the CLI (`npx segments-cloud-constructs aws-policy --merge`).
#   - Google-only: cdktf + constructs + @cdktf/provider-google + the tarball; synthesizes a
#     SegmentsGcsBucket stack.
#   - Azure-only: cdktf + constructs + @cdktf/provider-azurerm + @cdktf/provider-azuread + the
#     tarball; synthesizes a SegmentsAzureStorageAccount stack.
# Each consumer is type-checked through the package's subpath exports, and must not have the other
# clouds' libraries installed. Versions match the repo's lockfile so npm's cache serves them.
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
# The package's bin, as a user runs it: merge the Segments statement into a one-statement policy.
cp "$root"/test/package/current-policy.json "$aws"/
(cd "$aws" && npx --no-install segments-cloud-constructs aws-policy --bucket consumer-check-bucket --merge current-policy.json > merged.json &&
  node -e 'const [ours, theirs] = [require("./merged.json"), require("./current-policy.json")];
    const sids = ours.Statement.map((s) => s.Sid).join();
    if (sids !== "DenyInsecureTransport,segments-s3-access" || JSON.stringify(ours.Statement[0]) !== JSON.stringify(theirs.Statement[0])) {
      throw new Error("unexpected merged policy: " + JSON.stringify(ours));
    }
    console.log("AWS-only consumer: npx segments-cloud-constructs aws-policy --merge kept the policy and added Segments");')

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

echo "package check: ok"
