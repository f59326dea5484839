#!/usr/bin/env bash
# The README's first-run promise: `npm start` with no chat credentials opens the console on the
# embedded database, and the demo session walks a whole deal. Fails if any step is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out="$dir/out.txt"
env -u SLACK_BOT_TOKEN -u DATABASE_URL DEALROOM_DATA_DIR="$dir/data" timeout 120 npm start --silent -- --as alice < examples/demo-session.txt > "$out"
expect() { grep -qF -- "$1" "$out" || { echo "console demo: missing \"$1\""; cat "$out"; exit 1; }; }
expect '[#deal-acme-erp-rollout] room created'
expect 'invited @alice, @bob'
expect 'invited @carol'
expect 'added contact Wang Li (CFO, decision-maker)'
expect 'Not moved: Qualified needs'
expect 'moved #1 from Lead to Qualified'
expect 'moved #1 from Qualified to Proposal'
expect 'assigned #3 to @bob: Prepare the demo'
expect '@bob completed #3: Prepare the demo'
expect 'logged a customer contact: Called Wang Li, demo agreed'
expect 'Decision-maker: Wang Li (CFO)'
expect 'History of deal #1'
echo "console demo: ok ($(wc -l < "$out") lines)"
