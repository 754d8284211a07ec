#!/usr/bin/env bash
# The dependency matrix: the packed tarball installed into fresh consumer apps with the versions a
# user may have, beside the pinned tree that `npm test` uses (never `npm install --no-save` over the
# repo's lockfile: that rewrites aws-cdk-lib's own tree). Four fresh npm projects, and in each one
# or more consumers (a directory with its own package.json "type" and tsconfig.json, resolving the
# project's node_modules):
#
#   project  libraries                                            consumer        module system                      TypeScript
#   floor-aws    aws-cdk-lib, constructs at the peer floors           aws-floor       CommonJS, module node16            the repo's (6.x)
#   floor-gcp    cdktf, constructs, provider-google at the floors     gcp-floor       CommonJS, module node16            the repo's (6.x)
#   floor-azure  cdktf, constructs, azurerm, azuread at the floors    azure-floor     CommonJS, module node16            the repo's (6.x)
#   newest   every cloud, the newest the peer ranges allow,        newest-node16   CommonJS, module node16            the repo's (6.x)
#            and typescript@7                                      esm-ts7         ES module, module nodenext         7.x
#                                                                  cjs-node10-ts6  CommonJS, moduleResolution node10  the repo's (6.x; 7 has no node10)
#
# Floors and ranges are read from package.json's peerDependencies. Every consumer compiles and runs
# the consumer apps of test/package/ (every construct of its cloud, an escape hatch or a wildcard
# origin refused, and a misspelled prop refused: the checks fired). No snapshots: those stay on the
# pinned tree. Projects install MATRIX_JOBS at a time (default 3), from npm's cache where it can.
# PACKED_TARBALL names an already packed tarball to use instead of packing again.
# Usage: bash scripts/check-matrix.sh [work-dir]   (the work dir is kept when given)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
work=$(mkdir -p "$work" && cd "$work" && pwd)
[ -n "${1:-}" ] || trap 'rm -rf "$work"' EXIT
start=$SECONDS

if [ -n "${PACKED_TARBALL:-}" ]; then
  tarball=$PACKED_TARBALL
else
  echo "== packing"
  tarball="$work/$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
fi

# range <package>: its peer range; floor <package>: the lowest version that range allows.
range() { node -p "require('$root/package.json').peerDependencies['$1']"; }
floor() { range "$1" | sed -E 's/^[^0-9]*([0-9]+\.[0-9]+\.[0-9]+).*$/\1/'; }

# joined <spec...>: the specs joined with ',' (ranges hold spaces, never a comma).
joined() { local IFS=','; echo "$*"; }
AWS_FLOOR=$(joined "aws-cdk-lib@$(floor aws-cdk-lib)" "constructs@$(floor constructs)")
GCP_FLOOR=$(joined "cdktf@$(floor cdktf)" "constructs@$(floor constructs)" "@cdktf/provider-google@$(floor @cdktf/provider-google)")
AZURE_FLOOR=$(joined "cdktf@$(floor cdktf)" "constructs@$(floor constructs)" "@cdktf/provider-azurerm@$(floor @cdktf/provider-azurerm)" \
  "@cdktf/provider-azuread@$(floor @cdktf/provider-azuread)")
ALL_NEWEST=$(joined "aws-cdk-lib@$(range aws-cdk-lib)" "constructs@$(range constructs)" "cdktf@$(range cdktf)" \
  "@cdktf/provider-google@$(range @cdktf/provider-google)" "@cdktf/provider-azurerm@$(range @cdktf/provider-azurerm)" \
  "@cdktf/provider-azuread@$(range @cdktf/provider-azuread)" "typescript@^7")

# tsconfig <kind>: the consumer's tsconfig.json for a module system.
tsconfig() {
  local module
  case $1 in
    node16) module='"module": "node16", "moduleResolution": "node16"' ;;
    nodenext) module='"module": "nodenext", "moduleResolution": "nodenext"' ;;
    node10) module='"module": "commonjs", "moduleResolution": "node10", "ignoreDeprecations": "6.0"' ;;
  esac
  printf '{\n  "compilerOptions": { "target": "ES2022", "lib": ["ES2022"], %s, "types": [], "strict": true, "skipLibCheck": true },\n  "include": ["*.ts"]\n}\n' "$module"
}

# consumer <project dir> <name> <module kind> <package type> <tsc: "repo" or "project"> <apps: comma list>
consumer() {
  local project=$1 name=$2 kind=$3 type=$4 typescript=$5 apps=$6
  local dir="$project/$name" tsc="$root/node_modules/typescript/bin/tsc" app
  [ "$typescript" = repo ] || tsc="$project/node_modules/typescript/bin/tsc"
  mkdir -p "$dir" && cd "$dir"
  printf '{ "name": "%s", "private": true, "type": "%s" }\n' "$name" "$type" > package.json
  tsconfig "$kind" > tsconfig.json
  for app in ${apps//,/ }; do
    cp "$root/test/package/$app-consumer.ts" "$dir/$app.ts"
    # The providers have no "exports" map, and an ES module cannot import a directory: an ESM user
    # names the provider's deep path with its index.js.
    [ "$type" = commonjs ] || sed -i -E "s#'(@cdktf/provider-[a-z]+/lib/[a-z0-9-]+)'#'\\1/index.js'#" "$dir/$app.ts"
  done
  node "$tsc" -p tsconfig.json
  for app in ${apps//,/ }; do
    node "$app.js"
  done
  echo "CONSUMER OK $name ($type, $kind, TypeScript $(node -p "require('$tsc/../../package.json').version"))"
}

# project <name> <consumer specs, ';'-separated> <packages...>: a fresh npm project with these packages and the tarball, then its consumers.
project() {
  local name=$1 consumers=$2; shift 2
  local dir="$work/$name" start_project=$SECONDS spec
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --prefer-offline --loglevel=error "$@" "$tarball" >/dev/null
  local installed=$((SECONDS - start_project))
  IFS=';' read -r -a specs <<< "$consumers"
  for spec in "${specs[@]}"; do
    read -r -a fields <<< "$spec"
    consumer "$dir" "${fields[@]}"
  done
  cd "$dir"
  local versions
  versions=$(node -e '
    const names = ["typescript", "aws-cdk-lib", "constructs", "cdktf", "@cdktf/provider-google", "@cdktf/provider-azurerm", "@cdktf/provider-azuread"];
    const fs = require("fs");
    console.log(names.filter((n) => fs.existsSync(`node_modules/${n}/package.json`))
      .map((n) => `${n}@${JSON.parse(fs.readFileSync(`node_modules/${n}/package.json`, "utf8")).version}`).join(" "));')
  echo "PROJECT OK $name (install ${installed} s, total $((SECONDS - start_project)) s): $versions"
}

PROJECTS=(
  "floor-aws|aws-floor node16 commonjs repo aws|$AWS_FLOOR"
  "floor-gcp|gcp-floor node16 commonjs repo gcp|$GCP_FLOOR"
  "floor-azure|azure-floor node16 commonjs repo azure|$AZURE_FLOOR"
  "newest|newest-node16 node16 commonjs repo aws,gcp,azure;esm-ts7 nodenext module project aws,gcp,azure;cjs-node10-ts6 node10 commonjs repo aws,gcp,azure|$ALL_NEWEST"
)

# Each project in the background, MATRIX_JOBS at a time, its output in <project>.log.
jobs_max=${MATRIX_JOBS:-3}
pids=()
names=()
for entry in "${PROJECTS[@]}"; do
  IFS='|' read -r name consumers packages <<< "$entry"
  IFS=',' read -r -a package_list <<< "$packages"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do sleep 1; done
  (project "$name" "$consumers" "${package_list[@]}") > "$work/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
done
failed=()
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    failed+=("${names[$i]}")
  fi
done
for name in "${names[@]}"; do
  grep -h -E '^(CONSUMER|PROJECT) OK' "$work/$name.log" || true
done
if [ ${#failed[@]} -gt 0 ]; then
  for name in "${failed[@]}"; do
    echo "== FAIL: project $name" >&2
    cat "$work/$name.log" >&2
  done
  exit 1
fi
echo "dependency matrix: ${#names[@]} projects, 6 consumers ok in $((SECONDS - start)) s"
