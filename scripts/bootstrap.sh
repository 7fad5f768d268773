#!/usr/bin/env bash
# Install whatever is missing on a fresh Debian/Ubuntu machine: Debian packages (MariaDB, Chromium),
# the Python venv at .venv/ with the pinned packages, and the npm Kinesis server. Safe to rerun: each step
# is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "bootstrap: $*"; }
sudo_if_needed() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

missing_debs=()
command -v mariadbd > /dev/null || [[ -x /usr/sbin/mariadbd ]] || missing_debs+=(mariadb-server)
command -v mariadb > /dev/null || missing_debs+=(mariadb-client)
command -v node > /dev/null || missing_debs+=(nodejs)
command -v npm > /dev/null || missing_debs+=(npm)
command -v curl > /dev/null || missing_debs+=(curl)
# Packages whose name differs between Debian and Ubuntu: the first of the names the package lists know.
wanted_choices=()
python3.11 -c 'import venv, ensurepip' 2> /dev/null || wanted_choices+=("python3.11-venv python3-venv")
if [[ "${WITH_BROWSER:-1}" == 1 ]] && ! command -v chromium > /dev/null && ! command -v chromium-browser > /dev/null
then
  wanted_choices+=("chromium chromium-browser")  # only the browser tests of `make test` use it
fi
if (( ${#missing_debs[@]} + ${#wanted_choices[@]} )); then
  sudo_if_needed apt-get update -qq
  for choices in "${wanted_choices[@]}"; do
    found=""
    for name in $choices; do
      if apt-cache show "$name" > /dev/null 2>&1; then found=$name; break; fi
    done
    if [[ -n "$found" ]]; then missing_debs+=("$found"); else log "no package of: $choices (skipped)"; fi
  done
  if (( ${#missing_debs[@]} )); then
    log "installing Debian packages: ${missing_debs[*]}"
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_debs[@]}" > /dev/null
  fi
fi
# mariadbd lives in /usr/sbin, which a non-root PATH may lack.
export PATH="$PATH:/usr/sbin"

stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-12)
if [[ ! -f "$stamp" ]]; then
  python_bin=$(command -v python3.11 || command -v python3)
  [[ -x .venv/bin/python ]] || "$python_bin" -m venv .venv
  log "installing Python packages into .venv"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi

if [[ ! -x node_modules/.bin/kinesis-local ]]; then
  log "installing the local Kinesis server (npm kinesis-local)"
  npm install --no-audit --no-fund --loglevel=error > /dev/null
fi
