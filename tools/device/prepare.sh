#!/usr/bin/env bash
# Builds .device/, what travels to the GPU machine for tools/device/capture.sh (carry: [".device"]):
#   .device/classes   our compiled packages discover needs: device, nvml, cdi, discover, files, health; and the
#                     discovery benchmark from target/test-classes when it is compiled
#   .device/jna.jar   the JNA jar the application is built with, from ~/.m2
#   .device/jackson-{core,databind,annotations}.jar  Jackson, which discover reads and writes its JSON with, from ~/.m2
#   .device/jre.txz   a small Java runtime (../shared/tools/device-jre), built only when missing
#   .device/nvidia-cdi-hook  NVIDIA's hook the CDI specs name (tools/cdi-hook/build.sh; static, about 8 MiB), to run
#                     a spec's hooks on the GPU machine as a runtime would
#   .device/cdi-inject  the CNCF CDI library's injection as a tiny program (tools/cdi-hook), for
#                     tools/device/cdi-container.sh (about 3 MiB)
# Run from anywhere in the repository after 'mvn -B -q -o package -DskipTests'. Prints the total size, which must stay
# well under the 64 MiB that the working tree and .device may take together.
set -euo pipefail

cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
classes=target/classes/io/alauda/dra
packages=(device nvml cdi discover files health)

for p in "${packages[@]}"; do
    if [ ! -d "$classes/$p" ]; then
        echo "prepare: $classes/$p is missing; run 'mvn -B -q -o package -DskipTests' first" >&2
        exit 1
    fi
done

rm -rf .device/classes
mkdir -p .device/classes/io/alauda/dra
for p in "${packages[@]}"; do
    cp -R "$classes/$p" .device/classes/io/alauda/dra/
done

# The discovery benchmark (docs/benchmarks.md) lives with the tests; it needs only the packages above.
bench=target/test-classes/io/alauda/dra/bench/discovery
if [ -d "$bench" ]; then
    mkdir -p .device/classes/io/alauda/dra/bench
    cp -R "$bench" .device/classes/io/alauda/dra/bench/
fi

# Each jar in the version Quarkus packaged with the application, so discover here and in the image agree; it lands
# in .device/ as <artifact>.jar, and the GPU machine runs discover with -cp '.device/classes:.device/*'.
carry_jar() { # <group> <artifact> [the jar to carry instead of the one in ~/.m2]
    local group=$1 artifact=$2 lib version jar
    lib=$(ls target/quarkus-app/lib/main/"$group.$artifact"-[0-9]*.jar 2>/dev/null | head -1 || true)
    if [ -z "$lib" ]; then
        echo "prepare: no $artifact jar in target/quarkus-app/lib/main; run 'mvn -B -q -o package -DskipTests' first" >&2
        exit 1
    fi
    version=${lib##*/"$group.$artifact"-}
    version=${version%.jar}
    jar=${3:-$HOME/.m2/repository/${group//.//}/$artifact/$version/$artifact-$version.jar}
    if [ ! -f "$jar" ]; then
        echo "prepare: $jar not found; pass the $artifact-$version.jar to carry" >&2
        exit 1
    fi
    cp "$jar" ".device/$artifact.jar"
}
rm -f .device/*.jar
carry_jar net.java.dev.jna jna "${JNA_JAR:-}"
# JSON of the CDI specs, NVML recordings and discover's output (io.alauda.dra.files.JsonFiles); about 2.3 MiB.
carry_jar com.fasterxml.jackson.core jackson-core
carry_jar com.fasterxml.jackson.core jackson-databind
carry_jar com.fasterxml.jackson.core jackson-annotations

hook_dir=$(./tools/cdi-hook/build.sh | tail -1)
cp "$hook_dir/nvidia-cdi-hook" "$hook_dir/cdi-inject" .device/

if [ ! -f .device/jre.txz ]; then
    ../shared/tools/device-jre .device
fi

echo "prepare: .device holds classes of ${packages[*]}, the JNA and Jackson jars, jre.txz, nvidia-cdi-hook and cdi-inject:"
du -shc .device/*.jar | tail -1 | sed 's/total$/jars in all (-cp .device\/classes:.device\/*)/'
du -sh .device/classes .device/*.jar .device/jre.txz .device/nvidia-cdi-hook .device/cdi-inject
total_kib=$(du -sk .device | cut -f1)
echo "prepare: total $((total_kib / 1024)) MiB (${total_kib} KiB) in .device; the limit for the working tree and .device together is 64 MiB"
if [ "$total_kib" -gt $((48 * 1024)) ]; then
    echo "prepare: .device is over 48 MiB, too close to the limit; leave something out" >&2
    exit 1
fi
