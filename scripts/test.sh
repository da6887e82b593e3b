#!/usr/bin/env bash
# The whole suite: lint, strict types, the import contracts, the migrations check, then the tests on SQLite
# and on a throwaway PostgreSQL. Nothing here writes to var/: every step that needs a data folder gets a
# scratch one.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

scratch=$(mktemp -d -t wireroom-test-XXXXXX)
pg_started=""
pg_tests=""
cleanup() {
  if [ -n "$pg_tests" ]; then
    kill "$pg_tests" 2>/dev/null || true
  fi
  if [ -n "$pg_started" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$scratch/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
# Ctrl-C ends the run: the PostgreSQL pass runs in the background, where bash leaves it deaf to SIGINT.
trap 'exit 130' INT TERM

# Debian's apertium-apy and nginx packages start a service of their own (port 2737, port 80) on every interface.
# The tests start theirs on loopback, so when this script brought such a package in, its service is stopped and
# disabled where systemd runs; one an operator installed before is left alone.
install_without_service() {
  local service=$1
  shift
  local present
  present=$(dpkg-query -W -f='${Status}' "$service" 2>/dev/null | grep -c "install ok installed" || true)
  scripts/ensure-system-packages.sh "$@"
  if [ "$present" = 0 ] && [ -d /run/systemd/system ]; then
    systemctl disable --now "$service.service" >/dev/null 2>&1 || true
  fi
}

echo "== ruff"
$BIN/ruff check wireroom tests scripts
echo "== mypy (strict; see [tool.mypy] in pyproject.toml)"
$BIN/mypy wireroom tests scripts
echo "== import contracts (see [tool.importlinter] in pyproject.toml)"
$BIN/lint-imports --no-cache
echo "== migrations match the models"
# On a scratch embedded database: the check reads the migration history, never the wire's own data.
WIREROOM_DATA_DIR="$scratch/migrations" WIREROOM_DATABASE_URL="" $BIN/wireroom makemigrations --check --dry-run

# Page tests drive Debian's Chromium (Playwright never downloads a browser of its own here).
scripts/ensure-system-packages.sh chromium
# Fonts for every script the newsroom shows (Arabic, CJK, Thai...), so the screenshots can be read.
scripts/ensure-system-packages.sh fonts-noto-core fonts-noto-cjk fonts-thai-tlwg
# WeasyPrint (the report's PDF) lays text out with Pango and subsets fonts with HarfBuzz.
scripts/ensure-system-packages.sh libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# Machine translation: Apertium with the pairs the translation tests use (English-Spanish, Spanish-Portuguese),
# and apertium-apy, which the tests start on loopback to serve the same pairs over HTTP.
install_without_service apertium-apy apertium apertium-apy apertium-eng-spa apertium-es-pt
# The stream's scale-out tests run a real Pushpin (GRIP proxy; it brings zurl and condure) on loopback.
scripts/ensure-system-packages.sh pushpin
# The deployment test runs nginx with deploy/nginx/wireroom.conf in front of the wire.
install_without_service nginx nginx
# The fan-out benchmark's tests drive Postfix's smtp-sink and smtp-source, which live in /usr/sbin; "No
# configuration" keeps Postfix from becoming this machine's mail server, as in `make bench`.
if ! dpkg-query -W -f='${Status}' postfix 2>/dev/null | grep -q "install ok installed"; then
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  scripts/ensure-system-packages.sh postfix
fi
case ":$PATH:" in
  *:/usr/sbin:*) ;;
  *) export PATH="$PATH:/usr/sbin" ;;
esac

if [ -n "${WIREROOM_TEST_DATABASE_URL:-}" ]; then
  pg_url="$WIREROOM_TEST_DATABASE_URL"
else
  # A PostgreSQL server of our own, from the Debian binaries, on a free port, gone when we are done.
  scripts/ensure-system-packages.sh postgresql
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  chmod 755 "$scratch"
  mkdir -p "$scratch/pg" "$scratch/pgsock"
  chown postgres "$scratch/pg" "$scratch/pgsock"
  port=$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  runuser -u postgres -- "$PG_BIN/initdb" -D "$scratch/pg" -U postgres -A trust -E UTF8 --no-locale >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$scratch/pg" -l "$scratch/pg/server.log" -w -o \
    "-p $port -k $scratch/pgsock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  pg_started=1
  pg_url="postgresql://postgres@127.0.0.1:$port/postgres"
fi
# The fan-out benchmark's PostgreSQL tests create (and drop) databases of their own there, in both passes.
export WIREROOM_BENCH_DATABASE_URL="${WIREROOM_BENCH_DATABASE_URL:-$pg_url}"

# The two passes run side by side: much of the suite waits on servers, workers and embargo seconds, so the
# second core does the other database's work meanwhile. The browser tests drive pages whose data rules are
# tested on both databases underneath them; they run once, in the SQLite pass (a -m given to scripts/test.sh
# wins, and is then run as one part).
failed=0
selected=""
run_suites() {
  local name=$1 marks=$2
  shift 2
  local started=$SECONDS sqlite_status=0 postgres_status=0
  echo "== $name: on SQLite and, beside it, on PostgreSQL (its output follows when it is done)"
  WIREROOM_DATA_DIR="$scratch/postgres-$name" WIREROOM_DATABASE_URL="$pg_url" WIREROOM_TEST_DATABASE_URL="" \
    $BIN/pytest -m "not browser and ($marks)" "$@" >"$scratch/postgres.log" 2>&1 &
  pg_tests=$!
  WIREROOM_DATA_DIR="$scratch/sqlite-$name" $BIN/pytest -m "$marks" "$@" || sqlite_status=$?
  wait "$pg_tests" || postgres_status=$?
  pg_tests=""
  # Exit 5 is pytest's "no test collected": arguments (-k, a path) that select nothing in this part. It
  # passes only when another part ran tests (checked at the end), so a typo never passes as a green run.
  [ "$sqlite_status" -ne 5 ] && selected=1
  [ "$sqlite_status" -eq 5 ] && sqlite_status=0
  [ "$postgres_status" -eq 5 ] && postgres_status=0
  echo "== $name on PostgreSQL"
  cat "$scratch/postgres.log"
  echo "== $name: SQLite pass exit $sqlite_status, PostgreSQL pass exit $postgres_status," \
    "both in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"
  if [ "$sqlite_status" -ne 0 ] || [ "$postgres_status" -ne 0 ]; then
    failed=1
  fi
}

# The suites marked `slow` (worker and server processes started for real, the large imports, the benchmarks'
# own tests) run after the others, in CI (where CI is set) and with WIREROOM_TEST_SLOW=1; without them
# `make test` keeps within 25 minutes on a 2-core machine (docs/operations.md#tests).
marked=""
WIREROOM_TEST_SLOW=${WIREROOM_TEST_SLOW:-0}
for argument in "$@"; do
  case "$argument" in
    -m | -m*) marked=1 ;;
  esac
done
if [ -n "$marked" ]; then
  run_suites suite "not slow" "$@"  # the -m given replaces "not slow"
elif [ -n "${CI:-}" ] && [ "${CI}" != false ] || [[ "${WIREROOM_TEST_SLOW,,}" =~ ^(1|true|yes|on)$ ]]; then
  run_suites suite "not slow" "$@"
  run_suites slow-suites "slow" "$@"
else
  run_suites suite "not slow" "$@"
  echo "== the suites marked slow were left out (WIREROOM_TEST_SLOW=1 runs them too, as CI does)"
fi
if [ -z "$selected" ]; then
  echo "== no test was selected (a slow one runs only with WIREROOM_TEST_SLOW=1)"
  failed=1
fi
[ "$failed" -eq 0 ]
