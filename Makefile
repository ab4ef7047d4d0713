# Everything runs through Maven; JDK 17+ and Maven 3.8+ are all a build needs.
# Targets marked (*) need tools this machine may lack: a Docker engine, GraalVM/Mandrel, a cluster.
MVN ?= mvn -B
IMAGE ?= ghcr.io/alauda/nvidia-dra-driver
VERSION ?= 0.1.0

.PHONY: build test run bench manifests bundle image native deploy undeploy

build:            ## compile and package the one image's jar (target/quarkus-app)
	$(MVN) package -DskipTests

test:             ## every test; installs promtool if missing (CI runs this through .ci/run)
	./tools/ensure-promtool.sh
	$(MVN) verify

run:              ## the operator against an embedded Kubernetes API server, until Ctrl-C
	$(MVN) -Pembedded verify

bench:            ## benchmarks; they print numbers, recorded in docs/benchmarks.md
	@echo "bench targets are added by the benchmark runners" && exit 1

manifests:        ## plain install manifests for kubectl apply
	@echo "not yet" && exit 1

bundle:           ## OLM bundle in bundle/
	@echo "not yet" && exit 1

image:            ## (*) container image, needs a Docker engine
	@echo "not yet" && exit 1

native:           ## (*) native executable, needs GraalVM or Mandrel
	@echo "not yet" && exit 1

deploy:           ## (*) install the operator on the cluster kubectl points at
	@echo "not yet" && exit 1

undeploy:         ## (*) remove the operator from the cluster
	@echo "not yet" && exit 1
