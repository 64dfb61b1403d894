package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigParser;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Array;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Bool;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Float;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int64;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.ListValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Setting;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Str;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigWriter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LibconfigWriterTest {

    @Test
    void quotesWithLibconfigEscapes() {
        assertThat(LibconfigWriter.quote("plain")).isEqualTo("\"plain\"");
        assertThat(LibconfigWriter.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(LibconfigWriter.quote("\n\r\t\f")).isEqualTo("\"\\n\\r\\t\\f\"");
        assertThat(LibconfigWriter.quote("\u0001\u001f\u007f")).isEqualTo("\"\\x01\\x1f\\x7f\"");
        assertThat(LibconfigWriter.quote("é 中 # // /*")).isEqualTo("\"é 中 # // /*\"");
    }

    @Test
    void writesEveryValueTypeInProxySqlLayout() {
        Group root = new Group(List.of(
                new Setting("s", new Str("x")),
                new Setting("g", new Group(List.of(
                        new Setting("i", new Int(-3)),
                        new Setting("l", new Int64(5_000_000_000L)),
                        new Setting("f", new Float(0.25)),
                        new Setting("b", new Bool(false)),
                        new Setting("a", new Array(List.of(new Int(1), new Int(2))))))),
                new Setting("list", new ListValue(List.of(
                        new Group(List.of(new Setting("k", new Int(1)))),
                        new Str("e"),
                        new ListValue(List.of())))),
                new Setting("empty", new ListValue(List.of()))));

        assertThat(LibconfigWriter.write(List.of("header"), root)).isEqualTo("""
                # header

                s="x"

                g=
                {
                    i=-3
                    l=5000000000L
                    f=0.25
                    b=false
                    a=[1, 2]
                }

                list=
                (
                    {
                        k=1
                    },
                    "e",
                    (
                    )
                )

                empty=
                (
                )
                """);
    }

    @Test
    void refusesWhatLibconfigCannotRepresent() {
        assertThatThrownBy(() -> LibconfigWriter.quote("nul\0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LibconfigWriter.write(List.of(), new Group(List.of(new Setting("bad name", new Int(1))))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LibconfigWriter.write(List.of(), new Group(List.of(new Setting("f", new Float(Double.NaN))))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomStringsSurviveWriteThenParse() {
        Random random = new Random(20240611);
        for (int round = 0; round < 2000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                int kind = random.nextInt(10);
                // Mostly ASCII including every control character except NUL, sometimes non-ASCII.
                text.append(kind < 8 ? (char) (1 + random.nextInt(127)) : (char) (0xA0 + random.nextInt(0x5000)));
            }
            Group root = new Group(List.of(new Setting("v", new Str(text.toString()))));

            LibconfigValue back = LibconfigParser.parse(LibconfigWriter.write(List.of(), root))
                    .rootOrThrow().get("v").orElseThrow();

            assertThat(back).as("round %d", round).isEqualTo(new Str(text.toString()));
        }
    }
}
