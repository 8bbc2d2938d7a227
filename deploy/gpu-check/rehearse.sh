#!/usr/bin/env bash
# Rehearses the GPU check here, on the CPU: deploy/gpu-check/run.sh exactly as the GPU machine runs it, from the same
# pack (.gpu-check/pack: the jlink runtime, the thin classpath without pytorch-native-cpu), with only the device and
# the libtorch changed: --device cpu, and as "own libtorch" (PYTORCH_LIBRARY_PATH) a folder of hard links to the CPU
# libtorch that DJL unpacked from its jar into ~/.djl.ai, flavor cpu; the PyTorch peer is Debian's python3-torch
# (/usr/bin/python3). The bridge is DJL's own CPU one from that folder (given as GPU_CHECK_JNI, so the
# git-ignored JNI build is not rehearsed here). GPU_CHECK_SIZE=ci (default) runs tiny step counts.
# REHEARSE_TORCH=<a torch package folder> (e.g. a CPU torch wheel unzipped) rehearses the GPU path more closely: that
# libtorch as "own libtorch", and the bridge built by run.sh with the git-ignored .gpu-check/pack/jni/build.sh.
# Usage (repository root, after deploy/gpu-check/pack.sh): deploy/gpu-check/rehearse.sh [results folder]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
[ -f .gpu-check/pack/runtime.tar.xz ] || { echo "rehearse: no .gpu-check/pack: run deploy/gpu-check/pack.sh" >&2; exit 1; }
djl=$(ls -d "${DJL_CACHE_DIR:-$HOME/.djl.ai}"/pytorch/*-cpu-linux-x86_64 2>/dev/null | head -1)
[ -n "$djl" ] || { echo "rehearse: no CPU libtorch in ~/.djl.ai/pytorch: run any engine test once" >&2; exit 1; }
version=$(basename "$djl" | cut -d- -f1)
rehearsal=$root/.gpu-check/rehearsal
out=${1:-$rehearsal/out}
rm -rf "$rehearsal/torch-lib" "$out"
mkdir -p "$rehearsal/torch-lib" "$out"
for f in "$djl"/*.so*; do
  case $(basename "$f") in
    *djl_torch*) ;;  # the bridge goes where run.sh installs a built one, not beside libtorch
    *) ln "$f" "$rehearsal/torch-lib/" 2> /dev/null || cp "$f" "$rehearsal/torch-lib/" ;;
  esac
done
start=$(date +%s)
rc=0
if [ -n "${REHEARSE_TORCH:-}" ]; then
  tv=$(sed -n "s/^__version__ = '\([0-9.]*\).*/\1/p" "$REHEARSE_TORCH/version.py")
  OUT=$out GPU_CHECK_DEVICE=cpu GPU_CHECK_SIZE=${GPU_CHECK_SIZE:-ci} GPU_CHECK_PYTHON=/usr/bin/python3 \
    GPU_CHECK_TORCH_DIR=$REHEARSE_TORCH PYTORCH_VERSION=$tv PYTORCH_FLAVOR=cpu \
    GPU_CHECK_BUILD_S=${GPU_CHECK_BUILD_S:-900} GPU_CHECK_BUDGET_S=${GPU_CHECK_BUDGET_S:-1200} \
    GPU_CHECK_THREADS=${GPU_CHECK_THREADS:-2} bash deploy/gpu-check/run.sh || rc=$?
else
  OUT=$out GPU_CHECK_DEVICE=cpu GPU_CHECK_SIZE=${GPU_CHECK_SIZE:-ci} GPU_CHECK_PYTHON=/usr/bin/python3 \
    GPU_CHECK_TORCH_LIB=$rehearsal/torch-lib PYTORCH_VERSION=$version PYTORCH_FLAVOR=cpu \
    GPU_CHECK_JNI=$(ls "$djl"/*libdjl_torch.so | head -1) GPU_CHECK_THREADS=${GPU_CHECK_THREADS:-2} \
    bash deploy/gpu-check/run.sh || rc=$?
fi
cat "$out/summary.txt"
echo "rehearse: run.sh exit $rc after $(( $(date +%s) - start )) s; results in $out: $(ls "$out" | tr '\n' ' ')"
exit $rc
