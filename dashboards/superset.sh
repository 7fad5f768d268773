#!/usr/bin/env bash
# The project's local Superset (`make dashboards`): `up` installs what is missing into .superset-venv/, creates
# the metadata DB and the admin user on first start (password generated into $SUPERSET_STATE_DIR/admin_password,
# never printed), starts gunicorn on 127.0.0.1:$SUPERSET_PORT and deploys the dashboards in dashboards/bundle/;
# `serve` does all of that but the deploy; `install` only installs; `deploy` re-deploys the bundle; `down` stops the
# server.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=$root/.superset-venv
export SUPERSET_STATE_DIR=${SUPERSET_STATE_DIR:-$root/.superset}
export SUPERSET_PORT=${SUPERSET_PORT:-8088}
export SUPERSET_CONFIG_PATH=$root/dashboards/superset_config.py
export MARTS_PATH=${MARTS_PATH:-$root/warehouse/marts.duckdb}
export SUPERSET_URL=http://127.0.0.1:$SUPERSET_PORT
pid_file=$SUPERSET_STATE_DIR/gunicorn.pid
log=$SUPERSET_STATE_DIR/superset.log

install() {
  # One install at a time (the test session starts one in the background); the stamp marks a finished one, so an
  # interrupted install is completed by the next call.
  local lock stamp
  exec {lock}< "$root/dashboards/superset.sh"
  flock "$lock"
  stamp=$venv/.installed-$(sha256sum dashboards/requirements.txt | cut -c1-12)
  if [[ ! -f $stamp ]]; then
    echo "dashboards: installing Superset into $venv (first use, about a minute)"
    [[ -x $venv/bin/python ]] || python3.11 -m venv "$venv"
    # --no-compile: bytecode for what Superset imports is written on first use, not for all ~880 MB (a third less CPU)
    "$venv/bin/pip" install -q --no-compile -r dashboards/requirements.txt
    rm -f "$venv"/.installed-*
    touch "$stamp"
  fi
  exec {lock}<&-
}

init() {
  mkdir -p "$SUPERSET_STATE_DIR"
  chmod 700 "$SUPERSET_STATE_DIR"
  [[ -s $SUPERSET_STATE_DIR/secret_key ]] || (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(48))' > "$SUPERSET_STATE_DIR/secret_key")
  [[ -f $SUPERSET_STATE_DIR/superset.db ]] && return
  echo "dashboards: creating the metadata DB and the admin user"
  (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(18))' > "$SUPERSET_STATE_DIR/admin_password")
  # `&&` throughout: inside a group followed by `||`, bash ignores `set -e`, and a failed step must fail init.
  # The password goes in on stdin (its prompt and confirmation), never on a command line `ps` shows.
  {
    "$venv/bin/superset" db upgrade \
      && password=$(cat "$SUPERSET_STATE_DIR/admin_password") \
      && printf '%s\n%s\n' "$password" "$password" | "$venv/bin/superset" fab create-admin --username admin \
        --firstname Admin --lastname User --email admin@localhost \
      && "$venv/bin/superset" init
  } >> "$log" 2>&1 || { rm -f "$SUPERSET_STATE_DIR/superset.db"; echo "dashboards: init failed, see $log" >&2; exit 1; }
}

running() { [[ -f $pid_file ]] && kill -0 "$(cat "$pid_file")" 2> /dev/null; }

start() {
  running && return
  "$venv/bin/gunicorn" --daemon --pid "$pid_file" --bind "127.0.0.1:$SUPERSET_PORT" --workers 1 --threads 4 \
    --timeout 120 --capture-output --error-logfile "$log" "superset.app:create_app()"
  for _ in $(seq 1 120); do
    curl -fsS "$SUPERSET_URL/health" > /dev/null 2>&1 && return
    sleep 0.5
  done
  echo "dashboards: Superset did not get ready on $SUPERSET_URL, see $log" >&2
  exit 1
}

deploy() { "$venv/bin/python" dashboards/deploy.py; }

serve() {
  if [[ ! -f $MARTS_PATH ]]; then
    echo "dashboards: no published marts at $MARTS_PATH: run \`make demo\` (or \`make build\`) first" >&2
    exit 1
  fi
  install
  init
  start
}

case "${1:-up}" in
  up)
    serve
    deploy
    echo "dashboards: $SUPERSET_URL (user admin, password in $SUPERSET_STATE_DIR/admin_password)"
    ;;
  install) install ;;
  serve) serve ;;
  deploy) deploy ;;
  down)
    if running; then
      pid=$(cat "$pid_file")
      kill "$pid"
      # Gone before returning, so a next `up` finds the port free.
      for _ in $(seq 1 60); do kill -0 "$pid" 2> /dev/null || break; sleep 0.5; done
    fi
    rm -f "$pid_file"
    ;;
  *) echo "usage: $0 [up|install|serve|deploy|down]" >&2; exit 2 ;;
esac
