// cdi-inject applies CDI specs the way containerd and podman do, through the CNCF library they use
// (tags.cncf.io/container-device-interface pkg/cdi): it loads every spec in a directory, injects the named
// devices into a minimal OCI runtime spec and prints the result as JSON. It is a test tool only: the driver's own
// code never runs it, so a spec our code writes is checked by a real consumer, not by our own reading of it.
//
//	cdi-inject -spec-dir /var/run/cdi k8s.gpu.nvidia.com/claim=<uid>-gpu-0 [...]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"

	oci "github.com/opencontainers/runtime-spec/specs-go"
	"tags.cncf.io/container-device-interface/pkg/cdi"
)

func main() {
	specDir := flag.String("spec-dir", "/var/run/cdi", "directory of CDI spec files")
	flag.Parse()
	if flag.NArg() == 0 {
		fail("name at least one fully qualified CDI device (vendor/class=name)")
	}
	cache, err := cdi.NewCache(cdi.WithSpecDirs(*specDir), cdi.WithAutoRefresh(false))
	if err != nil {
		fail("loading %s: %v", *specDir, err)
	}
	// A spec the library rejects is left out of the cache silently; say why, or the injection error below
	// ("unresolvable CDI devices") hides the cause.
	errs := cache.GetErrors()
	paths := make([]string, 0, len(errs))
	for path := range errs {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		for _, e := range errs[path] {
			fmt.Fprintf(os.Stderr, "spec %s: %v\n", path, e)
		}
	}
	spec := &oci.Spec{Version: oci.Version, Process: &oci.Process{Args: []string{"true"}}, Root: &oci.Root{Path: "rootfs"},
		Linux: &oci.Linux{}}
	if unresolved, err := cache.InjectDevices(spec, flag.Args()...); err != nil {
		fail("injecting %v (unresolved %v): %v", flag.Args(), unresolved, err)
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	if err := out.Encode(spec); err != nil {
		fail("writing the OCI spec: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "cdi-inject: "+format+"\n", args...)
	os.Exit(1)
}
