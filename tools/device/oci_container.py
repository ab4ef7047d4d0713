#!/usr/bin/env python3
"""Runs a command in a container root the way runc would after a CDI injection, without a container engine.

Test tool for the GPU machine (tools/device/cdi-container.sh), which has no containerd, runc or Docker. It takes the
OCI runtime spec that cdi-inject (tools/cdi-hook, the CNCF CDI library containerd and podman use) produced from a
claim's CDI spec, and in a private mount namespace of its own:

  1. makes the container's /dev a tmpfs with runc's default nodes, then every device node of the spec (mknod with
     the spec's major/minor; where the kernel refuses mknod, as gVisor does, a bind mount of the host's node with the
     same numbers, as rootless runc does);
  2. mounts /proc and a read-only /sys;
  3. bind-mounts every mount of the spec, read-only where the spec says so;
  4. runs the spec's createContainer hooks in order, each with the OCI state on standard input and the bundle's
     config.json naming the container root, as runc does; a failing hook fails the container (as with runc);
  5. chroots into the root and runs the command with the spec's process environment.

Everything it mounts disappears with its mount namespace when it exits. Exit code: the command's, or 125 when the
container could not be set up (the step is named on standard error).

    oci_container.py --oci OCI.json --rootfs DIR [--skip-hooks] -- COMMAND [ARG...]
"""
import argparse
import json
import os
import stat
import subprocess
import sys
import tempfile

SETUP_FAILED = 125
UNSHARED = "OCI_CONTAINER_UNSHARED"
HOOK_TIMEOUT_S = 60
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# runc's default devices (libcontainer/specconv AllowedDevices): every container has them.
DEFAULT_DEVICES = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"]


class SetupError(Exception):
    pass


def log(message):
    print("oci_container: " + message, file=sys.stderr, flush=True)


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise SetupError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return result


def inside(rootfs, container_path):
    """The host path of a container path, links inside the root followed, never leaving the root."""
    target = os.path.realpath(os.path.join(rootfs, container_path.lstrip("/")))
    if target != rootfs and not target.startswith(rootfs + os.sep):
        raise SetupError(f"container path {container_path} resolves outside the root ({target})")
    return target


def bind(source, target, read_only):
    run(["mount", "--bind", source, target])
    if read_only:
        run(["mount", "-o", "remount,bind,ro", target])


def make_target(source, target):
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target):
            open(target, "a").close()


def device_node(rootfs, path, major, minor, mode):
    target = inside(rootfs, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.mknod(target, mode | stat.S_IFCHR, os.makedev(major, minor))
        os.chmod(target, mode)
        return "mknod"
    except OSError as refused:
        # The host's node with the same numbers, as rootless runc binds /dev entries it may not create.
        host = os.stat(path) if os.path.exists(path) else None
        if host is None or not stat.S_ISCHR(host.st_mode) or (os.major(host.st_rdev), os.minor(host.st_rdev)) != (major, minor):
            raise SetupError(f"mknod {path} ({major}:{minor}) refused ({refused.strerror}) and the host has no {path} "
                             f"with those numbers to bind")
        if os.path.exists(target):
            os.unlink(target)
        open(target, "a").close()
        bind(path, target, read_only=False)
        return f"bind of the host's node (mknod: {refused.strerror})"


def prepare_root(oci, rootfs):
    run(["mount", "--make-rprivate", "/"])
    # pivot_root, which update-ldcache uses on the root, needs it to be a mount point, as runc's is.
    run(["mount", "--bind", rootfs, rootfs])
    dev = inside(rootfs, "/dev")
    os.makedirs(dev, exist_ok=True)
    run(["mount", "-t", "tmpfs", "-o", "mode=755,nosuid", "tmpfs", dev])
    for path in DEFAULT_DEVICES:
        if os.path.exists(path):
            st = os.stat(path)
            device_node(rootfs, path, os.major(st.st_rdev), os.minor(st.st_rdev), 0o666)
    for node in oci.get("linux", {}).get("devices", []):
        how = device_node(rootfs, node["path"], node["major"], node["minor"], node.get("fileMode", 0o666))
        log(f"device {node['path']} {node['major']}:{node['minor']}: {how}")
    proc = inside(rootfs, "/proc")
    os.makedirs(proc, exist_ok=True)
    run(["mount", "-t", "proc", "proc", proc])
    sys_dir = inside(rootfs, "/sys")
    os.makedirs(sys_dir, exist_ok=True)
    bind("/sys", sys_dir, read_only=True)
    for mount in oci.get("mounts", []):
        source, options = mount["source"], mount.get("options", [])
        if not os.path.exists(source):
            raise SetupError(f"mount source {source} (for {mount['destination']}) does not exist")
        target = inside(rootfs, mount["destination"])
        make_target(source, target)
        bind(source, target, read_only="ro" in options)
        log(f"mount {source} -> {mount['destination']} ({','.join(options)})")


def run_hooks(oci, rootfs, bundle):
    config = dict(oci)
    config["root"] = {"path": rootfs}
    with open(os.path.join(bundle, "config.json"), "w") as f:
        json.dump(config, f)
    state = json.dumps({"ociVersion": oci.get("ociVersion", "1.0.2"), "id": "cdi-container", "status": "creating",
                        "pid": os.getpid(), "bundle": bundle})
    for hook in oci.get("hooks", {}).get("createContainer", []):
        args = hook.get("args") or [hook["path"]]
        env = dict(e.split("=", 1) for e in hook.get("env", []))
        result = subprocess.run(args, executable=hook["path"], input=state, capture_output=True,
                                text=True, env=env, timeout=hook.get("timeout", HOOK_TIMEOUT_S))
        log(f"hook {' '.join(args)}: exit {result.returncode}"
            + (f"; stderr: {result.stderr.strip()}" if result.stderr.strip() else ""))
        if result.returncode != 0:
            raise SetupError(f"createContainer hook {' '.join(args)} failed with exit code {result.returncode}")


def run_command(oci, rootfs, command):
    env = {"PATH": DEFAULT_PATH}
    env.update(dict(e.split("=", 1) for e in oci.get("process", {}).get("env", [])))

    def enter():
        os.chroot(rootfs)
        os.chdir("/")

    log(f"running {' '.join(command)} in the container root with {sorted(k for k in env if k != 'PATH')}")
    return subprocess.run(command, env=env, preexec_fn=enter).returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--oci", required=True, help="OCI runtime spec from cdi-inject")
    parser.add_argument("--rootfs", required=True, help="the container root (the image's files)")
    parser.add_argument("--skip-hooks", action="store_true", help="leave the spec's hooks out, to show what they do")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    with open(args.oci) as f:
        oci = json.load(f)
    rootfs = os.path.realpath(args.rootfs)
    if hasattr(os, "unshare"):
        os.unshare(os.CLONE_NEWNS)
    elif os.environ.get(UNSHARED) != "1":
        # Python before 3.12 has no os.unshare; util-linux's unshare gives the same private mount namespace.
        os.execvpe("unshare", ["unshare", "--mount", sys.executable, *sys.argv], {**os.environ, UNSHARED: "1"})
    try:
        prepare_root(oci, rootfs)
        if args.skip_hooks:
            log("hooks skipped (--skip-hooks)")
        else:
            with tempfile.TemporaryDirectory(prefix="oci-bundle-") as bundle:
                run_hooks(oci, rootfs, bundle)
    except (SetupError, OSError, subprocess.TimeoutExpired) as e:
        log(f"container setup failed: {e}")
        return SETUP_FAILED
    return run_command(oci, rootfs, args.command)


if __name__ == "__main__":
    sys.exit(main())
