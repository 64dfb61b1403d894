package dev.proxysql.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The package layout's rules, checked on the sources: the two controllers share only the API model, the topology
 * package (names, labels, ports, the pause protocol) and the helpers below them, so that either can be deployed, read
 * and changed without the other.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/dev/proxysql/operator");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.proxysql\\.operator\\.([a-z]+)\\.", Pattern.MULTILINE);

    @ParameterizedTest(name = "{0} does not import {1}")
    @CsvSource({
            "provisioner, opsmanager",
            "opsmanager, provisioner",
            "topology, provisioner",
            "topology, opsmanager",
            "topology, runtime",
            "proxysql, provisioner",
            "proxysql, opsmanager",
            "kube, provisioner",
            "kube, opsmanager",
            "kube, topology",
            "api, provisioner",
            "api, opsmanager",
    })
    void packageDoesNotImport(String from, String forbidden) {
        List<String> offenders = imports(MAIN.resolve(from)).stream()
                .filter(i -> i.imported().equals(forbidden)).map(Import::toString).toList();
        assertThat(offenders).as("%s must not depend on %s", from, forbidden).isEmpty();
    }

    private record Import(Path file, String imported) {
        @Override
        public String toString() {
            return MAIN.relativize(file) + " imports " + imported;
        }
    }

    private static List<Import> imports(Path dir) {
        assertThat(dir).as("package folder").isDirectory();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                Matcher m = IMPORT.matcher(read(f));
                Stream.Builder<Import> found = Stream.builder();
                while (m.find()) {
                    found.add(new Import(f, m.group(1)));
                }
                return found.build();
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
