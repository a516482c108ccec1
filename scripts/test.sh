#!/usr/bin/env bash
# `npm test`: the type check and jest side by side (tsc is one process per
# project, jest runs a worker per core), after making sure the browser tests
# have their Chromium; prints how long each took. Arguments go to jest.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
bash scripts/ensure-chromium.sh || exit 1
typecheck_log=$(mktemp)
( npm run -s typecheck >"$typecheck_log" 2>&1; echo $? >"$typecheck_log.rc"; date +%s >"$typecheck_log.done" ) &
typecheck=$!
npx jest "$@"
jest_rc=$?
jest_done=$(date +%s)
wait "$typecheck"
typecheck_rc=$(cat "$typecheck_log.rc")
if [ "$typecheck_rc" != 0 ]; then
  echo "type check failed:"
  cat "$typecheck_log"
fi
echo "npm test: type check $(( $(cat "$typecheck_log.done") - started )) s (alongside), jest $(( jest_done - started )) s, total $(( $(date +%s) - started )) s"
rm -f "$typecheck_log" "$typecheck_log.rc" "$typecheck_log.done"
[ "$jest_rc" = 0 ] && [ "$typecheck_rc" = 0 ]
