package dev.proxysql.operator.testing.proxysql;

import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Map;

/**
 * A Secret volume laid out as the kubelet lays it out ({@code pkg/volume/util/atomic_writer.go}): the keys live in a
 * timestamped directory, {@code ..data} links to it, and each key is a link through {@code ..data}. An update writes a
 * new directory and swaps {@code ..data} with one rename, so a reader following a key's link sees either the old or
 * the new content, never a mix. This is what a rotated certificate looks like inside a pod.
 */
public final class SecretVolume {
    private final Path dir;
    private int generation;

    public SecretVolume(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Writes (or atomically replaces) the Secret's data. */
    public void write(Secret secret) throws IOException {
        Files.createDirectories(dir);
        Path version = dir.resolve("..v" + (++generation));
        Files.createDirectories(version);
        for (Map.Entry<String, String> e : secret.getData().entrySet()) {
            Files.write(version.resolve(e.getKey()), Base64.getDecoder().decode(e.getValue()));
        }
        Path tmp = dir.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, version.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String key : secret.getData().keySet()) {
            Path link = dir.resolve(key);
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, Path.of("..data", key));
            }
        }
    }
}
