package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cross-checks rendered files and the strict Java parser against the real libconfig C library, read
 * the way ProxySQL reads it. Skipped when g++/libconfig++-dev are absent (see {@link NativeLibconfig}).
 */
class RealLibconfigTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireNativeLibconfig() {
        Optional<String> unavailable = NativeLibconfig.unavailableReason();
        if (unavailable.isPresent() && NativeLibconfig.REQUIRED) {
            fail("libconfig.required=true but " + unavailable.get());
        }
        assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.get());
    }

    private Path file(String name, String content) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    static Stream<String> scenarioNames() {
        return ProxySqlCnfGoldenTest.scenarioNames();
    }

    @ParameterizedTest
    @MethodSource("scenarioNames")
    void proxySqlReadsEveryRenderedValueAsTheJavaParserDoes(String scenario) throws IOException {
        String cnf = ProxySqlCnfGoldenTest.render(scenario);
        NativeLibconfig.Run run = NativeLibconfig.dump(file(scenario + ".cnf", cnf));

        assertThat(run.exitCode()).as(run.output()).isZero();
        List<String> native_ = run.output().lines().toList();
        assertThat(native_).as("libconfig view of " + scenario).doesNotContain("UNREADABLE")
                .noneMatch(line -> line.endsWith("=UNREADABLE"));
        assertThat(native_).isEqualTo(ProxySqlView.dump(LibconfigParser.parse(cnf).rootOrThrow()));
        assertThat(native_).allSatisfy(RealLibconfigTest::hasTheTypeProxySqlReads);
    }

    private static final Pattern ROW_LINE = Pattern.compile("([a-z_]+)\\[\\d+]\\.([A-Za-z_]+)=(int|str):.*", Pattern.DOTALL);

    /** A table cell of the wrong type is readable by libconfig but silently skipped by ProxySQL. */
    private static void hasTheTypeProxySqlReads(String line) {
        Matcher row = ROW_LINE.matcher(line);
        if (!row.matches()) {
            return; // variables: ProxySQL accepts bool, int and string alike
        }
        assertThat(ProxySqlColumnTypes.expectedKind(row.group(1), row.group(2)))
                .as("ProxySQL's type for %s.%s in: %s", row.group(1), row.group(2), line)
                .contains(row.group(3));
    }

    @Test
    void columnTypeCheckCatchesAPortWrittenAsString() {
        assertThatThrownBy(() -> hasTheTypeProxySqlReads("mysql_servers[0].port=str:3306"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> hasTheTypeProxySqlReads("mysql_query_rules[0].ok_msg=str:x"))
                .as("column ProxySQL does not read").isInstanceOf(AssertionError.class);
        hasTheTypeProxySqlReads("mysql_servers[0].port=int:3306");
    }

    @ParameterizedTest
    @MethodSource("scenarioNames")
    void checkedInGoldenFilesAreValidLibconfig(String scenario) {
        NativeLibconfig.Run run = NativeLibconfig.check(GoldenFiles.path(scenario));

        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void harnessDetectsValuesProxySqlWouldDrop() throws IOException {
        // A port written as a string, a 64-bit and a float variable: ProxySQL's typed lookups skip all three.
        Path cnf = file("wrong-types.cnf", """
                mysql_variables={ big=5000000000L; ratio=0.5; ok=1 }
                mysql_servers=( { hostgroup_id=2; hostname="db"; port="3306"; use_ssl=true } )
                """);

        assertThat(NativeLibconfig.dump(cnf).output().lines()).containsExactly(
                "mysql_variables.big=UNREADABLE",
                "mysql_variables.ratio=UNREADABLE",
                "mysql_variables.ok=int:1",
                "mysql_servers[0].hostgroup_id=int:2",
                "mysql_servers[0].hostname=str:db",
                "mysql_servers[0].port=str:3306",
                "mysql_servers[0].use_ssl=UNREADABLE");
    }

    /** Documents that both parsers accept and reject the same texts (outside the strict-only cases below). */
    @ParameterizedTest
    @ValueSource(strings = {
            "a=1", "a:1;", "a=1 b=2, c=3;", "g={a=1,b=2,}", "l=()", "l=({a=1},{b=\"x\"})", "a=[]", "a=[1,2,3]",
            "a=\"x\" \"y\"", "a=\"x\"\n\"y\"", "a=\"\\\\ \\\" \\n \\t \\f \\r \\x41\"", "a=TRUE", "a=false",
            "a=1.5", "a=.5", "a=1e5", "a=5L", "a=0x7fffffff", "a=-2147483648", "a-b_c=1", "A=1",
            "# c\n// c\n/* c */ a=1", "a=\"raw\nline\"", "a=\"é\"", "g={}", "g={h={i=(1,[2])}}",
            "a=1;a=2", "g={a=1;a=2}", "l=(1,2,)", "a=[1,2,]", "a=[1,\"x\"]", "a=[1,2L]", "a=[1,1.0]",
            "a=\"open", "a", "a=", "=1", "a=hello", "a=-0x10", "g={a=1", "g={a=1}}", "a=1;;", "l=(1 2)",
            "1a=1", "a b=1", "a=truex", "a=[{b=1}]",
    })
    void javaParserAgreesWithLibconfigOnWhatIsValid(String text) throws IOException {
        boolean libconfigAccepts = NativeLibconfig.check(file("snippet.cnf", text)).exitCode() == 0;
        boolean javaAccepts = LibconfigParser.parse(text).isSuccess();

        assertThat(javaAccepts).as("Java parser on: " + text + " (libconfig accepts: " + libconfigAccepts + ")")
                .isEqualTo(libconfigAccepts);
    }

    /**
     * Where the Java parser is deliberately stricter: libconfig accepts these, but versions disagree on
     * their meaning (or they are meaningless for ProxySQL), so user fragments containing them are rejected.
     */
    @ParameterizedTest
    @ValueSource(strings = {"a=\"\\q\"", "a=0x80000000", "a=.", "a*=1", "a=\"\\X41\"", "a=1 /* open"})
    void strictOnlyRejectionsAreAcceptedByLibconfig(String text) throws IOException {
        assertThat(NativeLibconfig.check(file("snippet.cnf", text)).exitCode()).as("libconfig on " + text).isZero();
        assertThat(LibconfigParser.parse(text).isSuccess()).as("Java parser on " + text).isFalse();
    }
}
