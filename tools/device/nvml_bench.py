#!/usr/bin/env python3
"""The Python side of the NVML discovery comparison (docs/benchmarks.md): the same NVML calls the plugin's
discovery makes (init, driver and CUDA versions, count, and per GPU its handle, minor number, UUID, name, PCI info,
brand, architecture, compute capability, memory and MIG mode, then shutdown), timed the way DiscoveryBenchmark times
ours: the first run in the process, and the median of the later ones.

Through pynvml (nvidia-ml-py) when it can be imported, else the same calls through ctypes (pynvml_dump.py's two
backends). Standard library only.

    python3 tools/device/nvml_bench.py [--driver-root DIR] [--runs N] [--ctypes]
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pynvml_dump  # noqa: E402  (beside this file)


class Laps(object):
    def __init__(self):
        self.t = time.perf_counter()
        self.laps = []

    def lap(self, call):
        now = time.perf_counter()
        self.laps.append("%s %.2f" % (call, (now - self.t) * 1000))
        self.t = now


def discover(nvml, laps):
    nvml.init()
    laps.lap("init")
    try:
        nvml.driver_version()
        laps.lap("driverVersion")
        nvml.cuda_driver_version()
        laps.lap("cudaVersion")
        count = nvml.count()
        laps.lap("count")
        for index in range(count):
            h = nvml.handle(index)
            nvml.minor(h)
            laps.lap("handle+minor")
            for call in ("uuid", "name_of", "pci_bus_id", "brand", "architecture", "compute_capability",
                         "memory_total", "mig_mode"):
                getattr(nvml, call)(h)
                laps.lap(call)
    finally:
        nvml.shutdown()
        laps.lap("shutdown")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--driver-root", default=os.environ.get("DRIVER_ROOT", "/"))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--ctypes", action="store_true", help="use the ctypes backend even where pynvml imports")
    parser.add_argument("--calls", action="store_true", help="print each call's time in the first two runs")
    args = parser.parse_args()

    start = time.perf_counter()
    if args.ctypes:
        nvml, note = pynvml_dump.CtypesBackend(args.driver_root), "asked for"
    else:
        nvml, note = pynvml_dump.backend(args.driver_root)
    bind_ms = (time.perf_counter() - start) * 1000
    times = []
    passes = []
    for _ in range(args.runs):
        t = time.perf_counter()
        laps = Laps()
        discover(nvml, laps)
        times.append((time.perf_counter() - t) * 1000)
        passes.append(laps.laps)
    print("python %s, %s%s" % (sys.version.split()[0], nvml.name, " (%s)" % note if note else ""))
    print("library import/bind: %.1f ms" % bind_ms)
    print("NVML discovery: first %.1f ms; later runs median %.2f ms, max %.2f ms over %d"
          % (times[0], statistics.median(times[1:]), max(times[1:]), len(times) - 1))
    if args.calls:
        for number, laps in enumerate(passes[:2], 1):
            print("pass %d: %s" % (number, " ".join(laps)))


if __name__ == "__main__":
    main()
