# Everything runs through Maven; JDK 17+ and Maven 3.8+ are all a build needs.
# Targets marked (*) need tools this machine lacks: a Docker engine (image, and native without GraalVM),
# GraalVM/Mandrel (native), a cluster and kubectl (deploy, undeploy). They are written to be correct there;
# docs/images.md and docs/install.md say what each needs.
MVN ?= mvn -B
VERSION ?= $(shell sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
# The one image of every role. The committed manifests and bundle name the project's image (pom.xml properties
# delivery.image.repository and delivery.image.digest; a release pins the digest there, docs/images.md). IMAGE and IMAGE_DIGEST
# here only change what make image tags and what make deploy applies.
PROJECT_IMAGE := ghcr.io/alauda/nvidia-dra-driver
IMAGE ?= $(PROJECT_IMAGE)
IMAGE_DIGEST ?=
DEPLOY_IMAGE := $(if $(IMAGE_DIGEST),$(IMAGE)@$(IMAGE_DIGEST),$(IMAGE):$(VERSION))
DOCKER ?= docker
KUBECTL ?= kubectl
MANIFESTS := deploy/install/nvidia-dra-driver-operator.yaml
SAMPLE := src/main/kubernetes/samples/nvidiadradriver.yaml

.PHONY: help build test k8s tools-olm run run-cluster bench bench-operator bench-operator-real bench-plugin bench-plugin-soak bench-nvml bench-doctor bench-prepare bench-controller bench-controller-real manifests bundle image native deploy undeploy

build:            ## compile and package the one image's jar (target/quarkus-app)
	$(MVN) package -DskipTests

# The real control plane of the e2e suites: Kubernetes release K8S_MINOR (a folder tools/k8s/v<minor>), built from
# pinned Go modules into ~/.cache/nvidia-dra-driver/tools (DRA_TOOLS_CACHE) once per version. docs/testing.md.
K8S_MINOR ?= 1.34

test:             ## every test: unit, mock API, real control plane (builds it first if missing; installs promtool if missing). CI runs this
	./tools/ensure-promtool.sh
	./tools/k8s/build.sh $(K8S_MINOR) >/dev/null
	./tools/olm/build.sh >/dev/null
	./tools/cdi-hook/build.sh >/dev/null
	$(MVN) verify -Dk8s.minor=$(K8S_MINOR) -Dk8s.bin="$$(./tools/k8s/build.sh $(K8S_MINOR))" -Dcdi.tools="$$(./tools/cdi-hook/build.sh)"

tools-olm:        ## build the pinned operator-framework bundle validator (tools/olm) into the tools cache
	./tools/olm/build.sh

k8s:              ## build (or find in the cache) kube-apiserver, kube-scheduler, kube-controller-manager, kubectl, etcd of K8S_MINOR
	./tools/k8s/build.sh $(K8S_MINOR)

RUN_ARGS ?=
run:              ## the operator against an embedded Kubernetes API server, until Ctrl-C (RUN_ARGS=--exit-when-ready ends once Ready)
	$(MVN) -Pembedded verify $(if $(RUN_ARGS),-Dexec.args="$(RUN_ARGS)")

run-cluster:      ## the real control plane (K8S_MINOR), two simulated GPU nodes running the plugin, the operator's install, the seed's workload allocated and prepared; prints what a user looks at, until Ctrl-C (RUN_ARGS=--exit-when-ready ends once printed). As root (mknod)
	$(MVN) -q package -DskipTests
	$(EXEC_JAVA) -Dexec.mainClass=io.alauda.dra.realcluster.RunCluster -Dk8s.minor=$(K8S_MINOR) -Dk8s.bin="$$(./tools/k8s/build.sh $(K8S_MINOR))" $(if $(RUN_ARGS),-Dexec.args="$(RUN_ARGS)")

bench:            ## every benchmark (about 15 minutes); numbers go to docs/benchmarks.md by hand, with machine and date
	$(MVN) -q package -DskipTests
	$(MAKE) bench-operator bench-operator-real bench-plugin bench-plugin-soak bench-prepare bench-controller bench-controller-real

EXEC_JAVA = $(MVN) -q org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test -Dexec.cleanupDaemonThreads=false

bench-operator:   ## CR create to all objects present; API writes of a reconcile with nothing to change
	$(EXEC_JAVA) -Dexec.mainClass=io.alauda.dra.bench.operator.OperatorBenchmark

bench-operator-real: ## the same on the real control plane (K8S_MINOR): create-to-installed, idle requests per minute from the audit log
	./tools/k8s/build.sh $(K8S_MINOR) >/dev/null
	$(EXEC_JAVA) -Dexec.mainClass=io.alauda.dra.bench.operator.RealClusterOperatorBenchmark -Dk8s.minor=$(K8S_MINOR)

bench-plugin:     ## kubelet-plugin process: start to ResourceSlice published, resident memory with the shipped JVM options
	$(EXEC_JAVA) -Dexec.mainClass=io.alauda.dra.bench.plugin.PluginProcessBenchmark

bench-plugin-soak: ## kubelet-plugin process: resident memory after 1,000 prepare/unprepare pairs and 100 bad requests, and after 1,000 more; prepare latency client side
	$(EXEC_JAVA) -Dexec.mainClass=io.alauda.dra.bench.plugin.PluginSoakBenchmark

bench-nvml:       ## on a GPU machine: NVML discovery through our binding and through pynvml, same calls, same run
	$(MVN) -q -o package -DskipTests && tools/device/prepare.sh >/dev/null
	java -cp '.device/classes:.device/*' io.alauda.dra.bench.discovery.DiscoveryBenchmark --driver-root $${DRIVER_ROOT:-/} --calls
	java -cp '.device/classes:.device/*' io.alauda.dra.bench.discovery.DiscoveryBenchmark --driver-root $${DRIVER_ROOT:-/} --runs 20
	python3 tools/device/nvml_bench.py --driver-root $${DRIVER_ROOT:-/} --runs 20 --calls

bench-doctor:     ## the claim doctor: explain one claim against 8,000 devices (1,000 slices x 8)
	$(MVN) -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:exec -Dexec.executable=java -Dexec.classpathScope=test \
		-Dexec.args="-cp %classpath io.alauda.dra.bench.doctor.DoctorBenchmark"

bench-prepare:    ## NodePrepareResources latency through the Unix socket, one claim and 100 concurrent
	$(EXEC_JAVA) -Dexec.mainClass=io.alauda.dra.bench.plugin.PrepareLatencyBench

bench-controller: ## 1,000 nodes x 8 GPUs, 20,000 claims: time to metrics, change latency, heap, render time
	$(MVN) -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:exec -Dexec.executable=java -Dexec.classpathScope=test \
		-Dexec.args="-Xmx2g -cp %classpath io.alauda.dra.bench.controller.ControllerBenchmark"

bench-controller-real: ## the same against the real control plane (K8S_MINOR): the API server's own lists, over HTTPS
	./tools/k8s/build.sh $(K8S_MINOR) >/dev/null
	$(MVN) -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:exec -Dexec.executable=java -Dexec.classpathScope=test \
		-Dexec.args="-Xmx2g -Dk8s.minor=$(K8S_MINOR) -cp %classpath io.alauda.dra.bench.controller.ControllerBenchmark --real 1"

help:             ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

manifests:        ## plain install manifests (deploy/install/) from the build: CRD, @RBACRule permissions, Deployment
	$(MVN) -Pdelivery package -DskipTests -Ddelivery.args=manifests

bundle:           ## OLM bundle in bundle/ (CSV, CRD, annotations, scorecard, bundle.Dockerfile) from the same sources
	$(MVN) -Pdelivery package -DskipTests -Ddelivery.args=bundle

image: build      ## (*) the JVM image IMAGE:VERSION from src/main/docker/Dockerfile.jvm; needs a Docker engine
	$(DOCKER) build -f src/main/docker/Dockerfile.jvm -t $(IMAGE):$(VERSION) .

native:           ## (*) native executable (tools/native/build.sh; GRAALVM_HOME=<GraalVM or Mandrel> uses that) and image IMAGE:VERSION-native; here the builder assembled from Maven Central stops at the blocker in docs/native.md
	bash tools/native/build.sh app
	$(DOCKER) build -f src/main/docker/Dockerfile.native -t $(IMAGE):$(VERSION)-native .

deploy:           ## (*) install the operator (the plain manifests, with IMAGE), then the default NvidiaDraDriver, on the cluster kubectl points at
	sed 's|$(PROJECT_IMAGE):$(VERSION)|$(DEPLOY_IMAGE)|g' $(MANIFESTS) | $(KUBECTL) apply -f -
	$(KUBECTL) wait --for=condition=Established --timeout=60s crd/nvidiadradrivers.dra.alauda.io
	$(KUBECTL) -n nvidia-dra-driver-operator rollout status deployment/nvidia-dra-driver-operator --timeout=180s
	$(KUBECTL) apply -f $(SAMPLE)

undeploy:         ## (*) delete every NvidiaDraDriver, wait until the operator has removed the driver, then the operator
	-$(KUBECTL) delete nvidiadradrivers --all --wait=true --timeout=300s
	$(KUBECTL) delete --ignore-not-found -f $(MANIFESTS)
