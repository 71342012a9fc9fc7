#!/usr/bin/env bash
# Container test: build the Dockerfile, run the image's own command as the image's
# user, wait for its HEALTHCHECK, run the flow tests against it, send SIGTERM during a slow
# request, and check that the request completes and the process exits 0. Then durable mode:
# the data directory on the image's declared volume, a journey, a second process on
# the same volume refused (exit 2), SIGKILL, a restart on the same volume that still has it.
#
# With a working Docker engine it uses docker. Without one (this project's machines) it builds
# with `buildah bud --isolation chroot` on the local Node base image that
# ../shared/tools/local-node-image.sh makes, and runs the image's filesystem with chroot as the
# image's user, as PID 1 of a new PID namespace (unshare), sharing the host's network. It fails
# loudly when something is missing: it never skips.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
IMAGE=${IMAGE:-localhost/jumio-mock:test}
say() { echo "container-test: $*" >&2; }
fail() {
  say "FAIL: $*"
  exit 1
}

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
# What a CI job sets: no processing wait, every response checked against the contract.
RUN_ENV=(PORT="$PORT" JUMIO_MOCK_PROCESSING_DELAY=0 JUMIO_MOCK_VALIDATE_RESPONSES=true JUMIO_MOCK_LOG_FORMAT=json)
LOG=$(mktemp)

# The checks every engine runs once the mock answers at $URL.
run_checks() {
  say "flow tests against $URL"
  JUMIO_MOCK_URL=$URL npx vitest run --config test/container/vitest.config.ts >&2 ||
    fail "flow tests against the container failed"
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/__admin/docs/assets/swagger-ui-bundle.js")
  [[ $code == 200 ]] || fail "docs assets not served from the image ($code)"
  # A slow request in flight when SIGTERM arrives must still complete.
  curl -sf -X POST -H 'Content-Type: application/json' \
    -d '{"fault":{"latencyMs":1500},"operation":"requestAccessToken"}' \
    "$URL/__admin/scenarios/overrides" >/dev/null || fail "could not queue the latency fault"
  curl -s -o "$LOG.slow" -w '%{http_code}' -u ci:secret -A 'AcmeBank CI/1.0' \
    -d grant_type=client_credentials "$URL/oauth2/token" >"$LOG.code" &
  SLOW=$!
  sleep 0.5
}

check_after_stop() {
  wait "$SLOW" || true
  [[ $(cat "$LOG.code") == 200 ]] || fail "in-flight request got $(cat "$LOG.code") during shutdown"
  grep -q '"msg":"response breaks the contract"' "$LOG" && fail "responses broke the contract: $(grep -m3 'breaks the contract' "$LOG")"
  grep -q '"msg":"stopped","clean":true' "$LOG" || fail "no clean stop in the log: $(tail -5 "$LOG")"
  say "PASS: in-flight request completed (200), exit code 0, no contract violations"
}

docker_path() {
  say "docker engine found: docker build"
  docker build -t "$IMAGE" . >&2
  docker image inspect "$IMAGE" --format 'image size: {{.Size}} bytes' >&2
  local env_flags=() e id status
  for e in "${RUN_ENV[@]}"; do env_flags+=(-e "$e"); done
  id=$(docker run -d "${env_flags[@]}" -p "127.0.0.1:$PORT:$PORT" "$IMAGE")
  trap "docker rm -f $id >/dev/null 2>&1 || true" EXIT
  for _ in $(seq 60); do
    [[ $(docker inspect -f '{{.State.Health.Status}}' "$id") == healthy ]] && break
    sleep 0.5
  done
  [[ $(docker inspect -f '{{.State.Health.Status}}' "$id") == healthy ]] || fail "never healthy"
  run_checks
  docker stop -t 15 "$id" >/dev/null
  docker logs "$id" >"$LOG" 2>&1
  status=$(docker inspect -f '{{.State.ExitCode}}' "$id")
  [[ $status == 0 ]] || fail "exit code $status"
  check_after_stop
  docker rm -f "$id" >/dev/null
  docker_durable "${env_flags[@]}"
}

docker_healthy() {
  for _ in $(seq 60); do
    [[ $(docker inspect -f '{{.State.Health.Status}}' "$1") == healthy ]] && return
    sleep 0.5
  done
  fail "never healthy: $(docker logs "$1" 2>&1 | tail -5)"
}

# Durable mode in the image: see the header. A named volume on the declared VOLUME.
docker_durable() {
  local vol=jumio-mock-test-$$ state id second=0
  state=$(mktemp)
  [[ $(docker image inspect -f '{{json .Config.Volumes}}' "$IMAGE") == *'"/data"'* ]] ||
    fail "the image declares no VOLUME /data"
  docker volume create "$vol" >/dev/null
  id=$(docker run -d "$@" -e JUMIO_MOCK_DATA_DIR=/data -v "$vol:/data" -p "127.0.0.1:$PORT:$PORT" "$IMAGE")
  trap "docker rm -f $id >/dev/null 2>&1; docker volume rm -f $vol >/dev/null 2>&1; rm -f $state" EXIT
  docker_healthy "$id"
  npx tsx test/container/durable.ts write "$URL" "$state" || fail "durable flow before the SIGKILL"
  docker run --rm "$@" -e JUMIO_MOCK_DATA_DIR=/data -v "$vol:/data" "$IMAGE" >"$LOG.second" 2>&1 || second=$?
  [[ $second == 2 ]] || fail "a second container on the volume exited $second, not 2: $(cat "$LOG.second")"
  say "a second container on the volume is refused: $(cat "$LOG.second")"
  docker kill -s KILL "$id" >/dev/null
  docker start "$id" >/dev/null
  docker_healthy "$id"
  npx tsx test/container/durable.ts check "$URL" "$state" || fail "durable flow after the SIGKILL"
  docker stop -t 15 "$id" >/dev/null
  say "PASS: durable mode on the volume kept the journey through SIGKILL; a second container was refused"
}

# The image's config as bash variables: IMG_USER, IMG_WORKDIR, IMG_ENV, IMG_CMD, IMG_HEALTH...
image_config() {
  buildah inspect --type image "$IMAGE" | node -e '
    const c = JSON.parse(require("fs").readFileSync(0, "utf8")).Docker.config
    const q = (s) => "\x27" + String(s).replace(/\x27/g, "\x27\\\x27\x27") + "\x27"
    const arr = (name, a) => console.log(`${name}=(${(a ?? []).map(q).join(" ")})`)
    console.log(`IMG_USER=${q(c.User ?? "")}`)
    console.log(`IMG_WORKDIR=${q(c.WorkingDir || "/")}`)
    arr("IMG_ENV", c.Env)
    arr("IMG_CMD", [...(c.Entrypoint ?? []), ...(c.Cmd ?? [])])
    arr("IMG_HEALTH", c.Healthcheck?.Test)
    arr("IMG_PORTS", Object.keys(c.ExposedPorts ?? {}))
    arr("IMG_VOLUMES", Object.keys(c.Volumes ?? {}))'
}

cleanup_chroot() {
  # The mock first: chroot --userspec changes credentials, which clears unshare's kill-on-exit.
  if [[ -n ${UNSHARE:-} ]]; then
    pkill -KILL -P "$UNSHARE" 2>/dev/null || true
    kill -KILL "$UNSHARE" 2>/dev/null || true
  fi
  buildah umount "$CTR" >/dev/null 2>&1 || true
  buildah rm "$CTR" >/dev/null 2>&1 || true
  rm -rf "${DURABLE_TMP:-/nonexistent}"
}

# Starts the image's command as its user, as PID 1 of a new PID namespace (UNSHARE is its
# parent). With a host directory DATA, that is first mounted on the image's volume, in a mount
# namespace of its own as `docker run -v` would (nothing stays mounted on the host). Further
# arguments are environment variables.
start_chroot() {
  local log=$1 data=$2
  shift 2
  STARTED=$(date +%s%N)
  env -i "${IMG_ENV[@]}" HOME="$HOME_DIR" "${RUN_ENV[@]}" "$@" \
    /usr/bin/unshare --pid --fork --kill-child --mount --propagation private /bin/sh -c '
      data=$1 target=$2 ids=$3 root=$4
      shift 4
      if [ -n "$data" ]; then /usr/bin/mount --bind "$data" "$target" || exit 1; fi
      exec /usr/sbin/chroot --userspec="$ids" "$root" /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$@"' \
    sh "$data" "$MNT${IMG_VOLUMES[0]:-}" "$IDS" "$MNT" "$IMG_WORKDIR" "${IMG_CMD[@]}" >"$log" 2>&1 &
  UNSHARE=$!
}

# The image's HEALTHCHECK command, run in its filesystem as its user.
healthy() {
  local health=("${IMG_HEALTH[@]:1}")
  [[ ${IMG_HEALTH[0]} == CMD-SHELL ]] && health=(/bin/sh -c "${IMG_HEALTH[1]}")
  env -i "${IMG_ENV[@]}" HOME="$HOME_DIR" "${RUN_ENV[@]}" \
    /usr/sbin/chroot --userspec="$IDS" "$MNT" "${health[@]}" 2>/dev/null
}

# Waits for the ready line, then for the HEALTHCHECK to pass.
wait_up() {
  local log=$1 started=$STARTED
  until grep -q 'jumio-mock ready at' "$log"; do
    kill -0 "$UNSHARE" 2>/dev/null || fail "the mock exited: $(cat "$log")"
    sleep 0.05
  done
  say "ready line after $((($(date +%s%N) - started) / 1000000)) ms: $(grep -m1 'ready at' "$log")"
  for _ in $(seq 60); do
    healthy && break
    kill -0 "$UNSHARE" 2>/dev/null || fail "the mock exited: $(cat "$log")"
    sleep 0.5
  done
  healthy || fail "HEALTHCHECK never passed: $(cat "$log")"
  say "HEALTHCHECK passed after $((($(date +%s%N) - started) / 1000000)) ms"
}

# SIGTERM to the mock; it must exit 0.
stop_chroot() {
  local log=$1 status=0
  kill -TERM "$(pgrep -P "$UNSHARE")"
  wait "$UNSHARE" || status=$?
  UNSHARE=
  [[ $status == 0 ]] || fail "exit code $status after SIGTERM: $(tail -5 "$log")"
}

# Durable mode in the image: see the header. DATA stands in for the volume.
durable_chroot() {
  local vol=${IMG_VOLUMES[0]:-} data state first second=0
  [[ -n $vol ]] || fail "the image declares no VOLUME for the data directory"
  DURABLE_TMP=$(mktemp -d)
  data=$DURABLE_TMP/volume state=$DURABLE_TMP/acknowledged.json
  mkdir "$data" && chown "$IDS" "$data"
  say "durable mode: JUMIO_MOCK_DATA_DIR=$vol, a directory of its own mounted on the volume"
  start_chroot "$LOG.durable" "$data" JUMIO_MOCK_DATA_DIR="$vol"
  wait_up "$LOG.durable"
  npx tsx test/container/durable.ts write "$URL" "$state" || fail "durable flow before the SIGKILL"
  first=$UNSHARE
  start_chroot "$LOG.second" "$data" JUMIO_MOCK_DATA_DIR="$vol"
  wait "$UNSHARE" || second=$?
  UNSHARE=$first
  [[ $second == 2 ]] || fail "a second process on the volume exited $second, not 2: $(cat "$LOG.second")"
  say "a second process on the volume is refused: $(cat "$LOG.second")"
  kill -KILL "$(pgrep -P "$UNSHARE")"
  wait "$UNSHARE" || true
  say "SIGKILL sent; starting again on the same volume"
  start_chroot "$LOG.durable" "$data" JUMIO_MOCK_DATA_DIR="$vol"
  wait_up "$LOG.durable"
  npx tsx test/container/durable.ts check "$URL" "$state" || fail "durable flow after the SIGKILL"
  stop_chroot "$LOG.durable"
  say "PASS: durable mode on the volume kept the journey through SIGKILL; a second process was refused"
}

# The local stand-in for the official full Node image, which the Dockerfile's deps stage builds
# better-sqlite3's binding on: the slim stand-in plus python3, make, g++ (Debian's packages) and
# the headers of its Node, which is this machine's (so its headers are this machine's too).
builder_image() {
  local base=$1 tag=$2 ctx headers
  if buildah inspect --type image "$tag" >/dev/null 2>&1; then return; fi
  headers=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")/include/node
  [[ -f $headers/node_version.h ]] || fail "no Node headers at $headers for the builder image"
  ctx=$(mktemp -d)
  cp -r "$headers" "$ctx/node-headers"
  printf '%s\n' "FROM $base" \
    'RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ >/dev/null \' \
    '  && rm -rf /var/lib/apt/lists/*' \
    'COPY node-headers /usr/local/include/node' >"$ctx/Containerfile"
  buildah bud --isolation chroot --format docker -t "$tag" "$ctx" >&2 || fail "could not make the builder image $tag"
  rm -rf "$ctx"
}

chroot_path() {
  local base=${NODE_IMAGE:-localhost/node:20-bookworm-slim}
  local builder=${BUILD_IMAGE:-${base%-slim}}
  local maker=$ROOT/../shared/tools/local-node-image.sh
  say "no docker engine: buildah bud --isolation chroot on $base (binding built on $builder), run with chroot"
  if [[ $base == localhost/* ]]; then
    [[ -f $maker ]] || fail "no Docker engine, and $maker (which builds the local base image) is missing"
    bash "$maker" "$base" >&2 || fail "could not make the local base image $base"
  fi
  command -v buildah >/dev/null || fail "no Docker engine and no buildah to build with"
  [[ $builder == localhost/* ]] && builder_image "$base" "$builder"
  buildah bud --isolation chroot --format docker --layers --build-arg NODE_IMAGE="$base" \
    --build-arg BUILD_IMAGE="$builder" -t "$IMAGE" . >&2 || fail "buildah bud failed"
  eval "$(image_config)"
  [[ -n $IMG_USER && $IMG_USER != root && $IMG_USER != 0 ]] || fail "image runs as root"
  [[ " ${IMG_PORTS[*]} " == *" 3000/tcp "* ]] || fail "image does not EXPOSE 3000"
  [[ " ${IMG_ENV[*]} " == *" HOST=0.0.0.0 "* ]] || fail "image does not set HOST=0.0.0.0"
  [[ ${IMG_HEALTH[0]:-} == CMD || ${IMG_HEALTH[0]:-} == CMD-SHELL ]] || fail "image has no HEALTHCHECK"
  say "image: user $IMG_USER, workdir $IMG_WORKDIR, cmd ${IMG_CMD[*]}, size $(buildah images --format '{{.Size}}' "$IMAGE") (base $(buildah images --format '{{.Size}}' "$base"))"

  CTR=$(buildah from "$IMAGE")
  MNT=$(buildah mount "$CTR")
  trap cleanup_chroot EXIT
  [[ ! -e $MNT/app/node_modules/typescript && ! -e $MNT/app/node_modules/vitest ]] ||
    fail "dev dependencies in the runtime image"
  [[ ! -e $MNT/app/src ]] || fail "sources in the runtime image"
  say "runtime /app: $(du -sh "$MNT/app" | cut -f1)"
  IDS=$(awk -F: -v u="$IMG_USER" '$1 == u || $3 == u { print $3 ":" $4 }' "$MNT/etc/passwd")
  HOME_DIR=$(awk -F: -v u="$IMG_USER" '$1 == u || $3 == u { print $6 }' "$MNT/etc/passwd")
  [[ -n $IDS ]] || fail "user $IMG_USER not in the image's /etc/passwd"
  start_chroot "$LOG" "" # in memory, as the image starts by default
  wait_up "$LOG"
  local pid
  pid=$(pgrep -P "$UNSHARE")
  [[ $(awk '/^NSpid/ { print $NF }' "/proc/$pid/status") == 1 ]] || fail "node is not PID 1"
  [[ $(awk '/^Uid/ { print $2 }' "/proc/$pid/status") == "${IDS%%:*}" ]] || fail "not running as $IMG_USER"
  run_checks
  stop_chroot "$LOG"
  check_after_stop
  durable_chroot
}

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  docker_path
else
  chroot_path
fi
