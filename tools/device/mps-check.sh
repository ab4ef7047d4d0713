#!/bin/sh
# Runs the MPS control-daemon script the kubelet plugin puts in its daemon Deployment (MpsDeploymentBuilder.script,
# written to $1 for GPU-0bd52ec9-7416-aceb-971a-1ddcaf6d4093 with 50 % threads and a 1024M pinned limit by a few lines
# of Java in package io.alauda.dra.plugin.sharing, as docs/sharing.md says) on a GPU
# machine without Kubernetes: a driver root like the container's /driver-root is laid out under /tmp from the
# machine's /usr/local/nvidia, the UUID is swapped for the machine's first GPU, the daemon is queried through its
# pipe directory and stopped. Changes no GPU setting (no compute mode, no time-slice). Output goes to ${OUT:-.}.
set -u
OUT=${OUT:-.}
ROOT=/tmp/driver-root
NV=/usr/local/nvidia
rm -rf "$ROOT"; mkdir -p "$ROOT/tmp/nvidia-mps" "$ROOT/var/log/nvidia-mps"
ln -s "$NV/bin" "$ROOT/bin"; ln -s "$NV/lib64" "$ROOT/lib64"
UUID=$(LD_LIBRARY_PATH=$NV/lib64 "$NV/bin/nvidia-smi" --query-gpu=uuid --format=csv,noheader | head -1)
sed -e "s#/driver-root#$ROOT#g" -e "s#GPU-0bd52ec9-7416-aceb-971a-1ddcaf6d4093#$UUID#g" "$1" > /tmp/mps-daemon.sh
echo "== the plugin's script, for $UUID"; cat /tmp/mps-daemon.sh
sh /tmp/mps-daemon.sh > "$OUT/mps-daemon.out" 2>&1 &
SCRIPT=$!
i=0; while [ ! -f "$ROOT/var/log/nvidia-mps/startup.log" ] && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
echo "== startup.log after ${i} s: $(cat "$ROOT/var/log/nvidia-mps/startup.log" 2>&1)"
export CUDA_MPS_PIPE_DIRECTORY=$ROOT/tmp/nvidia-mps LD_LIBRARY_PATH=$NV/lib64 PATH=$NV/bin:$PATH
echo "== queries through $CUDA_MPS_PIPE_DIRECTORY"
echo "get_default_active_thread_percentage: $(echo get_default_active_thread_percentage | nvidia-cuda-mps-control)"
echo "get_default_device_pinned_mem_limit: $(echo "get_default_device_pinned_mem_limit $UUID" | nvidia-cuda-mps-control)"
echo "get_server_list: $(echo get_server_list | nvidia-cuda-mps-control)"
echo "pipe dir: $(ls "$ROOT/tmp/nvidia-mps" | tr '\n' ' ')"
echo "daemons: $(pgrep -a nvidia-cuda-mps)"
echo "== quit"
echo quit | nvidia-cuda-mps-control
i=0; while pgrep nvidia-cuda-mps > /dev/null && [ $i -lt 10 ]; do sleep 1; i=$((i + 1)); done
if pgrep -a nvidia-cuda-mps; then echo "daemon still running"; else echo "daemon gone after ${i} s"; fi
kill "$SCRIPT" 2>/dev/null
echo "== control.log"; cat "$ROOT/var/log/nvidia-mps/control.log"
