#!/usr/bin/env bash
# Trainstream's container check: builds the images for real and runs the compose stack with podman, then breaks it
# between processes and checks what survives. One command, as root, on Debian 12 (it installs what it needs):
#
#   deploy/test/container-check.sh            # everything: ~16 min on 2 cores from cold (docs/DEPLOYMENT.md)
#   CHECK_FAULTS="trainer-kill broker" deploy/test/container-check.sh   # only some faults ("none" for none)
#
# Not part of .ci/run: it needs root, podman and 15-20 minutes on 2 cores, too much beside CI's 30-minute budget.
# Where it runs, no registry is reachable: the base image is built with debootstrap from Debian packages, and the
# public Kafka and MinIO images are replaced by stand-ins built from Maven Central (deploy/test/standins), selected by
# deploy/test/docker-compose.check.yml only. Docker users build the same Dockerfiles on the public pinned bases.
# Every container, network and volume of the check's compose project is removed on exit (trap), whatever happens.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly ROOT
readonly WORK="${CHECK_WORK:-/var/tmp/trainstream-container-check}"
readonly PROJECT="${CHECK_PROJECT:-tscheck}"
readonly BASE_IMAGE="localhost/trainstream-check/base:bookworm-jdk17"
readonly FAULTS="${CHECK_FAULTS:-trainer-kill broker s3 network evaluator-term ingest-kill}"
readonly KAFKA="127.0.0.1:29092"
readonly BUCKET="trainstream"
SRC=""                      # the clean clone the images and the stack are built from (set by clone_source)
REFERENCE_FACTS=""          # the uninterrupted run's final checkpoint: digests, step, epoch, batches, offsets
declare -a PHASES=()        # "name seconds" per phase, printed at the end
declare -a RESULTS=()       # one line per check: PASS/FAIL, what, figure

# Prints a timestamped progress line.
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Records a check's outcome (PASS or FAIL) with its figure; FAIL does not stop the other faults.
result() { RESULTS+=("$1  $2"); log "$1: $2"; }

# Runs a phase (a function name and its arguments) and records how long it took.
phase() {
  local start=${SECONDS}
  log "=== $1"
  "$@"
  PHASES+=("$1 $((SECONDS - start))")
  log "=== $1 done in $((SECONDS - start)) s"
}

# Polls a command until it succeeds or the deadline (seconds) passes; returns 1 on timeout.
wait_for() {
  local deadline=$((SECONDS + $1)) what="$2"; shift 2
  until "$@" > /dev/null 2>&1; do
    if ((SECONDS >= deadline)); then log "timed out waiting for ${what}"; return 1; fi
    sleep 1
  done
}

# podman-compose on the users' two files plus the check's override (see deploy/test/podman_compose_reset.py).
compose() {
  (cd "${SRC}" && /usr/bin/python3 deploy/test/podman_compose_reset.py -p "${PROJECT}" \
    -f docker-compose.yml -f deploy/compose/docker-compose.cpu.yml -f deploy/test/docker-compose.check.yml "$@")
}

# The container of a compose service.
ctr() { echo "${PROJECT}_$1_1"; }

# Installs podman (with runc), podman-compose, kcat and debootstrap from Debian's packages, if missing.
install_packages() {
  local missing=()
  for tool in podman runc podman-compose kcat debootstrap; do command -v "${tool}" > /dev/null || missing+=("${tool}"); done
  if ((${#missing[@]})); then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc podman-compose kcat debootstrap
  fi
  podman --version
}

# Writes the two podman settings this kind of sandbox needs (no setrlimit, no systemd cgroup manager) and runc.
configure_podman() {
  local conf=/etc/containers/containers.conf
  if [ -f "${conf}" ] && ! grep -q 'default_ulimits = \[\]' "${conf}"; then
    log "${conf} exists without 'default_ulimits = []'; add it (and cgroup_manager = \"cgroupfs\") by hand"; return 1
  fi
  [ -f "${conf}" ] || cat > "${conf}" << 'EOF'
# Written by Trainstream's deploy/test/container-check.sh: setrlimit is not permitted here and there is no systemd
# cgroup manager; crun fails on this host's hybrid cgroups, runc works.
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
EOF
}

# Refuses to start when a port the stack publishes on 127.0.0.1 is taken (another stack, another engineer's server).
check_ports_free() {
  local port
  for port in 29092 19000 19001 8081 8082 8083 8090; do
    if ss -Hltn "sport = :${port}" | grep -q .; then log "port ${port} is in use on this host"; return 1; fi
  done
}

# Builds the base image from Debian packages: debootstrap bookworm with OpenJDK 17 copied to /opt/java/openjdk (where
# the Temurin images have it), trusting this host's extra CAs (an egress proxy's), then podman import. Kept if built.
build_base() {
  if podman image exists "${BASE_IMAGE}"; then log "base image ${BASE_IMAGE} exists, kept"; return; fi
  local rootfs="${WORK}/rootfs"
  rm -rf "${rootfs}"
  debootstrap --variant=minbase --include=openjdk-17-jdk-headless,ca-certificates,curl bookworm "${rootfs}" \
    http://deb.debian.org/debian > "${WORK}/debootstrap.log"
  cp /usr/local/share/ca-certificates/*.crt "${rootfs}/usr/local/share/ca-certificates/" 2> /dev/null || true
  mount -t proc proc "${rootfs}/proc"
  chroot "${rootfs}" update-ca-certificates > /dev/null || { umount "${rootfs}/proc"; return 1; }
  umount "${rootfs}/proc"
  # -L: a self-contained JDK (Debian's links into /etc and /usr/share); src.zip is a dangling link in -headless.
  rm -f "${rootfs}/usr/lib/jvm/java-17-openjdk-amd64/lib/src.zip"
  mkdir -p "${rootfs}/opt/java"
  cp -aL "${rootfs}/usr/lib/jvm/java-17-openjdk-amd64" "${rootfs}/opt/java/openjdk"
  cp "${rootfs}/etc/ssl/certs/java/cacerts" "${rootfs}/opt/java/openjdk/lib/security/cacerts"
  rm -rf "${rootfs}"/var/cache/apt/archives/*.deb "${rootfs}"/var/lib/apt/lists/*
  tar -C "${rootfs}" -c . | podman import --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' - "${BASE_IMAGE}"
  rm -rf "${rootfs}"
  podman run --rm "${BASE_IMAGE}" java -version
}

# Clones the repository's HEAD into the work folder: the images are built from what is committed, nothing else.
clone_source() {
  SRC="${WORK}/src"
  rm -rf "${SRC}"
  git clone --quiet --no-hardlinks "${ROOT}" "${SRC}"
  log "building from $(git -C "${SRC}" log -1 --format='%h %s' | cut -c1-100)"
}

# Builds one image on the local base, with the Dockerfile's own ignore file (what BuildKit reads beside it).
build_image() {
  local file="$1" tag="$2"; shift 2
  local start=${SECONDS}
  (cd "${SRC}" && podman build --format docker --ignorefile "${file}.dockerignore" -f "${file}" \
    --build-arg JDK_IMAGE="${BASE_IMAGE}" --build-arg JRE_IMAGE="${BASE_IMAGE}" "$@" -t "${tag}" .) \
    > "${WORK}/build-$(basename "${tag%%:*}").log" 2>&1 || { tail -30 "${WORK}/build-$(basename "${tag%%:*}").log"; return 1; }
  log "built ${tag} in $((SECONDS - start)) s"
}

# Builds the CPU image, the GPU image's build stage (the rest needs a CUDA base and DJL's download host, which are
# not reachable here) and the two stand-ins, as Docker-format images (OCI images have no HEALTHCHECK); then checks the
# CPU image's user, entrypoint and health check.
build_images() {
  build_image deploy/docker/Dockerfile localhost/trainstream:0.1.0
  build_image deploy/docker/Dockerfile.gpu localhost/trainstream-gpu-build-stage:0.1.0 --target build
  build_image deploy/test/standins/Containerfile localhost/trainstream-check/kafka:4.1.0 --target kafka
  build_image deploy/test/standins/Containerfile localhost/trainstream-check/minio:s3proxy-4.1.0 --target minio
  local user entrypoint health
  user=$(podman image inspect localhost/trainstream:0.1.0 --format '{{.Config.User}}')
  entrypoint=$(podman image inspect localhost/trainstream:0.1.0 --format '{{json .Config.Entrypoint}}')
  health=$(podman image inspect localhost/trainstream:0.1.0 --format '{{json .Config.Healthcheck.Test}}')
  log "image user=${user} entrypoint=${entrypoint} healthcheck=${health}"
  if [ "${user}" = "10001:10001" ] && [[ "${health}" == *"/health/live"* ]] \
    && podman run --rm localhost/trainstream:0.1.0 --version > /dev/null \
    && [ "$(podman run --rm --entrypoint id localhost/trainstream:0.1.0 -u)" = 10001 ]; then
    result PASS "images built; runs as uid 10001, HEALTHCHECK on /health/live kept, entrypoint answers --version"
  else
    result FAIL "image: user '${user}', healthcheck ${health}, or the entrypoint did not answer --version"
    return 1
  fi
}

# Every record of a topic so far, as kcat JSON lines (read_committed: what consumers see).
events() { kcat -b "${KAFKA}" -C -t "$1" -o beginning -e -q -J "${@:2}" 2> /dev/null; }

# Reads facts from events and checkpoints (deploy/test/check_events.py).
facts() { /usr/bin/python3 "${SRC}/deploy/test/check_events.py" "$@"; }

# True once the container has exited with status 0.
exited_zero() { [ "$(podman inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$1" 2> /dev/null)" = "exited 0" ]; }

# True once RUN has a FINISHED lifecycle event.
run_finished() { events trainstream.runs.v1 | facts finished "$1"; }

# Starts the stack in the order of the compose file's depends_on conditions: podman-compose 1.0.3 starts every
# container at once and ignores conditions, so the check waits for each condition itself.
start_stack() {
  compose up -d --no-build kafka minio > "${WORK}/up.log" 2>&1
  wait_for 180 "kafka healthy" podman healthcheck run "$(ctr kafka)"
  wait_for 120 "minio healthy" podman healthcheck run "$(ctr minio)"
  log "kafka and minio healthy"
  compose up -d --no-build --no-deps kafka-init minio-init >> "${WORK}/up.log" 2>&1
  wait_for 240 "kafka-init to exit 0" exited_zero "$(ctr kafka-init)"
  wait_for 60 "minio-init to exit 0" exited_zero "$(ctr minio-init)"
  log "kafka-init and minio-init exited 0"
  compose up -d --no-build --no-deps ingest trainer evaluator dashboard >> "${WORK}/up.log" 2>&1
}

# The reference run: ingest publishes, the trainer trains check-reference uninterrupted, the evaluator scores it, the
# dashboard and kcat see it, every health check is healthy. Keeps its final parameters' digest for the faults.
run_reference() {
  local start=${SECONDS} service healthy=()
  if wait_for 600 "ingest to exit 0" exited_zero "$(ctr ingest)"; then
    result PASS "ingest published and exited 0 ($(podman logs "$(ctr ingest)" 2>&1 \
      | grep -o '[0-9]* epochs ([0-9.]*) = [0-9]* batch references published' | tail -1))"
  else
    result FAIL "ingest did not exit 0"
  fi
  for service in kafka minio trainer evaluator dashboard; do
    if wait_for 180 "${service} healthy" podman healthcheck run "$(ctr "${service}")"; then healthy+=("${service}"); fi
  done
  if [ ${#healthy[@]} = 5 ]; then
    result PASS "health checks healthy: ${healthy[*]}"
  else
    result FAIL "health checks healthy: only ${healthy[*]}"
  fi
  wait_for 1200 "check-reference to finish" run_finished check-reference || { result FAIL "check-reference did not finish"; return 1; }
  result PASS "trainer trained check-reference uninterrupted: $(events trainstream.metrics.v1 | facts step check-reference) steps in $((SECONDS - start)) s from the services' start"
  REFERENCE_FACTS=$(final_digest check-reference)
  log "reference final checkpoint: ${REFERENCE_FACTS}"
  local metrics
  metrics=$(kcat -b "${KAFKA}" -C -t trainstream.metrics.v1 -o beginning -e -q -f '%k %h\n' 2> /dev/null \
    | grep -c '^check-reference .*ce_type=dev.trainstream.training-metrics.v1') || true
  if ((metrics > 0)); then
    result PASS "kcat on 127.0.0.1:29092 read ${metrics} metric events of check-reference"
  else
    result FAIL "kcat read no metric events"
  fi
  if wait_for 300 "an evaluation of check-reference" evaluated check-reference; then
    result PASS "evaluator scored check-reference: $(events trainstream.evaluations.v1 | facts evaluations check-reference)"
  else
    result FAIL "evaluator scored nothing of check-reference in 300 s"
  fi
  local page api
  page=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8090/)
  api=$(curl -s http://127.0.0.1:8090/api/runs | grep -c check-reference) || true
  if [ "${page}" = 200 ] && ((api > 0)); then
    result PASS "dashboard on 127.0.0.1:8090: page 200, /api/runs lists check-reference"
  else
    result FAIL "dashboard: page ${page}, /api/runs mentions check-reference ${api} times"
  fi
}

# True once RUN has at least one evaluation-completed event.
evaluated() { events trainstream.evaluations.v1 | facts evaluations "$1" | grep -qv '^scored=0 '; }

# The digest line of RUN's final checkpoint (parameters sha256 first), read from the S3 stand-in's volume.
final_digest() {
  local key data
  key=$(events trainstream.checkpoints.v1 | facts final-checkpoint "$1")
  data=$(podman volume inspect "${PROJECT}_minio-data" --format '{{.Mountpoint}}')
  facts digest "${data}/${BUCKET}/${key}"
}

# Compares RUN's final checkpoint with the reference's: parameters, optimizer state, step, epoch, batches, offsets.
compare_with_reference() {
  local run="$1" what="$2" got
  got=$(final_digest "${run}")
  if [ "${got}" = "${REFERENCE_FACTS}" ]; then
    result PASS "${what}: final checkpoint equals the uninterrupted run's bit for bit (parameters ${got:11:12}..., \
$(echo "${got}" | grep -o 'step=.*'); lives started at steps: $(events trainstream.runs.v1 | facts starts "${run}"))"
  else
    result FAIL "${what}: final checkpoint differs: ${got} vs reference ${REFERENCE_FACTS}"
  fi
}

# (Re)creates the trainer container for a new run id: the same service, image and settings, only the run differs.
start_trainer() {
  podman rm -f "$(ctr trainer)" > /dev/null 2>&1 || true
  TRAINSTREAM_CHECK_RUN_ID="$1" compose up -d --no-build --no-deps trainer >> "${WORK}/up.log" 2>&1
}

# SIGKILL of a container's main process (the JVM: the entrypoint execs java) from the host, as a crash; fails when
# the container is not running (its PID then reads 0, and "kill -9 0" would kill this script's own process group).
crash() {
  local pid
  pid=$(podman inspect -f '{{.State.Pid}}' "$1")
  ((pid > 0)) || { log "$1 is not running, nothing to kill"; return 1; }
  kill -9 "${pid}"
}

# The trainer's step now, 0 while its current life has trained nothing yet: the step that life resumed at (its
# "resuming from ... (step N" log line; none: 0) plus the steps it trained (its own /metrics on 127.0.0.1:8081, a
# counter per life). Fast enough to poll several times a second, unlike the metric events.
trainer_step() {
  local trained resumed
  trained=$(curl -s --max-time 2 http://127.0.0.1:8081/metrics | awk -v run="run=\"$1\"" \
    '/^trainstream_trainer_steps_total/ && index($0, run) { print int($2) }')
  if [ "${trained:-0}" = 0 ]; then echo 0; return; fi
  resumed=$(podman logs --tail 500 "$(ctr trainer)" 2>&1 | grep "ResumePoint - run $1: resuming from" | tail -1 \
    | sed -n 's/.*(step \([0-9]*\),.*/\1/p')
  echo $((${resumed:-0} + trained))
}

# Waits (polling every 0.2 s, at most $3 seconds) until RUN's trainer is at step $2 or beyond.
await_trainer_step() {
  local deadline=$((SECONDS + $3))
  until (($(trainer_step "$1") >= $2)); do
    if ((SECONDS >= deadline)); then log "timed out waiting for $1 at step $2"; return 1; fi
    sleep 0.2
  done
}

# True once the container runs again after a crash (its restart count passed $2).
restarted() {
  local state
  state=$(podman inspect -f '{{.State.Running}} {{.RestartCount}}' "$1")
  [ "${state%% *}" = true ] && ((${state##* } > $2))
}

# SIGKILL of the trainer's JVM at three points of a run (asked for at steps 5, 19 and 30 of 40, checkpoints every 8;
# the kill lands a few steps later, and the step it hit is reported), each time in a life that trained past the
# previous kill; the compose restart policy brings it back. The run must end as the uninterrupted one did, bit for bit.
fault_trainer_kill() {
  local run=check-kill point count trainer killed=()
  trainer=$(ctr trainer)
  start_trainer "${run}"
  for point in 5 19 30; do
    await_trainer_step "${run}" "${point}" 900 || return 1
    if run_finished "${run}"; then log "${run} finished before step ${point}'s kill"; break; fi
    count=$(podman inspect -f '{{.RestartCount}}' "${trainer}")
    killed+=("$(trainer_step "${run}")")
    crash "${trainer}" || return 1
    log "SIGKILL of the trainer at step ${killed[-1]}"
    if ! wait_for 60 "the restart policy to restart the trainer" restarted "${trainer}" "${count}"; then
      result FAIL "trainer not restarted by its restart policy within 60 s after SIGKILL; started by hand"
      podman start "${trainer}" > /dev/null
    fi
  done
  wait_for 1200 "${run} to finish" run_finished "${run}" || { result FAIL "${run} did not finish"; return 1; }
  compare_with_reference "${run}" "trainer SIGKILLed at steps ${killed[*]} and restarted by its policy"
}

# Stops a container (broker or S3) for 30 s while the trainer trains a run, then starts it again.
outage() {
  local run="$1" service="$2" what="$3"
  start_trainer "${run}"
  await_trainer_step "${run}" 10 900 || return 1
  if run_finished "${run}"; then result FAIL "${what}: ${run} finished before the fault began"; return 1; fi
  log "stopping ${service} at step $(trainer_step "${run}")"
  podman stop "$(ctr "${service}")" > /dev/null
  sleep 30 # the outage itself
  podman start "$(ctr "${service}")" > /dev/null
  local back=${SECONDS}
  wait_for 120 "${service} healthy again" podman healthcheck run "$(ctr "${service}")"
  wait_for 1200 "${run} to finish" run_finished "${run}" || { result FAIL "${what}: ${run} did not finish"; return 1; }
  compare_with_reference "${run}" "${what}, finished $((SECONDS - back)) s after ${service} was back"
}

# Broker container stopped 30 s mid-run.
fault_broker() { outage check-broker kafka "broker stopped 30 s mid-run"; }

# S3 container stopped 30 s mid-run.
fault_s3() { outage check-s3 minio "S3 stopped 30 s mid-run"; }

# The trainer cut off the network for 30 s mid-run, then reconnected under its service name.
fault_network() {
  local run=check-network net="${PROJECT}_default"
  start_trainer "${run}"
  await_trainer_step "${run}" 10 900 || return 1
  if run_finished "${run}"; then result FAIL "network: ${run} finished before the fault began"; return 1; fi
  log "disconnecting the trainer at step $(trainer_step "${run}")"
  podman network disconnect "${net}" "$(ctr trainer)"
  sleep 30 # the partition itself
  podman network connect --alias trainer "${net}" "$(ctr trainer)" 2> /dev/null \
    || podman network connect "${net}" "$(ctr trainer)"
  local back=${SECONDS}
  wait_for 1200 "${run} to finish" run_finished "${run}" || { result FAIL "network: ${run} did not finish"; return 1; }
  compare_with_reference "${run}" "trainer disconnected from the network 30 s and reconnected, finished $((SECONDS - back)) s after"
}

# How many of RUN's checkpoints have an evaluation (0 if none).
scored() { events trainstream.evaluations.v1 | facts evaluations "$1" | sed 's/^scored=\([0-9]*\).*/\1/'; }

# True once every checkpoint of RUN is scored.
all_scored() { (($(scored "$1") >= $2)); }

# SIGTERM to the evaluator (podman stop, grace 60 s as stop_grace_period says) while it scores a backlog: a run's
# checkpoints pile up while it is down, it is stopped after its first score, started again; each checkpoint must be
# scored once, none failed, none promoted twice, and the stop must be clean (exit 0).
fault_evaluator_term() {
  local run=check-eval evaluator total status
  evaluator=$(ctr evaluator)
  podman stop -t 60 "${evaluator}" > /dev/null
  start_trainer "${run}"
  wait_for 1200 "${run} to finish" run_finished "${run}" || return 1
  total=$(events trainstream.checkpoints.v1 | facts checkpoints "${run}")
  podman start "${evaluator}" > /dev/null
  wait_for 600 "a first evaluation of ${run}" evaluated "${run}" || return 1
  local start=${SECONDS}
  podman stop -t 60 "${evaluator}" > /dev/null
  status=$(podman inspect -f '{{.State.ExitCode}}' "${evaluator}")
  log "SIGTERM to the evaluator with $(scored "${run}") of ${total} checkpoints scored: exit ${status} after $((SECONDS - start)) s"
  podman start "${evaluator}" > /dev/null
  wait_for 900 "every checkpoint of ${run} scored" all_scored "${run}" "${total}"
  local summary
  summary=$(events trainstream.evaluations.v1 | facts evaluations "${run}")
  if [ "${status}" = 0 ] && [[ "${summary}" == "scored=${total} evaluations=${total} duplicates=0 failed=0 "*"duplicate_promotions=0" ]]; then
    result PASS "evaluator SIGTERM while scoring a backlog of ${total}: exit 0, then ${summary}"
  else
    result FAIL "evaluator SIGTERM: exit ${status}; ${total} checkpoints; ${summary}"
  fi
}

# How many epochs a container's ingest has logged as published.
published_epochs() { podman logs "$1" 2>&1 | grep -c 'ingest - published epoch'; }

# SIGKILL of ingest while it publishes: an ingest of a second synthetic dataset (seed 7; a dataset keeps its batch
# size) in batches of 1 (640 references an epoch, one transaction each, so that a kill is likely to land inside one),
# 20 epochs, killed once it logged 3 of them; its
# restart policy (on-failure:3) runs it again. Every committed epoch must be whole (as many references as its marker
# says) and appear once, numbered without gaps, and the killed transaction's records must stay invisible to consumers.
fault_ingest_kill() {
  local ingest="${PROJECT}_ingest_kill" layout committed uncommitted deadline=$((SECONDS + 600)) count
  (cd "${SRC}" && /usr/bin/python3 deploy/test/podman_compose_reset.py -p "${PROJECT}" -f docker-compose.yml \
    -f deploy/compose/docker-compose.cpu.yml -f deploy/test/docker-compose.check.yml \
    run -d -T --no-deps --name "${ingest}" -e TRAINSTREAM_SEED=7 -e TRAINSTREAM_EPOCHS=20 -e TRAINSTREAM_BATCH_SIZE=1 ingest) \
    >> "${WORK}/up.log" 2>&1
  until (($(published_epochs "${ingest}") >= 3)); do
    ((SECONDS < deadline)) || { log "the re-ingest published nothing within 600 s"; return 1; }
    sleep 0.2
  done
  count=$(podman inspect -f '{{.RestartCount}}' "${ingest}")
  crash "${ingest}" || return 1
  log "SIGKILL of ingest after it logged $(published_epochs "${ingest}") of 20 epochs published"
  wait_for 60 "the restart policy to rerun ingest" restarted "${ingest}" "${count}" \
    || { result FAIL "ingest not rerun by its restart policy (on-failure:3) within 60 s"; return 1; }
  wait_for 900 "the rerun ingest to exit 0" exited_zero "${ingest}" || { podman logs --tail 20 "${ingest}"; return 1; }
  layout=$(events trainstream.batches.v1 | facts epochs)
  committed=$(events trainstream.batches.v1 | wc -l)
  uncommitted=$(events trainstream.batches.v1 -X isolation.level=read_uncommitted | wc -l)
  echo "${layout}" > "${WORK}/epochs-after-ingest-kill.txt"
  local broken duplicates epochs gaps
  epochs=$(echo "${layout}" | grep -c '^dataset=') || true
  broken=$(echo "${layout}" | grep '^dataset=' | grep -vc 'markers=1 whole=yes$') || true
  duplicates=$(echo "${layout}" | grep '^dataset=' | cut -d' ' -f1,2 | sort | uniq -d | wc -l)
  gaps=$(echo "${layout}" | sed -n 's/^gaps=//p')
  if ((broken == 0 && duplicates == 0 && gaps == 0)); then
    result PASS "ingest SIGKILLed mid-publish and rerun by its restart policy: ${epochs} epochs committed, numbered \
without gaps, each whole (its references + 1 marker) and once; ${committed} records visible to consumers of \
${uncommitted} written ($((uncommitted - committed)) of the killed transaction, aborted)"
  else
    result FAIL "ingest kill: ${broken} epochs not whole, ${duplicates} duplicated, ${gaps} missing (see ${WORK}/epochs-after-ingest-kill.txt)"
  fi
}

# Removes every container, volume and the network of the check's compose project (not other projects' or people's).
teardown() {
  [ -n "${SRC}" ] && [ -d "${SRC}" ] || return 0
  log "tearing down compose project ${PROJECT}"
  podman ps -aq --filter "label=io.podman.compose.project=${PROJECT}" | xargs -r podman rm -f -t 5 > /dev/null 2>&1 || true
  podman rm -f "${PROJECT}_ingest_kill" > /dev/null 2>&1 || true
  compose down -v > /dev/null 2>&1 || true
  podman volume ls -q --filter "label=io.podman.compose.project=${PROJECT}" | xargs -r podman volume rm -f > /dev/null 2>&1 || true
  podman network rm -f "${PROJECT}_default" > /dev/null 2>&1 || true
}

# Prints each phase's time and each check's result; exits non-zero if any check failed.
report() {
  local line failed=0
  echo
  echo "Phases (seconds):"
  for line in "${PHASES[@]}"; do echo "  ${line}"; done
  echo "Results:"
  for line in "${RESULTS[@]}"; do
    echo "  ${line}"
    [[ "${line}" == FAIL* ]] && failed=1
  done
  return "${failed}"
}

# On every exit: tears the stack down, then prints the phases and results so far (a failed phase included).
finish() {
  local status=$?
  teardown
  report || status=1
  exit "${status}"
}

main() {
  trap finish EXIT
  mkdir -p "${WORK}"
  phase install_packages
  phase configure_podman
  phase check_ports_free
  phase build_base
  phase clone_source
  phase build_images
  phase start_stack
  phase run_reference
  local fault
  for fault in ${FAULTS}; do
    [ "${fault}" = none ] && continue
    phase "fault_${fault//-/_}" || result FAIL "${fault}: did not complete (see the log above)"
  done
}

main "$@"
