# Sourced by the scripts: export services/services.conf as defaults; the caller's environment wins.
while IFS='=' read -r key value; do
  [[ -z "$key" || "$key" == \#* ]] && continue
  [[ -z "${!key:-}" ]] && export "$key=$value"
done < services/services.conf
