# The two commands a newcomer needs (see README.md).
.PHONY: run test

## Start a local Kubernetes control plane, install everything, run the operator and show a sample rollout.
run:
	@bash hack/run-local.sh

## Run all tests (builds the local control plane on first use).
test:
	@bash hack/test.sh

.PHONY: node node-down
## A local cluster "node" with one real node (containerd, kubelet, kube-proxy, CoreDNS; no kwok nodes), smoke-checked.
## Builds what it needs on first use (about 5 min). See hack/node/README.md. Stop it with: make node-down
node:
	@CLUSTER_REAL_NODE=1 CLUSTER_NODES=0 bash hack/control-plane/cluster.sh up node >/dev/null
	@bash hack/node/node.sh up node
	@bash hack/node/smoke.sh node
	@echo "export KUBECONFIG=$$(bash hack/control-plane/cluster.sh kubeconfig node)"

node-down:
	@bash hack/control-plane/cluster.sh down node

.PHONY: node-e2e
## The JUnit end-to-end test on a real node (RealNodeE2E; its own cluster, removed afterwards). Not part of make test.
node-e2e:
	@bash hack/node/build.sh >/dev/null
	@mvn -B -ntp test-compile failsafe:integration-test failsafe:verify -Dit.test=RealNodeE2E -Dfailsafe.failIfNoSpecifiedTests=true

.PHONY: cert-manager-it
## CertManagerIssuanceIT: a real cert-manager (built once from its Go library module, hack/cert-manager/) issuing the
## operator's Certificates on real ProxySQL pods, alone. Builds what it needs on first use. Also part of make test.
cert-manager-it:
	@bash hack/test-prerequisites.sh
	@bash hack/control-plane/build.sh >/dev/null
	@bash hack/proxysql/build.sh >/dev/null
	@bash hack/cert-manager/build.sh >/dev/null
	@mvn -B -ntp verify -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=CertManagerIssuanceIT -Dfailsafe.failIfNoSpecifiedTests=true

.PHONY: e2e
## End to end on a real node (ProxySqlOnRealNodeE2E): the operator's Deployment (kubectl apply -k deploy/install; E2E_OPERATOR=jvm
## runs it in the test JVM), MariaDB + a 3-replica ProxySQL, UpdateVersion under client load with the operator pod deleted,
## Restart, VerticalScaling, HorizontalScaling 3 -> 5 -> 3, RotateAuth, ReconfigureTLS add/rotate/remove, a failed target rolled back. Builds what it needs on first use; its own cluster, removed afterwards. Root. Not part
## of make test. See README.md ("End-to-end on a real node").
e2e:
	@bash hack/e2e.sh
