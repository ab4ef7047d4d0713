#!/usr/bin/env bash
# Captures what a GPU machine says about its GPUs and driver files, and what discover makes of them, so the two can
# be compared off the machine. Runs on a GPU machine that has no Java and no network, from the repository root:
#
#     OUT=/some/dir [DRIVER_ROOT=/usr/local/nvidia] [CDI_HOOK_PATH=/usr/bin/nvidia-cdi-hook] bash tools/device/capture.sh
#
# It needs .device/ as tools/device/prepare.sh builds it where the code is compiled (jre.txz, classes, jna.jar),
# carried along with the working tree. Every step is logged to $OUT/capture.log with its command and exit code, and
# a failing step does not stop the ones after it. Exit code 0 when every step succeeded, 1 otherwise.
#
# Written into $OUT:
#   capture.log, exit-codes.tsv     what ran, and how each step ended
#   environment.txt                 kernel, OS, user, driver root, tools found
#   nvidia-smi-q.xml                nvidia-smi -q -x
#   nvidia-smi-query.csv            index, uuid, name, pci.bus_id, memory.total, driver_version, compute_cap per GPU
#   pynvml.json                     tools/device/pynvml_dump.py: the same facts through pynvml (or ctypes)
#   discover-recording.json         discover --record: every raw NVML and sysfs answer, to replay without the GPU
#   discover-table.txt              discover's table (printed while recording)
#   discover.json                   discover --output json
#   discover-slice.json             discover --slice
#   discover-cdi.json               discover --cdi
#   check-paths.txt                 discover --cdi --check-paths: its verdict and the missing host paths (the spec it
#                                   checked is discover-cdi-checked.json; exit code 1 in exit-codes.tsv = paths missing)
#   driver-root-ls.txt, dev-ls.txt  ls -la of the driver root's lib64, bin, firmware; of /dev/nvidia*
#   <step>.stderr                   standard error of a step, where it printed any
set -u

: "${OUT:?set OUT to the folder the results go to}"
DRIVER_ROOT=${DRIVER_ROOT:-/usr/local/nvidia}
CDI_HOOK_PATH=${CDI_HOOK_PATH:-}
JAVA=/tmp/jre/bin/java
CLASSPATH_DISCOVER='.device/classes:.device/*'
MAIN=io.alauda.dra.discover.DiscoverCommand

mkdir -p "$OUT" || exit 2
LOG=$OUT/capture.log
: >"$LOG"
: >"$OUT/exit-codes.tsv"
failed=0

log() {
    printf '%s\n' "$*" | tee -a "$LOG"
}

# step NAME STDOUT-FILE COMMAND...: runs COMMAND with its output in $OUT/STDOUT-FILE and $OUT/NAME.stderr, logs the
# exit code, and always returns 0 so the next step runs.
step() {
    local name=$1 out=$2 rc started
    shift 2
    log "== $name: $*"
    started=$(date +%s)
    # A hung NVML or nvidia-smi must not eat the machine's time; timeout(1) cannot run shell functions.
    if [ -n "$TIMEOUT" ] && [ "$(type -t "$1")" != function ]; then
        $TIMEOUT "$@" >"$OUT/$out" 2>"$OUT/$name.stderr"
    else
        "$@" >"$OUT/$out" 2>"$OUT/$name.stderr"
    fi
    rc=$?
    log "   exit $rc after $(( $(date +%s) - started ))s; $(wc -c <"$OUT/$out") bytes to $out, $(wc -c <"$OUT/$name.stderr") to $name.stderr"
    if [ -s "$OUT/$name.stderr" ]; then
        sed 's/^/   | /' "$OUT/$name.stderr" | head -20 | tee -a "$LOG"
    else
        rm -f "$OUT/$name.stderr"
    fi
    printf '%s\t%s\n' "$name" "$rc" >>"$OUT/exit-codes.tsv"
    [ "$rc" -eq 0 ] || failed=1
    return 0
}

TIMEOUT=
if command -v timeout >/dev/null 2>&1; then
    TIMEOUT="timeout 300"
fi

# nvidia-smi and ctypes find libnvidia-ml.so.1 by name; a driver under its own root (/usr/local/nvidia) is not on the
# loader's path.
export LD_LIBRARY_PATH="$DRIVER_ROOT/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
SMI=$(command -v nvidia-smi || true)
[ -n "$SMI" ] || SMI=$DRIVER_ROOT/bin/nvidia-smi

log "capture into $OUT, driver root $DRIVER_ROOT, nvidia-smi $SMI, started $(date -u +%Y-%m-%dT%H:%M:%SZ)"

environment() {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "uname: $(uname -a)"
    echo "user: $(id)"
    echo "pwd: $(pwd)"
    echo "DRIVER_ROOT: $DRIVER_ROOT"
    echo "CDI_HOOK_PATH: ${CDI_HOOK_PATH:-(none)}"
    echo "LD_LIBRARY_PATH: $LD_LIBRARY_PATH"
    echo "nvidia-smi: $SMI"
    echo "python3: $(command -v python3 || echo missing) $(python3 --version 2>&1)"
    echo "git HEAD: $(git rev-parse HEAD 2>/dev/null || echo unknown)"
    echo "--- /etc/os-release"
    cat /etc/os-release 2>&1
    echo "--- /proc/driver/nvidia/version"
    cat /proc/driver/nvidia/version 2>&1
    echo "--- .device"
    ls -la .device .device/classes/io/alauda/dra 2>&1
    return 0
}
step environment environment.txt environment

step jre jre.txt bash -c 'tar xJf .device/jre.txz -C /tmp && /tmp/jre/bin/java -version 2>&1'

step nvidia-smi-q nvidia-smi-q.xml "$SMI" -q -x
step nvidia-smi-query nvidia-smi-query.csv "$SMI" \
    --query-gpu=index,uuid,name,pci.bus_id,memory.total,driver_version,compute_cap --format=csv,noheader

step pynvml pynvml.json python3 tools/device/pynvml_dump.py --driver-root "$DRIVER_ROOT"

DISCOVER=("$JAVA" -cp "$CLASSPATH_DISCOVER" "$MAIN" --driver-root "$DRIVER_ROOT")
CDI=(--cdi)
[ -z "$CDI_HOOK_PATH" ] || CDI+=(--cdi-hook-path "$CDI_HOOK_PATH")

step discover-record discover-table.txt "${DISCOVER[@]}" --record "$OUT/discover-recording.json"
step discover-json discover.json "${DISCOVER[@]}" --output json
step discover-slice discover-slice.json "${DISCOVER[@]}" --slice
step discover-cdi discover-cdi.json "${DISCOVER[@]}" "${CDI[@]}"
# The verdict (all present, or the missing paths) is discover's standard error; exit code 1 means paths are missing.
step discover-check-paths discover-cdi-checked.json "${DISCOVER[@]}" "${CDI[@]}" --check-paths
if [ -f "$OUT/discover-check-paths.stderr" ]; then
    mv "$OUT/discover-check-paths.stderr" "$OUT/check-paths.txt"
else
    echo "(discover printed no verdict)" >"$OUT/check-paths.txt"
fi

step driver-root-ls driver-root-ls.txt ls -la "$DRIVER_ROOT" "$DRIVER_ROOT/lib64" "$DRIVER_ROOT/bin" "$DRIVER_ROOT/firmware"
step driver-root-ls-firmware driver-root-ls-firmware.txt ls -laR "$DRIVER_ROOT/firmware"
step dev-ls dev-ls.txt bash -c 'ls -la /dev/nvidia* 2>&1; ls -la /dev/nvidia-caps 2>&1; true'

log "== done $(date -u +%Y-%m-%dT%H:%M:%SZ); steps and exit codes:"
tee -a "$LOG" <"$OUT/exit-codes.tsv"
ls -la "$OUT" | tee -a "$LOG"
exit "$failed"
