# Sourced by the scripts: export services/services.conf as defaults; the caller's environment wins.
# (`if`, not `[[ … ]] && …`: under the callers' `set -e`, a loop ending on a false test would end the caller.)
while IFS='=' read -r key value; do
  if [[ -z "$key" || "$key" == \#* ]]; then continue; fi
  if [[ -z "${!key:-}" ]]; then export "$key=$value"; fi
done < services/services.conf
