package dev.proxysql.operator.testing.mariadb;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds Debian's MariaDB server binaries, which live partly in /usr/sbin (often not on a user's PATH). */
public final class MariaDbBinaries {

    private MariaDbBinaries() {
    }

    public static Path require(String name) {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, name));
                }
            }
        }
        candidates.add(Path.of("/usr/sbin", name));
        candidates.add(Path.of("/usr/bin", name));
        return candidates.stream()
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " not found on PATH or in /usr/sbin, /usr/bin: "
                        + "run hack/mariadb/ensure-installed.sh (installs Debian's mariadb-server) before the integration tests"));
    }
}
