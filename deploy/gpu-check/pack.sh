#!/usr/bin/env bash
# Packs what the GPU check carries to a GPU machine that has no Java and no network, into the git-ignored folder
# .gpu-check/pack (the device tool's `carry`), and fails when what is sent would pass the limit:
#   runtime.tar.xz  a Java 17 runtime made by jlink from this JDK (the machine has no Java)
#   lib.tar.xz      lib/: the launcher's and the bench's jars and their dependencies, WITHOUT pytorch-native-cpu (the
#                   machine's own CUDA libtorch is used) and pytorch-jni (the bridge must match that libtorch); the
#                   jars are rewritten uncompressed and without other platforms' native libraries, so that xz can
#                   compress them as one stream (about 100 MiB of jars -> under 40 MiB)
#   jni-headers/    jni.h and jni_md.h from this JDK (for building the JNI bridge there)
#   jni/            copied as it is from .gpu-check/jni/ when present: git-ignored build inputs of the bridge, with
#                   their own build.sh (docs/BENCHMARKS.md, "GPU check"); this repository carries neither
#   jni-built/      copied from .gpu-check/jni-built/ when present: a bridge an earlier GPU run built and returned
# Usage (repository root): deploy/gpu-check/pack.sh   (the first time: MVN_OFFLINE= deploy/gpu-check/pack.sh)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
pack=.gpu-check/pack
limit_mib=${GPU_CHECK_LIMIT_MIB:-60}
# the modules the jars use (jdeps --list-reduced-deps on them; java.desktop: log4j-core's java.beans, ImageIO in ingest)
modules=java.base,java.logging,java.management,jdk.unsupported,java.naming,java.xml,java.net.http,java.sql,jdk.crypto.ec
modules+=,java.security.jgss,java.security.sasl,java.desktop,jdk.management,java.compiler
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")}

rm -rf "$pack"
mkdir -p "$pack/jni-headers"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/jars" "$tmp/lib"
# package (no tests) and copy every runtime dependency of the launcher and the bench in the same reactor build; offline
# unless MVN_OFFLINE is set empty (needed once, while maven-dependency-plugin 3.8.1 is not in ~/.m2 yet)
./mvnw -B -q ${MVN_OFFLINE--o} -pl services/bench,services/launcher -am -DskipTests package \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies -DincludeScope=runtime \
  -DexcludeArtifactIds=pytorch-native-cpu,pytorch-jni -Dmdep.prependGroupId=true -DoutputDirectory="$tmp/jars"
# the reactor's own jars (copy-dependencies copies the modules the two depend on, not the two themselves)
cp services/launcher/target/trainstream-launcher-*-SNAPSHOT.jar services/bench/target/trainstream-bench-*-SNAPSHOT.jar \
  "$tmp/jars/"
rm -f "$tmp"/jars/*-shaded.jar "$tmp"/jars/*-tests.jar
if ls "$tmp/jars" | grep -q 'pytorch-native'; then
  echo "pack: a pytorch-native jar slipped into the classpath" >&2
  exit 1
fi
# each jar rewritten uncompressed (stored) without native libraries for other platforms than linux x86-64; signed
# jars are copied as they are
python3 - "$tmp/jars" "$tmp/lib" <<'PY'
import os, re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
native = re.compile(r"\.(so|dll|dylib|jnilib|a)$", re.I)
linux_x64 = re.compile(r"linux[/_-]?(amd64|x86[_-]64)", re.I)
# one version per artifact: modules that resolved different versions of a library each copied theirs; keep the newest
def split(name):
    m = re.match(r"^(.*?)-(\d[^-]*(?:-[A-Za-z0-9.]+)*)\.jar$", name)
    return (m.group(1), tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.-]", m.group(2)))) if m else (name, ())
newest = {}
for name in os.listdir(src):
    artifact, version = split(name)
    if artifact not in newest or version > split(newest[artifact])[1]:
        newest[artifact] = name
older = sorted(set(os.listdir(src)) - set(newest.values()))
if older:
    print("pack: left out older duplicate versions: " + " ".join(older))
dropped = 0
for name in sorted(newest.values()):
    with zipfile.ZipFile(os.path.join(src, name)) as zin:
        signed = any(re.match(r"META-INF/[^/]+\.(SF|RSA|DSA|EC)$", i.filename) for i in zin.infolist())
        with zipfile.ZipFile(os.path.join(dst, name), "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                if not signed and native.search(info.filename) and not linux_x64.search(info.filename):
                    dropped += info.file_size
                    continue
                zout.writestr(info, zin.read(info.filename), zipfile.ZIP_STORED)
print("pack: dropped %.1f MiB of other platforms' native libraries" % (dropped / 1048576))
PY
tar -cf - -C "$tmp" lib | xz -9 -T0 > "$pack/lib.tar.xz"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=0 \
  --output "$tmp/runtime"
tar -cf - -C "$tmp" runtime | xz -9 -T0 > "$pack/runtime.tar.xz"
cp "$java_home/include/jni.h" "$java_home/include/linux/jni_md.h" "$pack/jni-headers/"
[ -d .gpu-check/jni ] && cp -a .gpu-check/jni "$pack/jni"
[ -f .gpu-check/jni-built/libdjl_torch.so ] && mkdir -p "$pack/jni-built" \
  && cp .gpu-check/jni-built/libdjl_torch.so "$pack/jni-built/"

{
  echo "commit $(git rev-parse HEAD)$(git diff --quiet HEAD || echo ' (with uncommitted changes)')"
  echo "packed $(date -u +%Y-%m-%dT%H:%MZ) java $("$tmp/runtime/bin/java" -version 2>&1 | head -1)"
  echo "jni build inputs: $([ -d "$pack/jni" ] && echo yes || echo 'NO (.gpu-check/jni missing)')"
  echo "jni built: $([ -f "$pack/jni-built/libdjl_torch.so" ] && echo yes || echo no)"
  (cd "$tmp/lib" && ls)
} > "$pack/MANIFEST.txt"

bytes_of() { du -sb "$1" | cut -f1; }
pack_bytes=$(bytes_of "$pack")
tree_bytes=$(git ls-files -z -co --exclude-standard | xargs -0 -r du -cb 2>/dev/null | tail -1 | cut -f1)
total=$((pack_bytes + tree_bytes))
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
echo "pack: runtime.tar.xz $(mib "$(bytes_of "$pack/runtime.tar.xz")") MiB, lib.tar.xz $(mib "$(bytes_of "$pack/lib.tar.xz")") MiB" \
  "($(ls "$tmp/lib" | wc -l) jars, $(mib "$(bytes_of "$tmp/jars")") MiB as built), jni inputs $([ -d "$pack/jni" ] && mib "$(bytes_of "$pack/jni")" || echo 0) MiB"
echo "pack: $pack $(mib "$pack_bytes") MiB + working tree $(mib "$tree_bytes") MiB = $(mib "$total") MiB sent" \
  "(limit $limit_mib MiB)"
if [ "$total" -gt $((limit_mib * 1048576)) ]; then
  echo "pack: over the limit of $limit_mib MiB" >&2
  exit 1
fi
