#!/usr/bin/env bash
# The API-channel journey with curl through the mock as an HTTPS proxy, trusting only its CA:
# token → create (10011) → FRONT, BACK, FACE uploads → finalize → status until PROCESSED.
# Env: PROXY (the mock's URL), CA (its CA file), CLIENT_ID, IMAGES (front.png, back.png, face.png).
# Prints one line per call ("METHOD URL STATUS"), then "status <final status>".
set -euo pipefail
UA='AcmeBank KYC/1.0 (curl)'
call() { # METHOD URL [curl args...]: the body on stdout, "METHOD URL STATUS" on stderr
  local method=$1 url=$2 out status
  shift 2
  out=$(curl -sS --proxy "$PROXY" --cacert "$CA" -A "$UA" -X "$method" -w '\n%{http_code}' "$@" "$url")
  status=${out##*$'\n'}
  echo "$method $url $status" >&2
  [[ $status == 200 ]] || { echo "$out" >&2; exit 1; }
  printf '%s' "${out%$'\n'*}"
}
field() { grep -oE "\"$1\":\"[^\"]+\"" | head -1 | cut -d'"' -f4; }

token=$(call POST https://auth.amer-1.jumio.ai/oauth2/token -u "$CLIENT_ID:secret" \
  -d grant_type=client_credentials | field access_token)
created=$(call POST https://account.amer-1.jumio.ai/api/v1/accounts \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"customerInternalReference":"https-curl","workflowDefinition":{"key":10011}}')
account=$(printf '%s' "$created" | grep -oE '"account":\{"id":"[^"]+"' | cut -d'"' -f6)
wfe=$(printf '%s' "$created" | grep -oE '"workflowExecution":\{"id":"[^"]+"' | cut -d'"' -f6)
# every credential's api token, parts and finalize link, in order
for part in front back face; do
  href=$(printf '%s' "$created" | field "$part")
  # the token of the credential whose parts hold this href: the api block before it
  api_token=$(printf '%s' "$created" | grep -oE "\"token\":\"[^\"]+\",\"parts\":\{[^}]*\"$part\"" | head -1 | cut -d'"' -f4)
  call POST "$href" -H "Authorization: Bearer $api_token" -F "file=@$IMAGES/$part.png;type=image/png" >/dev/null
done
finalize=$(printf '%s' "$created" | field workflowExecution)
call PUT "$finalize" -H "Authorization: Bearer $api_token" >/dev/null
status=''
for _ in $(seq 1 50); do
  status=$(call GET "https://retrieval.amer-1.jumio.ai/api/v1/accounts/$account/workflow-executions/$wfe/status" \
    -H "Authorization: Bearer $token" | grep -oE '"status":"[A-Z_]+"' | head -1 | cut -d'"' -f4)
  [[ $status == PROCESSED ]] && break
  sleep 0.1
done
echo "status $status"
