#!/usr/bin/env bash
# The provider removal drill (issue 11): "removing a provider's folder and its registry lines
# leaves the type check and every other test green". For each provider it copies the working tree
# to a temporary directory (without node_modules, .next, .data and .git; node_modules is
# symlinked), deletes lib/providers/<id>/ and tests/sandbox/providers/<id>/ and the provider's
# import and entry in both registries, then runs `tsc --noEmit` and the unit + integration suites
# on PGlite (`vitest run`) there, and reports pass or fail. The real tree is never touched.
#
#   bash scripts/provider-drill.sh <id>            one provider
#   bash scripts/provider-drill.sh all             every registered provider, one after another, then a table
#   options: --tsc-only (skip vitest)  --keep (keep the copies)  -- <vitest args>  (e.g. -- --project unit)
#
# A developer tool, not part of `npm test`: a full run per provider takes as long as the suites do.
# Logs stay in the directory printed at the start (one <id>.tsc.log and <id>.vitest.log each).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

registered() {
  sed -n "s/^import { [A-Za-z0-9_]* } from '\.\/\([a-z0-9-]*\)';$/\1/p" lib/providers/registry.ts
}

usage() {
  echo "usage: bash scripts/provider-drill.sh <id>|all [--tsc-only] [--keep] [-- <vitest args>]" >&2
  echo "registered: $(registered | tr '\n' ' ')" >&2
  exit 2
}

target=""
tsc_only=0
keep=0
vitest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tsc-only) tsc_only=1 ;;
    --keep) keep=1 ;;
    --) shift; vitest_args=("$@"); break ;;
    -*) usage ;;
    *) [ -z "$target" ] || usage; target="$1" ;;
  esac
  shift
done
[ -n "$target" ] || usage

if [ "$target" = all ]; then
  mapfile -t ids < <(registered)
else
  registered | grep -qx -- "$target" || { echo "no provider '$target' in lib/providers/registry.ts" >&2; usage; }
  ids=("$target")
fi

logs=$(mktemp -d "${TMPDIR:-/tmp}/provider-drill.XXXXXX")
echo "provider drill: ${ids[*]} (logs in $logs)"

# Removes one provider's registry lines: its import (whose local name it learns) and that name in the list.
remove_registry_lines() {
  node - "$1" "$2" <<'NODE'
const fs = require('node:fs');
const [file, id] = process.argv.slice(2);
let text = fs.readFileSync(file, 'utf8');
const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const line = new RegExp(`^import \\{ (\\w+) \\} from '\\./${escaped}';\\r?\\n`, 'm');
const found = line.exec(text);
if (!found) throw new Error(`${file}: no import of './${id}'`);
const name = found[1];
text = text.replace(found[0], '');
const entry = [new RegExp(`\\b${name}\\b,[ \\t]*(\\r?\\n[ \\t]*)?`), new RegExp(`,\\s*\\b${name}\\b`), new RegExp(`\\b${name}\\b`)];
const before = text;
for (const pattern of entry) {
  if (pattern.test(text)) {
    text = text.replace(pattern, '');
    break;
  }
}
if (text === before) throw new Error(`${file}: '${name}' is not listed`);
if (new RegExp(`\\b${name}\\b`).test(text)) throw new Error(`${file}: '${name}' still appears after removing it`);
fs.writeFileSync(file, text);
NODE
}

declare -A tsc_result vitest_result vitest_summary failing
for id in "${ids[@]}"; do
  work=$(mktemp -d "${TMPDIR:-/tmp}/provider-drill-$id.XXXXXX")
  echo
  echo "── without $id ($work)"
  tar -C "$root" -cf - \
    --exclude=./node_modules --exclude=./.next --exclude='./.next-*' --exclude=./.data --exclude=./.git --exclude=./.ci \
    --exclude=./test-results --exclude=./playwright-report --exclude=./.test-output --exclude='*.tsbuildinfo' . |
    tar -C "$work" -xf -
  ln -s "$root/node_modules" "$work/node_modules"
  rm -rf "$work/lib/providers/$id" "$work/tests/sandbox/providers/$id"
  if ! remove_registry_lines "$work/lib/providers/registry.ts" "$id" || ! remove_registry_lines "$work/tests/sandbox/providers/registry.ts" "$id"; then
    tsc_result[$id]="error"
    vitest_result[$id]="-"
    [ "$keep" = 1 ] || rm -rf "$work"
    continue
  fi

  echo "   tsc --noEmit"
  if (cd "$work" && npx tsc --noEmit) >"$logs/$id.tsc.log" 2>&1; then
    tsc_result[$id]="pass"
  else
    tsc_result[$id]="FAIL"
    grep -E 'error TS' "$logs/$id.tsc.log" | head -20 | sed 's/^/   /'
  fi
  failed_files=$(grep -E 'error TS' "$logs/$id.tsc.log" | sed 's/(.*//')

  if [ "$tsc_only" = 1 ]; then
    vitest_result[$id]="skipped"
  else
    echo "   vitest run ${vitest_args[*]}"
    if (cd "$work" && CI=1 npx vitest run "${vitest_args[@]}") >"$logs/$id.vitest.log" 2>&1; then
      vitest_result[$id]="pass"
    else
      vitest_result[$id]="FAIL"
      sed 's/\x1b\[[0-9;]*m//g' "$logs/$id.vitest.log" | grep -E '^ *FAIL ' | sort -u | head -30 | sed 's/^ */   /'
    fi
    vitest_summary[$id]=$(sed 's/\x1b\[[0-9;]*m//g' "$logs/$id.vitest.log" | grep -E '^ *Tests ' | tail -1 | sed 's/^ *//')
    failed_files="$failed_files"$'\n'"$(sed 's/\x1b\[[0-9;]*m//g' "$logs/$id.vitest.log" | sed -n 's/^ *FAIL  *[a-z]*  *\([^ ]*\).*/\1/p')"
  fi
  failing[$id]=$(printf '%s\n' "$failed_files" | grep -v '^$' | sort -u | tr '\n' ' ' | sed 's/ $//')
  echo "   tsc: ${tsc_result[$id]}, vitest: ${vitest_result[$id]} ${vitest_summary[$id]:-}"
  [ "$keep" = 1 ] || rm -rf "$work"
done

echo
echo "| removed | tsc | unit + integration (PGlite) | failing files |"
echo "|---|---|---|---|"
status=0
for id in "${ids[@]}"; do
  echo "| $id | ${tsc_result[$id]} | ${vitest_result[$id]} ${vitest_summary[$id]:-} | ${failing[$id]:-} |"
  [ "${tsc_result[$id]}" = pass ] || status=1
  case "${vitest_result[$id]}" in pass | skipped) ;; *) status=1 ;; esac
done
echo "logs: $logs"
exit $status
