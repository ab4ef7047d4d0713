#!/usr/bin/env python3
"""Prints, as JSON, what NVML says about each GPU of this machine: the facts discover turns into devices, taken
through a second, independent path, so the two can be compared.

Uses pynvml (nvidia-ml-py) when it can be imported; otherwise the same calls through ctypes, so it also runs where
nothing can be installed. Standard library only; Python 3.6 or newer.

    python3 tools/device/pynvml_dump.py [--driver-root DIR] [--sysfs DIR]

--driver-root (default $DRIVER_ROOT, else /) is where libnvidia-ml.so.1 is looked for when the loader cannot find it
by name; --sysfs (default /sys) is where numa_node is read. A call that fails is recorded as
{"error": "NVML_ERROR_...", "code": N} in place of its value; the script exits 0 unless NVML cannot start at all.
"""

import argparse
import ctypes
import json
import os
import sys

# nvmlReturn_t names, for errors from either backend.
RETURN_NAMES = {
    1: "NVML_ERROR_UNINITIALIZED", 2: "NVML_ERROR_INVALID_ARGUMENT", 3: "NVML_ERROR_NOT_SUPPORTED",
    4: "NVML_ERROR_NO_PERMISSION", 5: "NVML_ERROR_ALREADY_INITIALIZED", 6: "NVML_ERROR_NOT_FOUND",
    7: "NVML_ERROR_INSUFFICIENT_SIZE", 8: "NVML_ERROR_INSUFFICIENT_POWER", 9: "NVML_ERROR_DRIVER_NOT_LOADED",
    10: "NVML_ERROR_TIMEOUT", 11: "NVML_ERROR_IRQ_ISSUE", 12: "NVML_ERROR_LIBRARY_NOT_FOUND",
    13: "NVML_ERROR_FUNCTION_NOT_FOUND", 14: "NVML_ERROR_CORRUPTED_INFOROM", 15: "NVML_ERROR_GPU_IS_LOST",
    16: "NVML_ERROR_RESET_REQUIRED", 17: "NVML_ERROR_OPERATING_SYSTEM", 18: "NVML_ERROR_LIB_RM_VERSION_MISMATCH",
    19: "NVML_ERROR_IN_USE", 20: "NVML_ERROR_MEMORY", 21: "NVML_ERROR_NO_DATA",
    22: "NVML_ERROR_VGPU_ECC_NOT_ENABLED", 23: "NVML_ERROR_INSUFFICIENT_RESOURCES",
    24: "NVML_ERROR_FREQ_NOT_SUPPORTED", 25: "NVML_ERROR_ARGUMENT_VERSION_MISMATCH", 26: "NVML_ERROR_DEPRECATED",
    27: "NVML_ERROR_NOT_READY", 28: "NVML_ERROR_GPU_NOT_FOUND", 29: "NVML_ERROR_INVALID_STATE",
    999: "NVML_ERROR_UNKNOWN",
}

# go-nvlib's GetBrandAsString (pkg/nvlib/device), which is what the upstream DRA driver publishes as `brand`.
# Written from go-nvlib, not from this repository's table, so that a mismatch between the two shows up.
GO_NVLIB_BRANDS = {
    0: "Unknown", 1: "Quadro", 2: "Tesla", 3: "NVS", 4: "Grid", 5: "GeForce", 6: "Titan", 7: "NvidiaVApps",
    8: "NvidiaVPC", 9: "NvidiaVCS", 10: "NvidiaVWS", 11: "NvidiaCloudGaming", 12: "QuadroRTX", 13: "NvidiaRTX",
    14: "Nvidia", 15: "GeForceRTX", 16: "TitanRTX",
}

LIBRARY = "libnvidia-ml.so.1"
LIBRARY_DIRS = ["lib64", "usr/lib64", "usr/lib/x86_64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib/x86_64-linux-gnu",
                "lib/aarch64-linux-gnu", "usr/lib", "lib", "."]


class NvmlCallError(Exception):
    def __init__(self, code):
        Exception.__init__(self, RETURN_NAMES.get(code, "NVML return %d" % code))
        self.code = code


def text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


class PynvmlBackend(object):
    """pynvml as it is; its NVMLError carries the return code in .value."""

    def __init__(self, pynvml):
        self.nvml = pynvml
        version = getattr(pynvml, "__version__", None)
        self.name = "pynvml" + (" " + version if version else "")

    def call(self, function, *args):
        try:
            return getattr(self.nvml, function)(*args)
        except self.nvml.NVMLError as e:
            raise NvmlCallError(e.value)

    def init(self):
        self.call("nvmlInit")

    def shutdown(self):
        self.call("nvmlShutdown")

    def driver_version(self):
        return text(self.call("nvmlSystemGetDriverVersion"))

    def cuda_driver_version(self):
        if hasattr(self.nvml, "nvmlSystemGetCudaDriverVersion_v2"):
            return self.call("nvmlSystemGetCudaDriverVersion_v2")
        return self.call("nvmlSystemGetCudaDriverVersion")

    def count(self):
        return self.call("nvmlDeviceGetCount")

    def handle(self, index):
        return self.call("nvmlDeviceGetHandleByIndex", index)

    def minor(self, h):
        return self.call("nvmlDeviceGetMinorNumber", h)

    def uuid(self, h):
        return text(self.call("nvmlDeviceGetUUID", h))

    def name_of(self, h):
        return text(self.call("nvmlDeviceGetName", h))

    def brand(self, h):
        return self.call("nvmlDeviceGetBrand", h)

    def architecture(self, h):
        return self.call("nvmlDeviceGetArchitecture", h)

    def compute_capability(self, h):
        major, minor = self.call("nvmlDeviceGetCudaComputeCapability", h)
        return major, minor

    def pci_bus_id(self, h):
        return text(self.call("nvmlDeviceGetPciInfo", h).busId)

    def memory_total(self, h):
        return self.call("nvmlDeviceGetMemoryInfo", h).total

    def mig_mode(self, h):
        current, pending = self.call("nvmlDeviceGetMigMode", h)
        return current, pending


class PciInfo(ctypes.Structure):
    # nvmlPciInfo_t as nvmlDeviceGetPciInfo_v3 fills it.
    _fields_ = [("busIdLegacy", ctypes.c_char * 16), ("domain", ctypes.c_uint), ("bus", ctypes.c_uint),
                ("device", ctypes.c_uint), ("pciDeviceId", ctypes.c_uint), ("pciSubSystemId", ctypes.c_uint),
                ("busId", ctypes.c_char * 32)]


class Memory(ctypes.Structure):
    _fields_ = [("total", ctypes.c_ulonglong), ("free", ctypes.c_ulonglong), ("used", ctypes.c_ulonglong)]


class CtypesBackend(object):
    """The same calls straight through ctypes, for a machine without pynvml."""

    def __init__(self, driver_root):
        self.lib, path = self.load(driver_root)
        self.name = "ctypes (%s)" % path

    @staticmethod
    def load(driver_root):
        try:
            return ctypes.CDLL(LIBRARY), LIBRARY
        except OSError:
            pass
        for directory in LIBRARY_DIRS:
            path = os.path.normpath(os.path.join(driver_root, directory, LIBRARY))
            if os.path.exists(path):
                return ctypes.CDLL(path), path
        raise OSError("%s not found by the loader nor under %s" % (LIBRARY, driver_root))

    def check(self, function, *args):
        try:
            fn = getattr(self.lib, function)
        except AttributeError:
            raise NvmlCallError(13)
        ret = fn(*args)
        if ret != 0:
            raise NvmlCallError(ret)

    def init(self):
        self.check("nvmlInit_v2")

    def shutdown(self):
        self.check("nvmlShutdown")

    def driver_version(self):
        buf = ctypes.create_string_buffer(96)
        self.check("nvmlSystemGetDriverVersion", buf, ctypes.c_uint(96))
        return text(buf.value)

    def cuda_driver_version(self):
        value = ctypes.c_int()
        try:
            self.check("nvmlSystemGetCudaDriverVersion_v2", ctypes.byref(value))
        except NvmlCallError as e:
            if e.code != 13:
                raise
            self.check("nvmlSystemGetCudaDriverVersion", ctypes.byref(value))
        return value.value

    def count(self):
        value = ctypes.c_uint()
        self.check("nvmlDeviceGetCount_v2", ctypes.byref(value))
        return value.value

    def handle(self, index):
        h = ctypes.c_void_p()
        self.check("nvmlDeviceGetHandleByIndex_v2", ctypes.c_uint(index), ctypes.byref(h))
        return h

    def minor(self, h):
        value = ctypes.c_uint()
        self.check("nvmlDeviceGetMinorNumber", h, ctypes.byref(value))
        return value.value

    def string(self, function, h):
        buf = ctypes.create_string_buffer(96)
        self.check(function, h, buf, ctypes.c_uint(96))
        return text(buf.value)

    def uuid(self, h):
        return self.string("nvmlDeviceGetUUID", h)

    def name_of(self, h):
        return self.string("nvmlDeviceGetName", h)

    def brand(self, h):
        value = ctypes.c_int()
        self.check("nvmlDeviceGetBrand", h, ctypes.byref(value))
        return value.value

    def architecture(self, h):
        value = ctypes.c_uint()
        self.check("nvmlDeviceGetArchitecture", h, ctypes.byref(value))
        return value.value

    def compute_capability(self, h):
        major, minor = ctypes.c_int(), ctypes.c_int()
        self.check("nvmlDeviceGetCudaComputeCapability", h, ctypes.byref(major), ctypes.byref(minor))
        return major.value, minor.value

    def pci_bus_id(self, h):
        info = PciInfo()
        self.check("nvmlDeviceGetPciInfo_v3", h, ctypes.byref(info))
        return text(info.busId)

    def memory_total(self, h):
        memory = Memory()
        self.check("nvmlDeviceGetMemoryInfo", h, ctypes.byref(memory))
        return memory.total

    def mig_mode(self, h):
        current, pending = ctypes.c_uint(), ctypes.c_uint()
        self.check("nvmlDeviceGetMigMode", h, ctypes.byref(current), ctypes.byref(pending))
        return current.value, pending.value


def backend(driver_root):
    try:
        import pynvml
        return PynvmlBackend(pynvml), None
    except ImportError as e:
        return CtypesBackend(driver_root), "pynvml not importable (%s)" % e


def attempt(fn, *args):
    """The value, or the NVML error in its place: one unsupported call must not hide the other facts."""
    try:
        return fn(*args)
    except NvmlCallError as e:
        return {"error": str(e), "code": e.code}


def sysfs_bdf(nvml_bus_id):
    """NVML's 00000000:18:00.0 as sysfs names it: 0000:18:00.0, lower case."""
    domain, _, rest = nvml_bus_id.partition(":")
    return (domain[-4:].rjust(4, "0") + ":" + rest).lower()


def numa_node(sysfs, bus_id):
    if not isinstance(bus_id, str):
        return None
    path = os.path.join(sysfs, "bus/pci/devices", sysfs_bdf(bus_id), "numa_node")
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (IOError, OSError, ValueError) as e:
        return {"error": "%s: %s" % (path, e)}


def gpu(nvml, index, sysfs):
    try:
        h = nvml.handle(index)
    except NvmlCallError as e:
        return {"index": index, "error": "nvmlDeviceGetHandleByIndex: %s" % e, "code": e.code}
    bus_id = attempt(nvml.pci_bus_id, h)
    brand = attempt(nvml.brand, h)
    cc = attempt(nvml.compute_capability, h)
    mig = attempt(nvml.mig_mode, h)
    return {
        "index": index,
        "minorNumber": attempt(nvml.minor, h),
        "uuid": attempt(nvml.uuid, h),
        "name": attempt(nvml.name_of, h),
        "brand": brand,
        "brandName": GO_NVLIB_BRANDS.get(brand) if isinstance(brand, int) else None,
        "architecture": attempt(nvml.architecture, h),
        "cudaComputeCapability": "%d.%d" % cc if isinstance(cc, tuple) else cc,
        "pciBusId": bus_id,
        "memoryTotalBytes": attempt(nvml.memory_total, h),
        "migMode": {"current": mig[0], "pending": mig[1]} if isinstance(mig, tuple) else mig,
        "numaNode": numa_node(sysfs, bus_id),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--driver-root", default=os.environ.get("DRIVER_ROOT") or "/")
    parser.add_argument("--sysfs", default="/sys")
    args = parser.parse_args()

    nvml, note = backend(args.driver_root)
    out = {"backend": nvml.name}
    if note:
        out["backendNote"] = note
    try:
        nvml.init()
    except NvmlCallError as e:
        out["error"] = "nvmlInit: %s" % e
        print(json.dumps(out, indent=2))
        return 2
    try:
        out["driverVersion"] = attempt(nvml.driver_version)
        out["cudaDriverVersion"] = attempt(nvml.cuda_driver_version)
        count = attempt(nvml.count)
        out["deviceCount"] = count
        out["gpus"] = [gpu(nvml, i, args.sysfs) for i in range(count)] if isinstance(count, int) else []
    finally:
        attempt(nvml.shutdown)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
