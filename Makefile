# The two commands a newcomer needs (see README.md).
.PHONY: run test

## Start a local Kubernetes control plane, install everything, run the operator and show a sample rollout.
run:
	@bash hack/run-local.sh

## Run all tests (builds the local control plane on first use).
test:
	@bash hack/test.sh
