#!/usr/bin/env bash
# Makes sure a RabbitMQ broker accepts AMQP connections on 127.0.0.1:5672 for the sync tests:
# installs Debian's rabbitmq-server package when it is missing, starts the broker detached when it
# is not running, and waits until it has booted. Tests fail (they never skip) when this cannot be done.
#
#   bash scripts/ensure-rabbitmq.sh            ensure, print one line saying what it did
#   EDGETRACE_RABBITMQ_WAIT=120 bash …         seconds to wait for the broker (default 90)
set -euo pipefail

HOST=127.0.0.1
PORT=5672
WAIT_S="${EDGETRACE_RABBITMQ_WAIT:-90}"

port_open() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    echo "ensure-rabbitmq: need root (or passwordless sudo) to run: $*" >&2
    return 1
  fi
}

if port_open; then
  echo "rabbitmq: already listening on $HOST:$PORT"
  exit 0
fi

if ! command -v rabbitmq-server >/dev/null && [ ! -x /usr/sbin/rabbitmq-server ]; then
  echo "rabbitmq: not installed; installing Debian's rabbitmq-server package"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null
fi
export PATH="$PATH:/usr/sbin"

# The Debian package may already have started it as a service; start it detached only if not.
if ! port_open; then
  echo "rabbitmq: starting rabbitmq-server -detached"
  as_root rabbitmq-server -detached >/dev/null 2>&1 || true
fi

deadline=$((SECONDS + WAIT_S))
until port_open; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "ensure-rabbitmq: RabbitMQ did not listen on $HOST:$PORT within ${WAIT_S}s" >&2
    exit 1
  fi
  sleep 1
done
# The port opens before every boot step has run; await_startup waits for the rest.
as_root timeout "$WAIT_S" rabbitmqctl await_startup >/dev/null 2>&1 || true
echo "rabbitmq: listening on $HOST:$PORT"
