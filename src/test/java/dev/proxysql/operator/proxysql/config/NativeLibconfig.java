package dev.proxysql.operator.proxysql.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real libconfig (the C library ProxySQL links) behind a tiny C++ program compiled on first use.
 *
 * <p>Needs {@code g++} and Debian's {@code libconfig++-dev} ({@code apt-get install -y g++ libconfig++-dev}).
 * When either is missing the tests using it are skipped, unless {@code -Dlibconfig.required=true}
 * (meant for CI) turns the absence into a failure.
 */
final class NativeLibconfig {

    static final boolean REQUIRED = Boolean.getBoolean("libconfig.required");
    private static final Path SOURCE = Path.of("src", "test", "resources", "libconfig", "proxysql_cnf_dump.cpp");
    private static final Path BINARY = Path.of("target", "libconfig-check", "proxysql_cnf_dump");

    /** The outcome of running the program: exit code and everything it printed. */
    record Run(int exitCode, String output) {
    }

    private static Optional<String> unavailableReason;

    private NativeLibconfig() {
    }

    /** Empty when usable, otherwise why not. Compiles the program once per JVM. */
    static synchronized Optional<String> unavailableReason() {
        if (unavailableReason == null) {
            unavailableReason = compile();
        }
        return unavailableReason;
    }

    private static Optional<String> compile() {
        if (!Files.exists(Path.of("/usr/include/libconfig.h++"))) {
            return Optional.of("libconfig++ headers not installed (apt-get install -y libconfig++-dev)");
        }
        try {
            Files.createDirectories(BINARY.getParent());
            Run run = exec(List.of("g++", "-std=c++11", "-O0", "-o", BINARY.toString(), SOURCE.toString(), "-lconfig++"));
            if (run.exitCode() != 0) {
                // Tools are present, so a compile failure is a real problem, not a reason to skip.
                throw new IllegalStateException("compiling " + SOURCE + " failed:\n" + run.output());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("g++ not available: " + e.getMessage());
        }
    }

    static Run check(Path file) {
        return execUnchecked(List.of(BINARY.toString(), "check", file.toString()));
    }

    static Run dump(Path file) {
        return execUnchecked(List.of(BINARY.toString(), "dump", file.toString()));
    }

    private static Run execUnchecked(List<String> command) {
        try {
            return exec(command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Run exec(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }
}
