#!/usr/bin/env bash
# Builds .device/, what travels to the GPU machine for tools/device/capture.sh (carry: [".device"]):
#   .device/classes   our compiled packages discover needs: device, nvml, cdi, discover, json, files; and the
#                     discovery benchmark from target/test-classes when it is compiled
#   .device/lib/      the JNA jar and the three Jackson jars (core, databind, annotations) the application is built
#                     with; the classpath on the GPU machine is .device/classes:.device/lib/*
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
packages=(device nvml cdi discover json files)

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

# The JNA version is the one Quarkus packaged with the application, so discover here and in the image agree.
jna_lib=$(ls target/quarkus-app/lib/main/net.java.dev.jna.jna-*.jar 2>/dev/null | head -1 || true)
if [ -z "$jna_lib" ]; then
    echo "prepare: no JNA jar in target/quarkus-app/lib/main; run 'mvn -B -q -o package -DskipTests' first" >&2
    exit 1
fi
jna_version=${jna_lib##*/net.java.dev.jna.jna-}
jna_version=${jna_version%.jar}
jna_jar=${JNA_JAR:-$HOME/.m2/repository/net/java/dev/jna/jna/$jna_version/jna-$jna_version.jar}
if [ ! -f "$jna_jar" ]; then
    echo "prepare: $jna_jar not found; set JNA_JAR to the jna-$jna_version.jar to carry" >&2
    exit 1
fi
rm -rf .device/lib .device/jna.jar
mkdir -p .device/lib
cp "$jna_jar" .device/lib/jna.jar
# The JSON of CDI specs, recordings and discover's output is Jackson's; the same jars Quarkus packaged.
for artifact in jackson-core jackson-databind jackson-annotations; do
    jar=$(ls target/quarkus-app/lib/main/com.fasterxml.jackson.core.$artifact-*.jar 2>/dev/null | head -1 || true)
    if [ -z "$jar" ]; then
        echo "prepare: no $artifact jar in target/quarkus-app/lib/main; run 'mvn -B -q -o package -DskipTests' first" >&2
        exit 1
    fi
    cp "$jar" ".device/lib/$artifact.jar"
done

hook_dir=$(./tools/cdi-hook/build.sh | tail -1)
cp "$hook_dir/nvidia-cdi-hook" "$hook_dir/cdi-inject" .device/

if [ ! -f .device/jre.txz ]; then
    ../shared/tools/device-jre .device
fi

echo "prepare: .device holds classes of ${packages[*]}, JNA $jna_version and Jackson in lib/, jre.txz, nvidia-cdi-hook and cdi-inject:"
du -sh .device/classes .device/lib .device/jre.txz .device/nvidia-cdi-hook .device/cdi-inject
total_kib=$(du -sk .device | cut -f1)
echo "prepare: total $((total_kib / 1024)) MiB (${total_kib} KiB) in .device; the limit for the working tree and .device together is 64 MiB"
if [ "$total_kib" -gt $((48 * 1024)) ]; then
    echo "prepare: .device is over 48 MiB, too close to the limit; leave something out" >&2
    exit 1
fi
