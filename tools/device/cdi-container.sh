#!/usr/bin/env bash
# Proves on a GPU machine that the CDI spec the kubelet plugin writes with the default install makes the GPU usable
# in a container: the seed's `nvidia-smi -L` run inside a minimal container root must print the GPU with its UUID,
# and must fail when the spec's hooks are left out. Runs as root on a GPU machine that has no Java, no network and no
# container engine, from the repository root, with .device/ from tools/device/prepare.sh carried along:
#
#     OUT=/some/dir [DRIVER_ROOT=/usr/local/nvidia] bash tools/device/cdi-container.sh
#
# For each of two driver layouts:
#   driver-root  the driver where the machine has it (DRIVER_ROOT, /usr/local/nvidia as on GKE: lib64/, bin/,
#                firmware/nvidia/<version>/), device nodes in the host's /dev;
#   host-like    a copy of the same files laid out like a host install under / (usr/lib/x86_64-linux-gnu, usr/bin,
#                lib/firmware/nvidia/<version>), used as driver root /, device nodes in the host's /dev;
# it
#   1. makes the CDI spec of a claim of every GPU with `discover --cdi --plugin-dir`: the hook chosen as the kubelet
#      plugin chooses it with the default install (no spec.cdiHookPath: the node's own nvidia-cdi-hook under the driver
#      root, else the image's copy, here .device/nvidia-cdi-hook, copied into the plugin directory);
#   2. has cdi-inject (the CNCF CDI library containerd and podman use) inject the claim's first device into an OCI
#      runtime spec;
#   3. builds a minimal container root: the C library and a shell copied from the machine's own OS, none of the
#      driver's files (checked);
#   4. runs tools/device/oci_container.py, which applies the OCI spec in a private mount namespace as runc would
#      (device nodes, mounts, createContainer hooks, environment) and runs `nvidia-smi -L` in the root: once with
#      the hooks, once without.
# Written into $OUT: cdi-container.log (every step with its output), and per layout <layout>-spec.json (the CDI
# spec), <layout>-oci.json (the injected OCI spec). Exit code 0 when, in both layouts, nvidia-smi -L printed
# "GPU 0: ... (UUID: GPU-...)" with the hooks and failed without them; 1 otherwise.
set -u

: "${OUT:?set OUT to the folder the results go to}"
DRIVER_ROOT=${DRIVER_ROOT:-/usr/local/nvidia}
WORK=${WORK:-/tmp/cdi-container}
JAVA=/tmp/jre/bin/java
CLASSPATH_DISCOVER='.device/classes:.device/*'
CLAIM_UID=00000000-0000-0000-0000-000000000000   # discover --cdi's stand-in claim UID
GPU_LINE='^GPU 0: .+ \(UUID: GPU-[0-9a-f-]+\)$'

mkdir -p "$OUT" || exit 2
LOG=$OUT/cdi-container.log
: >"$LOG"
failed=0

log() {
    printf '%s\n' "$*" | tee -a "$LOG"
}

# logged CMD...: runs CMD with its output appended to the log; returns its exit code.
logged() {
    log "\$ $*"
    "$@" >>"$LOG" 2>&1
    local rc=$?
    log "  exit $rc"
    return $rc
}

check() {
    if "$@"; then log "PASS: $CHECK"; else log "FAIL: $CHECK"; failed=1; fi
}

if [ ! -x "$JAVA" ]; then
    tar xJf .device/jre.txz -C /tmp || { log "cannot unpack .device/jre.txz; run tools/device/prepare.sh"; exit 2; }
fi
for tool in .device/nvidia-cdi-hook .device/cdi-inject; do
    [ -x "$tool" ] || { log "$tool is missing; run tools/device/prepare.sh"; exit 2; }
done
rm -rf "$WORK"
mkdir -p "$WORK"
log "machine: $(uname -srm); driver root $DRIVER_ROOT; $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>&1 | head -1)"
log "nvidia-smi -L on the machine itself:"
nvidia-smi -L 2>&1 | tee -a "$LOG"

# The copy laid out like a host install under /: libraries, binaries and firmware where distribution packages put
# them. Device nodes stay in the host's /dev (the root has no dev/nvidiactl, so discover takes them from /dev).
host_like=$WORK/host-like
mkdir -p "$host_like/usr/lib/x86_64-linux-gnu" "$host_like/usr/bin" "$host_like/lib/firmware"
cp -a "$DRIVER_ROOT/lib64/." "$host_like/usr/lib/x86_64-linux-gnu/"
cp -a "$DRIVER_ROOT/bin/." "$host_like/usr/bin/"
if [ -d "$DRIVER_ROOT/firmware" ]; then cp -a "$DRIVER_ROOT/firmware/." "$host_like/lib/firmware/"; fi
log "host-like copy: $(du -sh "$host_like" | cut -f1) in $host_like"

# The image: merged /usr as in ubuntu:22.04, the C library and a few tools from this machine's OS, and an ld cache
# of its own as every image has. Nothing of the driver: the spec must bring all of it.
make_rootfs() {
    local rootfs=$1 file target
    mkdir -p "$rootfs"/usr/{bin,sbin,lib,lib64} "$rootfs"/etc/ld.so.conf.d "$rootfs"/{tmp,proc,sys,dev}
    for d in bin sbin lib lib64; do ln -s "usr/$d" "$rootfs/$d"; done
    echo 'include /etc/ld.so.conf.d/*.conf' >"$rootfs/etc/ld.so.conf"
    printf '/usr/local/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu\n' \
        >"$rootfs/etc/ld.so.conf.d/x86_64-linux-gnu.conf"
    for file in /bin/sh /bin/ls /bin/cat; do
        cp -L "$file" "$rootfs/usr/bin/"
    done
    # The libraries those tools and nvidia-smi need, except the driver's own.
    for file in $( (ldd /bin/sh; ldd /bin/ls; ldd "$DRIVER_ROOT/bin/nvidia-smi") 2>/dev/null \
                   | grep -o '/[^ ]*' | grep -v -e "^$DRIVER_ROOT" -e libnvidia -e libcuda | sort -u); do
        target=$rootfs$file
        mkdir -p "$(dirname "$target")"
        cp -L "$file" "$target"
    done
    ldconfig -r "$rootfs"
}

for layout in driver-root host-like; do
    case $layout in
        driver-root) root=$DRIVER_ROOT ;;
        host-like) root=$host_like ;;
    esac
    log ""
    log "=== layout $layout: driver root $root"
    spec_dir=$WORK/$layout/cdi
    plugin_dir=$WORK/$layout/plugins/gpu.nvidia.com
    mkdir -p "$spec_dir" "$plugin_dir"
    spec=$spec_dir/k8s.gpu.nvidia.com-claim_$CLAIM_UID.json
    CHECK="$layout: discover --cdi writes the claim's CDI spec with the default install's hook choice"
    check logged bash -c "'$JAVA' -cp '$CLASSPATH_DISCOVER' io.alauda.dra.discover.DiscoverCommand --cdi \
        --driver-root '$root' --plugin-dir '$plugin_dir' --image-cdi-hook \"\$PWD/.device/nvidia-cdi-hook\" \
        --check-paths >'$spec'"
    cp "$spec" "$OUT/$layout-spec.json" 2>/dev/null
    oci=$WORK/$layout/oci.json
    CHECK="$layout: cdi-inject (CNCF CDI library) accepts the spec and injects the claim's gpu-0"
    check logged bash -c "./.device/cdi-inject -spec-dir '$spec_dir' 'k8s.gpu.nvidia.com/claim=$CLAIM_UID-gpu-0' >'$oci'"
    cp "$oci" "$OUT/$layout-oci.json" 2>/dev/null

    for hooks in with without; do
        rootfs=$WORK/$layout/rootfs-$hooks-hooks
        make_rootfs "$rootfs" >>"$LOG" 2>&1
        driver_files=$(find "$rootfs" \( -name 'libnvidia*' -o -name 'libcuda*' -o -name 'nvidia-smi' \) | head -5)
        CHECK="$layout, $hooks hooks: the container root holds none of the driver's files before the spec's edits"
        check test -z "$driver_files"
        skip=()
        [ $hooks = without ] && skip=(--skip-hooks)
        log "\$ oci_container.py ${skip[*]} -- nvidia-smi -L   ($layout, $hooks hooks)"
        output=$WORK/$layout/nvidia-smi-$hooks-hooks.txt
        python3 tools/device/oci_container.py --oci "$oci" --rootfs "$rootfs" "${skip[@]}" -- nvidia-smi -L >"$output" 2>&1
        rc=$?
        tee -a "$LOG" <"$output"
        log "  exit $rc"
        if [ $hooks = with ]; then
            CHECK="$layout, with hooks: nvidia-smi -L in the container prints GPU 0 with its UUID"
            check bash -c "[ $rc -eq 0 ] && grep -Eq '$GPU_LINE' '$output'"
        else
            CHECK="$layout, without hooks: nvidia-smi -L in the container fails (the hooks are what make it work)"
            check bash -c "[ $rc -ne 0 ] && ! grep -Eq '$GPU_LINE' '$output'"
        fi
    done
done

log ""
log "result: $([ $failed -eq 0 ] && echo 'every check passed' || echo 'some checks FAILED')"
exit $failed
