# syntax=docker/dockerfile:1
# The operator's container image: the shaded jar on a Java 17 runtime, run as the non-root user 65532 (the
# Deployment in deploy/install runs it so, under the restricted Pod Security Standard, with a read-only root
# filesystem and /tmp as an emptyDir).
#
#   docker build -t ghcr.io/proxysql-operator/proxysql-operator:0.1.0 .
#
# Base images are tags here; pin them by digest in a release pipeline (ARG MAVEN_IMAGE=...@sha256:...).
# DockerfileTest keeps this file consistent with the pom (Java release, jar name) and the Deployment (user).
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${MAVEN_IMAGE} AS build
WORKDIR /workspace
# Dependencies first, so that a source change does not download them again.
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -q dependency:go-offline
COPY src ./src
# Unit tests run in CI (make test); integration tests need a local control plane, which a build container lacks.
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -q -DskipTests package \
 && cp target/proxysql-operator.jar /proxysql-operator.jar

FROM ${JRE_IMAGE}
RUN groupadd --system --gid 65532 proxysql-operator \
 && useradd --system --uid 65532 --gid 65532 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin proxysql-operator
COPY --from=build --chown=0:0 --chmod=0444 /proxysql-operator.jar /opt/proxysql-operator/proxysql-operator.jar
USER 65532:65532
# 8080: /metrics, /healthz, /readyz; 8443: the admission webhook (HTTPS).
EXPOSE 8080 8443
# Heap from the container's memory limit; the serial collector, which the JVM picks by itself under the Deployment's
# 1-CPU limit, named so that a larger CPU limit does not switch to G1 and its ~50 MiB of bookkeeping for no gain on a
# heap this size (bench/README.md); exit (and get restarted) on OutOfMemoryError rather than limp on; no hsperfdata
# file (the root filesystem is read-only). bench/run.sh runs the operator with these options.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-jar", "/opt/proxysql-operator/proxysql-operator.jar"]
