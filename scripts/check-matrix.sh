#!/usr/bin/env bash
# The dependency matrix: the packed tarball installed into fresh consumer apps with the versions a
# user may have, beside the pinned tree that `npm test` uses (never `npm install --no-save` over the
# repo's lockfile: that rewrites aws-cdk-lib's own tree). Each row is its own npm project:
#
#   row            module system               TypeScript        libraries
#   aws-floor      CommonJS, module node16     the repo's (6.x)  aws-cdk-lib and constructs at the peer floors
#   aws-newest     CommonJS, module node16     the repo's (6.x)  the newest aws-cdk-lib and constructs the peer ranges allow
#   gcp-floor      CommonJS, module node16     the repo's (6.x)  cdktf, constructs, @cdktf/provider-google at the floors
#   gcp-newest     CommonJS, module node16     the repo's (6.x)  the newest within the peer ranges
#   azure-floor    CommonJS, module node16     the repo's (6.x)  cdktf, constructs, azurerm, azuread at the floors
#   azure-newest   CommonJS, module node16     the repo's (6.x)  the newest within the peer ranges
#   esm-ts7        ES module, module nodenext  typescript@7      every cloud, newest
#   cjs-node10-ts6 CommonJS, moduleResolution node10 (typesVersions)  typescript@6 (7 has no node10)  every cloud, newest
#
# Floors and ranges are read from package.json's peerDependencies. Every row compiles and runs the
# consumer apps of test/package/ (every construct of its cloud, an escape hatch or a wildcard origin
# refused, and a misspelled prop refused: the checks fired). No snapshots: those stay on the pinned tree.
# Rows run MATRIX_JOBS at a time (default 3; installs wait on the disk and the registry's cache).
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

AWS_FLOOR=("aws-cdk-lib@$(floor aws-cdk-lib)" "constructs@$(floor constructs)")
AWS_NEWEST=("aws-cdk-lib@$(range aws-cdk-lib)" "constructs@$(range constructs)")
GCP_FLOOR=("cdktf@$(floor cdktf)" "constructs@$(floor constructs)" "@cdktf/provider-google@$(floor @cdktf/provider-google)")
GCP_NEWEST=("cdktf@$(range cdktf)" "constructs@$(range constructs)" "@cdktf/provider-google@$(range @cdktf/provider-google)")
AZURE_FLOOR=("cdktf@$(floor cdktf)" "constructs@$(floor constructs)" "@cdktf/provider-azurerm@$(floor @cdktf/provider-azurerm)"
  "@cdktf/provider-azuread@$(floor @cdktf/provider-azuread)")
AZURE_NEWEST=("cdktf@$(range cdktf)" "constructs@$(range constructs)" "@cdktf/provider-azurerm@$(range @cdktf/provider-azurerm)"
  "@cdktf/provider-azuread@$(range @cdktf/provider-azuread)")
ALL_NEWEST=("aws-cdk-lib@$(range aws-cdk-lib)" "${GCP_NEWEST[@]}" "@cdktf/provider-azurerm@$(range @cdktf/provider-azurerm)"
  "@cdktf/provider-azuread@$(range @cdktf/provider-azuread)")

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

# row <name> <module kind> <package type> <typescript: "repo" or a spec> <apps: comma list> <packages...>
row() {
  local name=$1 kind=$2 type=$3 typescript=$4 apps=$5; shift 5
  local dir="$work/$name" tsc="$root/node_modules/typescript/bin/tsc" app row_start=$SECONDS
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  npm init -y >/dev/null
  npm pkg set type="$type"
  local packages=("$@" "$tarball")
  [ "$typescript" = repo ] || packages+=("typescript@$typescript")
  npm install --no-audit --no-fund --prefer-offline --loglevel=error "${packages[@]}" >/dev/null
  [ "$typescript" = repo ] || tsc="$dir/node_modules/typescript/bin/tsc"
  tsconfig "$kind" > tsconfig.json
  for app in ${apps//,/ }; do
    cp "$root/test/package/$app-consumer.ts" "$dir/$app.ts"
    # The providers have no "exports" map, and an ES module cannot import a directory: an ESM user
    # names the provider's deep path with its index.js.
    [ "$type" = commonjs ] || sed -i -E "s#'(@cdktf/provider-[a-z]+/lib/[a-z0-9-]+)'#'\1/index.js'#" "$dir/$app.ts"
  done
  node "$tsc" -p tsconfig.json
  for app in ${apps//,/ }; do
    node "$app.js"
  done
  local versions
  versions=$(node -e '
    const names = ["typescript", "aws-cdk-lib", "constructs", "cdktf", "@cdktf/provider-google", "@cdktf/provider-azurerm", "@cdktf/provider-azuread"];
    const fs = require("fs");
    console.log(names.filter((n) => fs.existsSync(`node_modules/${n}/package.json`))
      .map((n) => `${n}@${JSON.parse(fs.readFileSync(`node_modules/${n}/package.json`, "utf8")).version}`).join(" "));')
  echo "ROW OK $name ($type, $kind, $((SECONDS - row_start)) s): $versions"
}

ROWS=(
  "aws-floor node16 commonjs repo aws ${AWS_FLOOR[*]}"
  "aws-newest node16 commonjs repo aws ${AWS_NEWEST[*]}"
  "gcp-floor node16 commonjs repo gcp ${GCP_FLOOR[*]}"
  "gcp-newest node16 commonjs repo gcp ${GCP_NEWEST[*]}"
  "azure-floor node16 commonjs repo azure ${AZURE_FLOOR[*]}"
  "azure-newest node16 commonjs repo azure ${AZURE_NEWEST[*]}"
  "esm-ts7 nodenext module ^7 aws,gcp,azure ${ALL_NEWEST[*]}"
  "cjs-node10-ts6 node10 commonjs ^6 aws,gcp,azure ${ALL_NEWEST[*]}"
)

# Each row in the background, MATRIX_JOBS at a time, its output in <row>.log.
jobs_max=${MATRIX_JOBS:-3}
pids=()
names=()
for spec in "${ROWS[@]}"; do
  read -r -a fields <<< "$spec"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do sleep 1; done
  (row "${fields[@]}") > "$work/${fields[0]}.log" 2>&1 &
  pids+=($!)
  names+=("${fields[0]}")
done
failed=()
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    failed+=("${names[$i]}")
  fi
done
for name in "${names[@]}"; do
  grep -h '^ROW OK' "$work/$name.log" || true
done
if [ ${#failed[@]} -gt 0 ]; then
  for name in "${failed[@]}"; do
    echo "== FAIL: row $name" >&2
    cat "$work/$name.log" >&2
  done
  exit 1
fi
echo "dependency matrix: ${#names[@]} rows ok in $((SECONDS - start)) s"
