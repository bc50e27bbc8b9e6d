#!/usr/bin/env bash
# npm run test:soak — the sync fault, kill -9 and convergence tests with random seeds and more
# traffic, round after round, against the RabbitMQ on 127.0.0.1:5672. Bounded: SOAK_ROUNDS rounds
# (default 5) and SOAK_MINUTES minutes (default 30), whichever ends first. Every round prints its
# seed; a failing round stops the soak and prints the command that replays it.
#   SOAK_ROUNDS=20 SOAK_MINUTES=120 SOAK_DOCS=60 npm run test:soak
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${SOAK_ROUNDS:-5}
minutes=${SOAK_MINUTES:-30}
docs=${SOAK_DOCS:-40}
deadline=$(( $(date +%s) + minutes * 60 ))

npm run --silent build
for (( round = 1; round <= rounds; round++ )); do
  if (( $(date +%s) >= deadline )); then
    echo "soak: time is up after $(( round - 1 )) rounds"
    break
  fi
  seed=$(( (RANDOM << 15 | RANDOM) + 1 ))
  echo "soak: round ${round}/${rounds}, seed ${seed}, ${docs} documents per client"
  if ! CONVERGENCE_SEED=$seed CONVERGENCE_DOCS=$docs SYNC_TEST_SEED=$seed \
    npx vitest run tests/integration/sync/convergence.test.ts tests/integration/sync/faults.test.ts \
      tests/integration/sync/kill9.test.ts; then
    echo "soak: round ${round} failed; replay it with:"
    echo "  CONVERGENCE_SEED=$seed CONVERGENCE_DOCS=$docs SYNC_TEST_SEED=$seed npx vitest run tests/integration/sync"
    exit 1
  fi
done
echo "soak: passed"
