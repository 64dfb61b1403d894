package dev.proxysql.operator.proxysql.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares rendered text with a checked-in golden file and shows a line diff on mismatch.
 *
 * <p>Run with {@code -Dgolden.update=true} to rewrite the files after an intended change. The test still
 * fails in that run whenever a file changed, so an update can never turn a broken build green by itself;
 * review the diff ({@code git diff src/test/resources/golden}) and re-run without the property.
 */
final class GoldenFiles {

    static final Path DIRECTORY = Path.of("src", "test", "resources", "golden", "proxysql-config");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final int MAX_DIFF_LINES = 60;

    private GoldenFiles() {
    }

    static Path path(String name) {
        return DIRECTORY.resolve(name + ".cnf");
    }

    static String read(String name) {
        try {
            return Files.readString(path(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertMatches(String name, String actual) {
        Path file = path(name);
        String expected = Files.exists(file) ? read(name) : null;
        if (actual.equals(expected)) {
            return;
        }
        if (UPDATE) {
            write(file, actual);
            fail("golden file " + file + " was " + (expected == null ? "created" : "updated")
                    + "; review it and re-run without -Dgolden.update");
        }
        if (expected == null) {
            fail("golden file " + file + " does not exist; create it with -Dgolden.update=true");
        }
        fail("output differs from golden file " + file + " (- expected, + actual; regenerate with"
                + " -Dgolden.update=true if the change is intended):\n" + diff(expected, actual));
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A line diff based on the longest common subsequence; only changed lines and their line numbers. */
    static String diff(String expected, String actual) {
        List<String> a = lines(expected);
        List<String> b = lines(actual);
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add(String.format("-%4d | %s", i + 1, visible(a.get(i))));
                i++;
            } else {
                out.add(String.format("+%4d | %s", j + 1, visible(b.get(j))));
                j++;
            }
        }
        if (out.size() > MAX_DIFF_LINES) {
            int more = out.size() - MAX_DIFF_LINES;
            out = new ArrayList<>(out.subList(0, MAX_DIFF_LINES));
            out.add("... " + more + " more changed lines");
        }
        return String.join("\n", out);
    }

    private static List<String> lines(String text) {
        // -1 keeps a trailing empty element, so a missing final newline shows up in the diff.
        return List.of(text.split("\n", -1));
    }

    private static String visible(String line) {
        return line.replace("\t", "\\t").replace("\r", "\\r");
    }
}
