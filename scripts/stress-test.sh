#!/usr/bin/env bash
# The suite under load: runs the tests while one busy loop per core keeps the machine saturated,
# as CI beside other work would. A suite that passes only on a quiet machine fails here.
#
#   bash scripts/stress-test.sh              # npm test (type-check + both projects)
#   bash scripts/stress-test.sh test:unit    # one project
#
# The busy loops are stopped on every exit path.
set -euo pipefail
cd "$(dirname "$0")/.."
script=${1:-test}
cores=$(nproc)
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop EXIT
for _ in $(seq "$cores"); do
  node -e 'for (;;) {}' &
  pids+=($!)
done
echo "stress-test: $cores busy loops (pids ${pids[*]}); running npm run $script" >&2
start=$(date +%s)
npm run "$script"
echo "stress-test: npm run $script passed in $(( $(date +%s) - start )) s with $cores busy loops" >&2
