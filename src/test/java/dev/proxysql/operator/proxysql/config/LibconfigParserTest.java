package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigParseResult;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigParser;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Array;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Bool;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Float;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int64;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.ListValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Str;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LibconfigParserTest {

    private static LibconfigValue valueOf(String literal) {
        return LibconfigParser.parse("v=" + literal).rootOrThrow().get("v").orElseThrow();
    }

    private static String errorOf(String text) {
        LibconfigParseResult result = LibconfigParser.parse(text);
        assertThat(result.isSuccess()).as("should not parse: " + text).isFalse();
        return result.error().orElseThrow().toString();
    }

    @Test
    void scalarsGetLibconfigTypes() {
        assertThat(valueOf("42")).isEqualTo(new Int(42));
        assertThat(valueOf("-2147483648")).isEqualTo(new Int(Integer.MIN_VALUE));
        assertThat(valueOf("+7")).isEqualTo(new Int(7));
        assertThat(valueOf("2147483648")).as("too big for 32 bits").isEqualTo(new Int64(2147483648L));
        assertThat(valueOf("5L")).isEqualTo(new Int64(5));
        assertThat(valueOf("5LL")).isEqualTo(new Int64(5));
        assertThat(valueOf("0x1F")).isEqualTo(new Int(31));
        assertThat(valueOf("0xFFFFFFFFL")).isEqualTo(new Int64(0xFFFFFFFFL));
        assertThat(valueOf("1.5")).isEqualTo(new Float(1.5));
        assertThat(valueOf(".5")).isEqualTo(new Float(0.5));
        assertThat(valueOf("1e3")).isEqualTo(new Float(1000));
        assertThat(valueOf("-2.5E-1")).isEqualTo(new Float(-0.25));
        assertThat(valueOf("true")).isEqualTo(new Bool(true));
        assertThat(valueOf("FALSE")).isEqualTo(new Bool(false));
        assertThat(valueOf("\"\"")).isEqualTo(new Str(""));
    }

    @Test
    void stringsAreUnescapedAndAdjacentLiteralsConcatenated() {
        assertThat(valueOf("\"a\\\"b\\\\c\\n\\r\\t\\f\\x41\"")).isEqualTo(new Str("a\"b\\c\n\r\t\fA"));
        assertThat(valueOf("\"one \" /* gap */ \"two\"\n  \"three\"")).isEqualTo(new Str("one twothree"));
        assertThat(valueOf("\"raw\nnewline\"")).as("libconfig allows raw newlines").isEqualTo(new Str("raw\nnewline"));
        assertThat(valueOf("\"é 中\"")).isEqualTo(new Str("é 中"));
    }

    @Test
    void compoundValues() {
        Group root = LibconfigParser.parse("""
                # hash comment
                // line comment
                /* block
                   comment */
                g : { a = 1; b = "x", c = [1, 2, 3] }
                l = ( { x = 1 }, "s", ( ) , [ ] );
                e = {}
                """).rootOrThrow();

        assertThat(root.settings()).extracting(LibconfigValue.Setting::name).containsExactly("g", "l", "e");
        Group g = (Group) root.get("g").orElseThrow();
        assertThat(g.get("a")).contains(new Int(1));
        assertThat(g.get("b")).contains(new Str("x"));
        assertThat(g.get("c")).contains(new Array(List.of(new Int(1), new Int(2), new Int(3))));
        ListValue l = (ListValue) root.get("l").orElseThrow();
        assertThat(l.elements()).containsExactly(
                new Group(List.of(new LibconfigValue.Setting("x", new Int(1)))),
                new Str("s"), new ListValue(List.of()), new Array(List.of()));
        assertThat(root.get("e")).contains(new Group(List.of()));
    }

    @Test
    void settingTerminatorsAreOptional() {
        Group root = LibconfigParser.parse("a=1 b=2, c=3; d=4").rootOrThrow();

        assertThat(root.settings()).hasSize(4);
    }

    @Test
    void emptyAndCommentOnlyTextsAreEmptyDocuments() {
        assertThat(LibconfigParser.parse("").rootOrThrow().settings()).isEmpty();
        assertThat(LibconfigParser.parse("  # only\n/* comments */\n").rootOrThrow().settings()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "a=1;a=2                 | line 1, column 5: duplicate setting name 'a'",
            "g={a=1;\\nb=2;\\nb=3}    | line 3, column 1: duplicate setting name 'b'",
            "l=(1,2,)                | line 1, column 8: a trailing ',' before ')' is not allowed",
            "a=[1,2,]                | line 1, column 8: a trailing ',' before ']' is not allowed",
            "a=[1,\"x\"]             | line 1, column 3: mismatched element types in array",
            "a=[1,2L]                | line 1, column 3: mismatched element types in array",
            "a=[{b=1}]               | line 1, column 9: an array [ ] may only contain scalar values; use a list ( ) instead",
            "a=\"open                | line 1, column 8: unterminated string",
            "a=\"\\q\"               | line 1, column 6: unsupported escape sequence '\\q'",
            "a=\"\\x4\"              | line 1, column 6: '\\x' must be followed by two hexadecimal digits",
            "a=\"\\x00\"             | line 1, column 8: NUL character in string",
            "@include \"other.cfg\"  | line 1, column 1: '@include' and other directives are not supported",
            "*a=1                    | line 1, column 3: invalid setting name '*a': a setting name must start with a letter and contain only letters, digits, '-' and '_'",
            "1a=1                    | line 1, column 3: invalid setting name '1a': a setting name must start with a letter and contain only letters, digits, '-' and '_'",
            "a 1                     | line 1, column 3: expected '=' or ':' after setting name 'a'",
            "a=                      | line 1, column 3: expected a value before the end of the text",
            "a=hello                 | line 1, column 3: invalid value 'hello' (strings must be double-quoted)",
            "a=.                     | line 1, column 3: invalid value '.' (strings must be double-quoted)",
            "a=0x80000000            | line 1, column 3: hexadecimal value '0x80000000' does not fit 32 bits; libconfig versions disagree on its meaning (add an 'L' suffix)",
            "a=99999999999999999999  | line 1, column 3: number out of range: '99999999999999999999'",
            "a=-0x10                 | line 1, column 3: invalid value '-0x10' (strings must be double-quoted)",
            "g={a=1                  | line 1, column 7: missing '}' before the end of the text",
            "g={a=1}}                | line 1, column 8: expected a setting name but found '}'",
            "a=1;;                   | line 1, column 5: expected a setting name but found ';'",
            "/* open                 | line 1, column 1: unterminated /* comment",
            "a=(1 2)                 | line 1, column 6: expected ',' or ')' but found '2'",
    })
    void rejectsWithLineAndColumn(String text, String expected) {
        assertThat(errorOf(text.replace("\\n", "\n"))).isEqualTo(expected);
    }
}
