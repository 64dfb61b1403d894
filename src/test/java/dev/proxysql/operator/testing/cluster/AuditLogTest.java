package dev.proxysql.operator.testing.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log is read incrementally: each call parses only what was appended, and sees all of it. */
class AuditLogTest {

  private static String event(String verb, String name) {
    return "{\"verb\":\"" + verb + "\",\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"ns\",\"name\":\"" + name
        + "\"},\"responseStatus\":{\"code\":201},\"stage\":\"ResponseComplete\"}";
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void seesEveryAppendedLineOnceAndLeavesAPartialLineForLater(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("audit.log");
    append(file, event("create", "a") + "\n" + event("delete", "b") + "\n");
    AuditLog log = new AuditLog(file);
    assertThat(log.events()).extracting(AuditLog.Event::name).containsExactly("a", "b");

    String third = event("create", "c");
    append(file, third.substring(0, 20));
    assertThat(log.events()).as("a line being written").extracting(AuditLog.Event::name).containsExactly("a", "b");
    append(file, third.substring(20) + "\n\n" + event("patch", "d") + "\n");
    assertThat(log.events()).extracting(AuditLog.Event::name).containsExactly("a", "b", "c", "d");
    assertThat(new AuditLog(file).events(e -> "create".equals(e.verb()))).as("another instance for the same file")
        .extracting(AuditLog.Event::name).containsExactly("a", "c");
    assertThat(log.inNamespace("ns")).hasSize(4);
  }

  @Test
  void startsOverWhenTheFileIsReplacedOrTruncated(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("audit.log");
    append(file, event("create", "a") + "\n" + event("create", "b") + "\n");
    AuditLog log = new AuditLog(file);
    assertThat(log.events()).hasSize(2);

    Files.writeString(file, event("create", "x") + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    assertThat(log.events()).extracting(AuditLog.Event::name).containsExactly("x");

    Files.delete(file);
    append(file, event("create", "y") + "\n" + event("create", "z") + "\n");
    assertThat(log.events()).extracting(AuditLog.Event::name).containsExactly("y", "z");
  }
}
