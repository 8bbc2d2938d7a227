#!/usr/bin/env bash
# Trainstream's container check: builds the images for real and runs the compose stack with podman, then breaks it
# between processes and checks what survives. One command, as root, on Debian 12 (it installs what it needs):
#
#   deploy/test/container-check.sh            # everything: ~25-40 min on 2 cores (see docs/DEPLOYMENT.md)
#   CHECK_FAULTS="trainer-kill broker" deploy/test/container-check.sh   # only some faults ("none" for none)
#
# Not part of .ci/run: it needs root, podman and ~40 minutes on 2 cores, more than CI's budget allows.
# Where it runs, no registry is reachable: the base image is built with debootstrap from Debian packages, and the
# public Kafka and MinIO images are replaced by stand-ins built from Maven Central (deploy/test/standins), selected by
# deploy/test/docker-compose.check.yml only. Docker users build the same Dockerfiles on the public pinned bases.
# Every container, network and volume of the check's compose project is removed on exit (trap), whatever happens.
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly WORK="${CHECK_WORK:-/var/tmp/trainstream-container-check}"
readonly PROJECT="${CHECK_PROJECT:-tscheck}"
readonly BASE_IMAGE="localhost/trainstream-check/base:bookworm-jdk17"
readonly FAULTS="${CHECK_FAULTS:-trainer-kill broker s3 network evaluator-term ingest-kill}"
readonly KAFKA="127.0.0.1:29092"
readonly S3="http://127.0.0.1:9000"
readonly BUCKET="trainstream"
SRC=""                      # the clean clone the images and the stack are built from (set by clone_source)
REFERENCE_DIGEST=""         # sha256 of the uninterrupted run's final parameters (set by run_reference)
REFERENCE_FACTS=""          # step, epoch, batches consumed and next offsets of that final checkpoint
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
    sleep 2
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
  for port in 29092 9000 9001 8081 8082 8083 8090; do
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
# not reachable here) and the two stand-ins; then checks the CPU image's user, entrypoint and health check.
build_images() {
  build_image deploy/docker/Dockerfile localhost/trainstream:0.1.0
  build_image deploy/docker/Dockerfile.gpu localhost/trainstream-gpu-build-stage:0.1.0 --target build
  build_image deploy/test/standins/Containerfile localhost/trainstream-check/kafka:4.1.0 --target kafka
  build_image deploy/test/standins/Containerfile localhost/trainstream-check/minio:standin --target minio
  local user entrypoint health
  user=$(podman image inspect localhost/trainstream:0.1.0 --format '{{.Config.User}}')
  entrypoint=$(podman image inspect localhost/trainstream:0.1.0 --format '{{json .Config.Entrypoint}}')
  health=$(podman image inspect localhost/trainstream:0.1.0 --format '{{json .Config.Healthcheck.Test}}')
  log "image user=${user} entrypoint=${entrypoint} healthcheck=${health}"
  [ "${user}" = "10001:10001" ] || { result FAIL "image user is '${user}', not 10001:10001"; return 1; }
  podman run --rm localhost/trainstream:0.1.0 --version > /dev/null && podman run --rm --entrypoint id \
    localhost/trainstream:0.1.0 -u | grep -qx 10001 && result PASS "images built; runs as uid 10001, entrypoint answers --version"
}
