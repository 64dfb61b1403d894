package dev.proxysql.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxysql.operator.testing.Manifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image cannot be built here (no container engine, and base images come from a registry we cannot reach), and
 * no Dockerfile linter is packaged in Debian. So this checks, statically, what would break the image or its
 * Deployment: the build and runtime Java versions match the pom's release, the jar copied is the one the shade plugin
 * writes, the entry point runs it, and the image's user is the one the Deployment's securityContext expects.
 */
class DockerfileTest {
    private static final Path DOCKERFILE = Path.of("Dockerfile");

    @Test
    void buildsWithJdk17AndRunsOnJre17() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
        assertThat(pom).contains("<maven.compiler.release>17</maven.compiler.release>");
        String df = dockerfile();
        assertThat(arg(df, "MAVEN_IMAGE")).as("build stage").startsWith("maven:").contains("temurin-17");
        assertThat(arg(df, "JRE_IMAGE")).as("runtime stage").isEqualTo("eclipse-temurin:17-jre");
        assertThat(df).contains("FROM ${MAVEN_IMAGE} AS build").contains("FROM ${JRE_IMAGE}\n");
    }

    @Test
    void copiesAndRunsTheShadedJar() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
        assertThat(pom).as("the shade plugin's output name").contains("<finalName>proxysql-operator</finalName>");
        String df = dockerfile();
        assertThat(df).contains("cp target/proxysql-operator.jar /proxysql-operator.jar")
                .contains("COPY --from=build --chown=0:0 --chmod=0444 /proxysql-operator.jar /opt/proxysql-operator/proxysql-operator.jar");
        Matcher entry = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$").matcher(df);
        assertThat(entry.find()).as("an exec-form ENTRYPOINT").isTrue();
        List<String> argv = List.of(entry.group(1).replace("\"", "").split(",\\s*"));
        assertThat(argv.get(0)).isEqualTo("java");
        assertThat(argv.subList(argv.size() - 2, argv.size())).containsExactly("-jar", "/opt/proxysql-operator/proxysql-operator.jar");
    }

    @Test
    void runsAsTheNonRootUserOfTheDeployment() throws IOException {
        String df = dockerfile();
        List<String> users = df.lines().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).containsExactly("USER 65532:65532");
        JsonNode deployment = Manifests.parse(Path.of("deploy/install/operator/deployment.yaml")).get(0);
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        assertThat(pod.path("securityContext").path("runAsUser").asLong()).isEqualTo(65532);
        assertThat(pod.path("securityContext").path("runAsGroup").asLong()).isEqualTo(65532);
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    }

    @Test
    void exposesThePortsTheDeploymentProbesAndTheWebhookUse() throws IOException {
        assertThat(dockerfile()).contains("EXPOSE 8080 8443");
    }

    private static String dockerfile() throws IOException {
        return Files.readString(DOCKERFILE, StandardCharsets.UTF_8);
    }

    private static String arg(String dockerfile, String name) {
        Matcher m = Pattern.compile("(?m)^ARG " + name + "=(\\S+)$").matcher(dockerfile);
        assertThat(m.find()).as("ARG %s with a default", name).isTrue();
        return m.group(1);
    }
}
