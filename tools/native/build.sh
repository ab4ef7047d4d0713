#!/usr/bin/env bash
# Assemble GraalVM's Native Image builder from the artifacts Maven Central
# serves (org.graalvm.nativeimage:svm and its dependencies), run it on
# Temurin 25, and build a native executable: first a hello-world class, then
# (only if that links and runs) the application.
#
# Usage: tools/native/build.sh [hello|probe|app]      (default: hello)
#   hello  assemble the builder and build + run a hello-world native image
#   probe  diagnostic only: rerun hello-world against a copy of the JDK whose
#          missing static libraries are replaced by empty placeholder archives,
#          to show which blocker comes next (never yields a usable binary)
#   app    build the Quarkus application: with a real GraalVM/Mandrel at
#          $GRAALVM_HOME (bin/native-image) it uses that directly; otherwise it
#          needs the Maven-assembled builder, whose hello-world must pass first
#
# Environment (all optional):
#   GRAALVM_VERSION   builder artifacts' version           (25.0.2)
#   JAVA25_HOME       a JDK 25 with jdk.internal.vm.ci      (/usr/lib/jvm/temurin-25-jdk-amd64)
#   NATIVE_TOOLS_DIR  where the builder is assembled        (~/.cache/nvidia-dra-driver/tools/native)
#   BUILDER_XMX       builder JVM heap                      (3g)
#   GRAALVM_HOME      (app mode) a real GraalVM/Mandrel home to use instead
#
# Exit codes: 0 built and ran; 1 setup problem (no JDK 25, no gcc, no mvn,
# artifact download failed); 2 the builder stopped at a blocker (message printed);
# 3 probe mode finished (it always ends at a blocker).
#
# See docs/native.md for the outcome and every step that needed care.
set -euo pipefail

MODE="${1:-hello}"
V="${GRAALVM_VERSION:-25.0.2}"
JAVA25_HOME="${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
TOOLS="${NATIVE_TOOLS_DIR:-$HOME/.cache/nvidia-dra-driver/tools/native}"
XMX="${BUILDER_XMX:-3g}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$TOOLS/$V"

say() { printf '[native] %s\n' "$*" >&2; }
die() { local rc="$1"; shift; printf '\n[native] ERROR: %s\n' "$*" >&2; exit "$rc"; }

case "$MODE" in hello|probe|app) ;; *) die 1 "unknown mode '$MODE' (hello|probe|app)";; esac

run_app() { # $1: a GraalVM home with bin/native-image
  cd "$ROOT"
  mvn -B -Pnative package -DskipTests -Dquarkus.native.graalvm-home="$1" -Dquarkus.native.native-image-xmx="$XMX"
  ls -la target/*-runner
  ./target/*-runner discover --help
}

# A machine that has a real GraalVM or Mandrel needs none of the assembly below.
if [ "$MODE" = app ] && [ -n "${GRAALVM_HOME:-}" ] && [ -x "$GRAALVM_HOME/bin/native-image" ]; then
  say "using the GraalVM at GRAALVM_HOME=$GRAALVM_HOME"
  run_app "$GRAALVM_HOME"
  exit 0
fi

# --- 1. the host: JDK 25 with JVMCI, gcc, mvn --------------------------------
J="$JAVA25_HOME/bin/java"
[ -x "$J" ] || die 1 "no JDK 25 at $JAVA25_HOME (set JAVA25_HOME); the 25.0.x builder needs JDK 25 (23.1.8 is the last builder for JDK 17)"
"$J" -version 2>&1 | grep -q 'version "25' || die 1 "$J is not JDK 25: $("$J" -version 2>&1 | head -1)"
"$J" --list-modules | grep -q '^jdk.internal.vm.ci@' || die 1 "$JAVA25_HOME has no jdk.internal.vm.ci (JVMCI) module"
command -v gcc >/dev/null || die 1 "gcc not found (the builder compiles C queries and links with it)"
command -v mvn >/dev/null || die 1 "mvn not found"
say "JDK: $("$J" -version 2>&1 | sed -n 2p)"
say "builder artifacts: org.graalvm.nativeimage:svm:$V; tools dir: $WORK"

# --- 2. the builder's jars, from Maven Central ---------------------------------
mkdir -p "$WORK/jars" "$WORK/bin"
cat > "$WORK/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.native-builder</groupId>
  <artifactId>assemble</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.graalvm.nativeimage</groupId>
      <artifactId>svm</artifactId>
      <version>$V</version>
    </dependency>
  </dependencies>
</project>
EOF
if [ ! -f "$WORK/jars/.complete" ]; then
  say "fetching svm:$V and its dependencies"
  rm -f "$WORK"/jars/*.jar
  mvn -B -q -f "$WORK/pom.xml" dependency:copy-dependencies -DoutputDirectory="$WORK/jars" \
    || die 1 "could not fetch org.graalvm.nativeimage:svm:$V and its dependencies from Maven"
  touch "$WORK/jars/.complete"
fi
COMPILER_JAR="$(ls "$WORK"/jars/compiler-"$V".jar)"
MP="$(ls "$WORK"/jars/*.jar | grep -v "/compiler-$V.jar" | tr '\n' ':')"

# The native half of the builder (mx distribution SVM_HOSTED_NATIVE: svm's C
# headers, liblibchelper.a, libjvm.a, libcontainer.a) and the driver
# (SVM_DRIVER, bin/native-image) are not on Maven Central. Record it.
for a in "org.graalvm.nativeimage:svm-hosted-native-linux-amd64:$V:pom" \
         "org.graalvm.nativeimage:svm-driver:$V:pom"; do
  if mvn -B -q dependency:get -Dtransitive=false -Dartifact="$a" >/dev/null 2>&1; then
    say "served: $a"
  else
    say "not served by Maven Central: $a"
  fi
done

# --- 3. the launcher: NativeImageGeneratorRunner on the module path ---------------
# The builder's modules read many JDK-internal packages; the driver would pass
# --add-exports for them. Export every concealed or qualified-exported package
# of the JDK modules it touches to the builder's modules.
TARGETS=org.graalvm.nativeimage.builder,org.graalvm.nativeimage.base,org.graalvm.nativeimage.pointsto,org.graalvm.nativeimage.objectfile,org.graalvm.nativeimage.configure,jdk.graal.compiler
: > "$WORK/exports.args"
for m in java.base jdk.internal.vm.ci java.management jdk.management jdk.jfr jdk.internal.jvmstat \
         jdk.jdeps jdk.jlink jdk.net jdk.zipfs java.xml jdk.unsupported java.desktop java.logging \
         jdk.internal.ed jdk.compiler java.rmi java.naming; do
  "$J" --describe-module "$m" | awk '/^contains /{print $2} /^qualified exports /{print $3}' | sort -u |
    while read -r p; do echo "--add-exports=$m/$p=$TARGETS"; done >> "$WORK/exports.args"
done
cat > "$WORK/bin/svm-builder" <<EOF
#!/usr/bin/env bash
# Generated by tools/native/build.sh: runs GraalVM $V's image generator from Maven jars.
JAVA="\${BUILDER_JAVA:-$J}"
exec "\$JAVA" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI -XX:+UseParallelGC -Xss10m -Xmx\${BUILDER_XMX:-$XMX} \\
  -Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader \\
  -Djdk.internal.lambda.disableEagerInitialization=true -Dcom.oracle.graalvm.isaot=true \\
  -Dorg.graalvm.nativeimage.imagecode=buildtime -Dorg.graalvm.version=$V -Dsubstratevm.HostLibC=glibc \\
  --add-modules=ALL-DEFAULT @$WORK/exports.args \\
  --upgrade-module-path $COMPILER_JAR --module-path $MP \\
  -m org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner \\
  -H:ImageBuildID=\$(cat /proc/sys/kernel/random/uuid) "\$@"
EOF
chmod +x "$WORK/bin/svm-builder"
say "launcher: $WORK/bin/svm-builder"

# --- 4. hello-world ---------------------------------------------------------------
build_hello() { # $1: java executable for the builder JVM, $2: output dir
  local out="$2"
  rm -rf "$out"; mkdir -p "$out" "$TOOLS/hello"
  cat > "$TOOLS/hello/Hello.java" <<'EOF'
public class Hello {
    public static void main(String[] args) {
        System.out.println("hello from a native image, java.version=" + System.getProperty("java.version"));
    }
}
EOF
  "$JAVA25_HOME/bin/javac" --release 17 -d "$TOOLS/hello" "$TOOLS/hello/Hello.java"
  say "building hello-world into $out (log: $out/build.log)"
  set +e
  BUILDER_JAVA="$1" "$WORK/bin/svm-builder" -imagecp "$TOOLS/hello" -H:Path="$out" -H:Name=hello \
    -H:Class=Hello > "$out/build.log" 2>&1
  local rc=$?
  set -e
  return $rc
}

# The builder's own epilog crashes ("Helper library for ProgressReporterCHelper
# not available": libreporterchelper.so is also part of the unpublished native
# half), which hides the first error on stdout; the full error is in the
# svm_err_b_*.md report it writes next to the image.
report_blocker() { # $1: output dir
  local out="$1" err
  err="$(ls "$out"/svm_err_b_*.md 2>/dev/null | head -1 || true)"
  printf '\n----- builder output (%s/build.log) -----\n' "$out" >&2
  grep -v '^[[:space:]]*at ' "$out/build.log" | sed -n '1,40p' >&2
  if [ -n "$err" ]; then
    printf -- '----- error report (%s) -----\n' "$err" >&2
    sed -n '/^## Stack Trace/,/^## GraalVM Setup/p' "$err" | grep -v '^[[:space:]]*at ' | head -20 >&2
  fi
}

if [ "$MODE" = hello ] || [ "$MODE" = app ]; then
  OUT="$TOOLS/out-hello"
  if build_hello "$J" "$OUT" && [ -x "$OUT/hello" ]; then
    say "hello-world built: $OUT/hello ($(du -h "$OUT/hello" | cut -f1))"
    "$OUT/hello" || die 2 "hello-world native image built but did not run"
  else
    report_blocker "$OUT"
    if grep -q 'requires static JDK libraries' "$OUT/build.log"; then
      die 2 "BLOCKED: the builder needs the JDK's static libraries (libjava.a, libnio.a, libnet.a ... in \$JAVA_HOME/lib/static/linux-amd64/glibc). Temurin 25 has none, no Maven artifact carries them, and Debian's openjdk-25-jdk-headless/-jre-headless (trixie, 25.0.5+8-1~deb13u1) have none either: only a GraalVM/Mandrel/labs-openjdk JDK does. See docs/native.md."
    fi
    die 2 "BLOCKED: hello-world did not build (see the output above and docs/native.md)"
  fi
fi

if [ "$MODE" = probe ]; then
  # A symlinked copy of the JDK with empty placeholder archives for the static
  # libraries, only to learn what the builder asks for next.
  F="$TOOLS/placeholder-jdk"
  rm -rf "$F"; mkdir -p "$F"
  for x in "$JAVA25_HOME"/*; do ln -s "$x" "$F/"; done
  rm "$F/bin" "$F/lib"; cp -a "$JAVA25_HOME/bin" "$F/bin"; mkdir "$F/lib"
  for x in "$JAVA25_HOME"/lib/*; do ln -s "$x" "$F/lib/"; done
  rm "$F/lib/server"; cp -a "$JAVA25_HOME/lib/server" "$F/lib/server"
  mkdir -p "$F/lib/static/linux-amd64/glibc"
  echo 'void native_probe_placeholder(void) {}' > "$TOOLS/placeholder.c"
  gcc -c -o "$TOOLS/placeholder.o" "$TOOLS/placeholder.c"
  for l in java nio net zip fdlibm jimage; do ar rcs "$F/lib/static/linux-amd64/glibc/lib$l.a" "$TOOLS/placeholder.o"; done
  OUT="$TOOLS/out-probe"
  build_hello "$F/bin/java" "$OUT" || true
  report_blocker "$OUT"
  die 3 "PROBE: with placeholder JDK static libraries the builder stops at the next missing piece shown above (svm's own C headers/libraries, mx distribution SVM_HOSTED_NATIVE, not published to Maven Central)."
fi

# --- 5. the application -------------------------------------------------------------
# Only reached when hello-world linked and ran. Quarkus drives the build through
# a GraalVM home's bin/native-image (the driver, not published on Maven Central);
# a driver-compatible wrapper around svm-builder would be the next piece of work.
if [ "$MODE" = app ]; then
  GH="$TOOLS/graalvm-home-$V"
  [ -x "$GH/bin/native-image" ] || die 2 "BLOCKED: no bin/native-image driver at $GH: Quarkus needs one (org.graalvm.nativeimage:svm-driver is not on Maven Central); hello-world works, so a driver wrapper around $WORK/bin/svm-builder is the next step (docs/native.md)"
  run_app "$GH"
fi
