#!/usr/bin/env bash
# The GPU check, run ON the GPU machine from the repository root, with .gpu-check/pack carried (deploy/gpu-check/pack.sh
# made it): no Java, no network there. In one go, each phase under its own time limit, results in $OUT:
#   (a) trainstream doctor on the machine's own CUDA libtorch (PYTORCH_LIBRARY_PATH = the torch package's lib)
#   (b) bench gpucheck: CPU vs GPU loss curves, training states across devices, evaluation of one state on both
#   (c) bench (A/B): the DJL engine loop vs the plain PyTorch eager loop on the same device, batch 128 and 512
#   (d) bench trainer: the trainer service end to end on the GPU (embedded Kafka + S3 in the JVM), img/s, data wait
# The JNI bridge: $GPU_CHECK_JNI if set, else .gpu-check/pack/jni-built/libdjl_torch.so, else the git-ignored
# .gpu-check/pack/jni/build.sh builds it (this script holds no recipe); a bridge built here is copied to
# $OUT/libdjl_torch.so so that a later run can carry it in .gpu-check/jni-built/ instead of building it again.
# $OUT receives at most 5 files: summary.txt (the result lines), full.log, jni-build.log, libdjl_torch.so, env.txt.
#
# Settings (environment; the defaults are the GPU run's, deploy/gpu-check/rehearse.sh sets the CPU rehearsal's):
#   GPU_CHECK_DEVICE=gpu|cpu  GPU_CHECK_SIZE=full|ci  GPU_CHECK_PYTHON=python3  GPU_CHECK_TORCH_LIB=<torch>/lib
#   PYTORCH_VERSION, PYTORCH_FLAVOR (default: from the python torch package), GPU_CHECK_THREADS (default: nproc),
#   GPU_CHECK_TORCH_DIR (the torch package whose headers build the bridge), GPU_CHECK_BUILD_S (300), GPU_CHECK_JNI
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
out=${OUT:?OUT must name the folder for the results}
mkdir -p "$out"
pack=${GPU_CHECK_PACK:-$root/.gpu-check/pack}
device=${GPU_CHECK_DEVICE:-gpu}
size=${GPU_CHECK_SIZE:-full}
python=${GPU_CHECK_PYTHON:-python3}
threads=${GPU_CHECK_THREADS:-$(nproc)}
work=$(mktemp -d /tmp/gpu-check.XXXXXX)
summary=$out/summary.txt
log=$out/full.log
: > "$summary"
: > "$log"
began=$(date +%s)

note() { echo "$*" | tee -a "$summary" >> "$log"; }
# phase NAME LIMIT_SECONDS GREP_PATTERN COMMAND...: runs COMMAND under a time limit, the whole output to full.log, the
# lines matching GREP_PATTERN and one "phase" line to summary.txt; never stops the script. The limit shrinks to what is
# left of GPU_CHECK_BUDGET_S (default 510 s, under the device tool's 600 s per command), so the last lines are always
# written; a phase with less than 30 s left is skipped and says so.
budget=${GPU_CHECK_BUDGET_S:-510}
phase() {
  local name=$1 limit=$2 pattern=$3
  shift 3
  local start rc left
  start=$(date +%s)
  left=$(( budget - (start - began) ))
  if [ "$left" -lt 30 ]; then
    note "phase $name rc=125 seconds=0 (skipped: ${left}s of the ${budget}s budget left)"
    return 125
  fi
  [ "$left" -lt "$limit" ] && limit=$left
  echo "=== $name: $*" >> "$log"
  timeout --kill-after=10 "$limit" "$@" > "$work/$name.out" 2>&1
  rc=$?
  cat "$work/$name.out" >> "$log"
  grep -E "$pattern" "$work/$name.out" >> "$summary"
  note "phase $name rc=$rc seconds=$(( $(date +%s) - start ))$([ $rc -eq 124 ] && echo " (time limit ${limit}s)")"
  return $rc
}

note "gpu-check device=$device size=$size started=$(date -u +%Y-%m-%dT%H:%M:%SZ) host=$(cat /proc/sys/kernel/hostname) cpus=$(nproc)"
cat "$pack/MANIFEST.txt" >> "$log" 2>/dev/null || note "no $pack/MANIFEST.txt: run deploy/gpu-check/pack.sh here first"
{
  command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  "$python" -c 'import sys, torch; print("python", sys.version.split()[0], "torch", torch.__version__, "cuda",
torch.version.cuda, "cudnn", torch.backends.cudnn.version(), "gpus", torch.cuda.device_count())'
} > "$out/env.txt" 2>&1
sed 's/^/env: /' "$out/env.txt" >> "$summary"

# Where libtorch is: the python torch package's own (the machine's CUDA libtorch), unless the rehearsal names one.
torch_dir=${GPU_CHECK_TORCH_DIR:-$("$python" -c 'import os, torch; print(os.path.dirname(torch.__file__))' 2>/dev/null)}
export PYTORCH_LIBRARY_PATH=${GPU_CHECK_TORCH_LIB:-$torch_dir/lib}
export PYTORCH_VERSION=${PYTORCH_VERSION:-$("$python" -c 'import torch; print(torch.__version__.split("+")[0])')}
export PYTORCH_FLAVOR=${PYTORCH_FLAVOR:-$("$python" -c 'import torch; c = torch.version.cuda; print("cu" + c.replace(".", "") if c else "cpu")')}
export ENGINE_CACHE_DIR=$work/engine-cache DJL_CACHE_DIR=$work/djl-cache
export THP_MEM_ALLOC_ENABLE=1
export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184:glibc.malloc.top_pad=268435456
note "libtorch: PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH PYTORCH_VERSION=$PYTORCH_VERSION PYTORCH_FLAVOR=$PYTORCH_FLAVOR"

# Java and the classpath: the jlink runtime and the jars from the pack (xz; python's tarfile where xz is missing)
unpack() {
  if command -v xz > /dev/null; then
    tar -xJf "$1" -C "$work"
  else
    "$python" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$work"
  fi
}
for archive in runtime lib; do
  unpack "$pack/$archive.tar.xz" || { note "gpu-check result=FAIL reason=cannot-unpack-$archive"; exit 1; }
done
java=$work/runtime/bin/java
djl_version=$(ls "$work"/lib | sed -n 's/^\(ai\.djl\.\)\{0,1\}api-\([0-9.]*\)\.jar$/\2/p' | head -1)

# The JNI bridge, installed where DJL looks for it in its cache for this libtorch version and flavor
bridge_dir=$ENGINE_CACHE_DIR/pytorch/$PYTORCH_VERSION-$PYTORCH_FLAVOR-linux-x86_64
mkdir -p "$bridge_dir"
bridge=${GPU_CHECK_JNI:-}
if [ -z "$bridge" ] && [ -f "$pack/jni-built/libdjl_torch.so" ]; then
  bridge=$pack/jni-built/libdjl_torch.so
fi
if [ -z "$bridge" ]; then
  if [ -x "$pack/jni/build.sh" ]; then
    start=$(date +%s)
    timeout "${GPU_CHECK_BUILD_S:-300}" "$pack/jni/build.sh" "$torch_dir" "$pack/jni-headers" "$work/jni-build" > "$out/jni-build.log" 2>&1
    rc=$?
    note "phase jni-build rc=$rc seconds=$(( $(date +%s) - start ))"
    if [ $rc -eq 0 ] && [ -f "$work/jni-build/libdjl_torch.so" ]; then
      bridge=$work/jni-build/libdjl_torch.so
      cp "$bridge" "$out/libdjl_torch.so"
    else
      tail -30 "$out/jni-build.log" >> "$summary"
    fi
  else
    note "FAIL: no JNI bridge: neither GPU_CHECK_JNI, $pack/jni-built/libdjl_torch.so nor $pack/jni/build.sh"
  fi
fi
if [ -z "$bridge" ]; then
  note "gpu-check result=FAIL reason=no-jni-bridge seconds=$(( $(date +%s) - began ))"
  exit 1
fi
cp "$bridge" "$bridge_dir/$djl_version-libdjl_torch.so"
note "jni: $bridge -> $bridge_dir/$djl_version-libdjl_torch.so ($(stat -c %s "$bridge") bytes)"

jvm=(-Xmx8g -Dai.djl.offline=true -cp "$work/lib/*")
bench=("$java" "${jvm[@]}" dev.trainstream.bench.BenchMain)
if [ "$size" = ci ]; then
  check=(--steps 3 --batch 16 --eval-images 64 --width 0.25)
  ab=(--rounds 1 --train-steps 2 --eval-steps 2 --warmup 1)
  batches=(8)
  trainer=(--rounds 1 --batch 16 --steps 4 --warmup 1 --width 0.25)
else
  check=(--steps 20 --batch 128 --eval-images 2048)
  ab=(--rounds 3 --train-steps 30 --eval-steps 30 --warmup 5)
  batches=(128 512)
  trainer=(--rounds 1 --batch 128 --steps 60 --warmup 10)
fi

phase doctor 120 '^(trainstream|java|engine=|libtorch:|build:|loaded:)' \
  "$java" "${jvm[@]}" dev.trainstream.launcher.TrainstreamCommand doctor
phase gpucheck 240 '^gpucheck (device|time|check|result)' \
  "${bench[@]}" gpucheck --device "$device" --threads "$threads" "${check[@]}"
ab_phase() {
  phase "ab-batch$1" 240 '^(device:|  (djl|pytorch)|train:|eval:)' \
    "${bench[@]}" --device "$device" --threads "$threads" --python "$python" --train-batch "$1" --eval-batch "$1" "${ab[@]}"
}
# the first batch size, then the service, then the other batch sizes: what matters most runs first
ab_phase "${batches[0]}"
phase trainer 240 '^(trainer benchmark|round|trainer-service)' \
  "${bench[@]}" trainer --device "$device" --threads "$threads" "${trainer[@]}"
for b in "${batches[@]:1}"; do
  ab_phase "$b"
done

failed=$(grep -c '^phase .* rc=[1-9]' "$summary")
note "gpu-check result=$([ "$failed" -eq 0 ] && echo PASS || echo FAIL) failed_phases=$failed" \
  "seconds=$(( $(date +%s) - began ))"
rm -rf "$work"
[ "$failed" -eq 0 ]
