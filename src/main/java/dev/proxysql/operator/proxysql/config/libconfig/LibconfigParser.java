package dev.proxysql.operator.proxysql.config.libconfig;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigParseResult.SyntaxError;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Array;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Bool;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Float;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int64;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.ListValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Setting;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Str;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser for the libconfig grammar
 * (https://hyperrealm.github.io/libconfig/libconfig_manual.html#Configuration-File-Grammar).
 *
 * <p>It is used to validate user-supplied {@code *.cnf} fragments before they are merged into
 * {@code proxysql.cnf}, and by tests to read rendered files back. "Strict" means it accepts only what
 * every libconfig version ProxySQL may be built with (1.5 … 1.7) reads the same way; where versions
 * differ it rejects instead of guessing:
 * <ul>
 *   <li>names must match {@link LibconfigNames} (no {@code *});</li>
 *   <li>only the escapes {@code \\ \" \n \r \t \f \xHH} are accepted (libconfig 1.5 keeps unknown
 *       escapes such as {@code \q} literally);</li>
 *   <li>hexadecimal integers above {@code 0x7FFFFFFF} without {@code L} are rejected (1.5 wraps them
 *       to negative numbers, 1.7 promotes them to 64 bits);</li>
 *   <li>{@code @include} is rejected (the file is mounted alone; an include could read anything);</li>
 *   <li>an unterminated block comment is rejected (libconfig 1.5 silently treats the rest of the text
 *       as comment, which would hide the settings after it).</li>
 * </ul>
 * Decimal integers that do not fit 32 bits are read as {@link Int64}, as libconfig 1.7 does
 * (libconfig 1.5 silently wraps them). Like libconfig, it rejects duplicate names in a group, a
 * trailing comma in a list or array, and arrays whose elements differ in type.
 */
public final class LibconfigParser {

    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern DECIMAL_64 = Pattern.compile("[-+]?[0-9]+LL?");
    private static final Pattern HEX = Pattern.compile("0[Xx][0-9A-Fa-f]+");
    private static final Pattern HEX_64 = Pattern.compile("0[Xx][0-9A-Fa-f]+LL?");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?[0-9]+([eE][-+]?[0-9]+)");
    private static final Pattern BOOLEAN = Pattern.compile("(?i)true|false");

    /** Passed as the closing character of the document root, which ends with the text. */
    private static final int END_OF_TEXT = -1;

    private final String text;
    private int pos;
    private int line = 1;
    private int column = 1;

    private LibconfigParser(String text) {
        this.text = text;
    }

    public static LibconfigParseResult parse(String text) {
        LibconfigParser parser = new LibconfigParser(text);
        try {
            Group root = parser.settingsUntil(END_OF_TEXT);
            return LibconfigParseResult.success(root);
        } catch (SyntaxFailure failure) {
            return LibconfigParseResult.failure(failure.error);
        }
    }

    /** Reads settings until {@code closing}, which is a character or {@link #END_OF_TEXT}. */
    private Group settingsUntil(int closing) {
        List<Setting> settings = new ArrayList<>();
        Set<String> names = new HashSet<>();
        while (true) {
            skipBlanksAndComments();
            if (atEnd()) {
                if (closing != END_OF_TEXT) {
                    throw fail("missing '" + (char) closing + "' before the end of the text");
                }
                return new Group(settings);
            }
            if (peek() == closing) {
                return new Group(settings);
            }
            int nameLine = line;
            int nameColumn = column;
            String name = name();
            if (!names.add(name)) {
                throw new SyntaxFailure(new SyntaxError(nameLine, nameColumn, "duplicate setting name '" + name + "'"));
            }
            skipBlanksAndComments();
            if (atEnd() || (peek() != '=' && peek() != ':')) {
                throw fail("expected '=' or ':' after setting name '" + name + "'");
            }
            advance();
            skipBlanksAndComments();
            settings.add(new Setting(name, value()));
            skipBlanksAndComments();
            if (!atEnd() && (peek() == ';' || peek() == ',')) {
                advance();
            }
        }
    }

    private String name() {
        char first = peek();
        if (first == '@') {
            throw fail("'@include' and other directives are not supported");
        }
        int start = pos;
        while (!atEnd() && isNameChar(peek())) {
            advance();
        }
        String name = text.substring(start, pos);
        if (name.isEmpty()) {
            throw fail("expected a setting name but found '" + first + "'");
        }
        if (!LibconfigNames.isValid(name)) {
            throw fail("invalid setting name '" + name + "': " + LibconfigNames.rule());
        }
        return name;
    }

    private static boolean isNameChar(char c) {
        // Also swallow '*' so that a name like "a*b" gets the precise "invalid name" message.
        return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '*';
    }

    private LibconfigValue value() {
        if (atEnd()) {
            throw fail("expected a value before the end of the text");
        }
        char c = peek();
        switch (c) {
            case '{' -> {
                advance();
                Group group = settingsUntil('}');
                advance();
                return group;
            }
            case '(' -> {
                advance();
                return new ListValue(elementsUntil(')', false));
            }
            case '[' -> {
                int startLine = line;
                int startColumn = column;
                advance();
                List<LibconfigValue> elements = elementsUntil(']', true);
                requireSameType(elements, startLine, startColumn);
                return new Array(elements);
            }
            case '"' -> {
                return string();
            }
            default -> {
                return scalarToken();
            }
        }
    }

    private List<LibconfigValue> elementsUntil(char closing, boolean scalarsOnly) {
        List<LibconfigValue> elements = new ArrayList<>();
        skipBlanksAndComments();
        if (!atEnd() && peek() == closing) {
            advance();
            return elements;
        }
        while (true) {
            skipBlanksAndComments();
            if (!atEnd() && peek() == closing) {
                throw fail("a trailing ',' before '" + closing + "' is not allowed");
            }
            LibconfigValue element = value();
            if (scalarsOnly && !element.isScalar()) {
                throw fail("an array [ ] may only contain scalar values; use a list ( ) instead");
            }
            elements.add(element);
            skipBlanksAndComments();
            if (atEnd()) {
                throw fail("missing '" + closing + "' before the end of the text");
            }
            if (peek() == closing) {
                advance();
                return elements;
            }
            if (peek() != ',') {
                throw fail("expected ',' or '" + closing + "' but found '" + peek() + "'");
            }
            advance();
        }
    }

    private void requireSameType(List<LibconfigValue> elements, int startLine, int startColumn) {
        for (LibconfigValue element : elements) {
            if (element.getClass() != elements.get(0).getClass()) {
                throw new SyntaxFailure(new SyntaxError(startLine, startColumn, "mismatched element types in array"));
            }
        }
    }

    /** One or more adjacent string literals, concatenated as libconfig does. */
    private Str string() {
        StringBuilder value = new StringBuilder();
        do {
            advance(); // opening quote
            while (true) {
                if (atEnd()) {
                    throw fail("unterminated string");
                }
                char c = advance();
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    value.append(escape());
                } else if (c == '\0') {
                    throw fail("NUL character in string");
                } else {
                    value.append(c);
                }
            }
            skipBlanksAndComments();
        } while (!atEnd() && peek() == '"');
        return new Str(value.toString());
    }

    private char escape() {
        if (atEnd()) {
            throw fail("unterminated string");
        }
        char c = advance();
        return switch (c) {
            case '\\' -> '\\';
            case '"' -> '"';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'f' -> '\f';
            case 'x' -> hexEscape();
            default -> throw fail("unsupported escape sequence '\\" + c + "'");
        };
    }

    private char hexEscape() {
        if (pos + 2 > text.length()
                || Character.digit(text.charAt(pos), 16) < 0
                || Character.digit(text.charAt(pos + 1), 16) < 0) {
            throw fail("'\\x' must be followed by two hexadecimal digits");
        }
        char c = (char) Integer.parseInt(text.substring(pos, pos + 2), 16);
        advance();
        advance();
        if (c == '\0') {
            throw fail("NUL character in string");
        }
        return c;
    }

    private LibconfigValue scalarToken() {
        int tokenLine = line;
        int tokenColumn = column;
        int start = pos;
        while (!atEnd() && !endsToken(peek())) {
            advance();
        }
        String token = text.substring(start, pos);
        if (token.isEmpty()) {
            throw fail("expected a value but found '" + peek() + "'");
        }
        try {
            return classify(token);
        } catch (NumberFormatException e) {
            throw new SyntaxFailure(new SyntaxError(tokenLine, tokenColumn, "number out of range: '" + token + "'"));
        } catch (IllegalArgumentException e) {
            throw new SyntaxFailure(new SyntaxError(tokenLine, tokenColumn, e.getMessage()));
        }
    }

    private static boolean endsToken(char c) {
        return Character.isWhitespace(c) || ",;)]}#/\"".indexOf(c) >= 0;
    }

    private static LibconfigValue classify(String token) {
        if (BOOLEAN.matcher(token).matches()) {
            return new Bool(token.equalsIgnoreCase("true"));
        }
        if (DECIMAL.matcher(token).matches()) {
            long value = Long.parseLong(token.startsWith("+") ? token.substring(1) : token);
            return value == (int) value ? new Int((int) value) : new Int64(value);
        }
        if (DECIMAL_64.matcher(token).matches()) {
            String digits = token.replaceFirst("LL?$", "");
            return new Int64(Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits));
        }
        if (HEX.matcher(token).matches()) {
            long value = Long.parseLong(token.substring(2), 16);
            if (value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("hexadecimal value '" + token
                        + "' does not fit 32 bits; libconfig versions disagree on its meaning (add an 'L' suffix)");
            }
            return new Int((int) value);
        }
        if (HEX_64.matcher(token).matches()) {
            return new Int64(Long.parseUnsignedLong(token.substring(2).replaceFirst("LL?$", ""), 16));
        }
        if (FLOAT.matcher(token).matches()) {
            return new Float(Double.parseDouble(token));
        }
        throw new IllegalArgumentException("invalid value '" + token + "' (strings must be double-quoted)");
    }

    private void skipBlanksAndComments() {
        while (!atEnd()) {
            char c = peek();
            if (Character.isWhitespace(c)) {
                advance();
            } else if (c == '#' || text.startsWith("//", pos)) {
                while (!atEnd() && peek() != '\n') {
                    advance();
                }
            } else if (text.startsWith("/*", pos)) {
                int startLine = line;
                int startColumn = column;
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new SyntaxFailure(new SyntaxError(startLine, startColumn, "unterminated /* comment"));
                }
                while (pos < end + 2) {
                    advance();
                }
            } else {
                return;
            }
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private char advance() {
        char c = text.charAt(pos++);
        if (c == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
        return c;
    }

    private SyntaxFailure fail(String message) {
        return new SyntaxFailure(new SyntaxError(line, column, message));
    }

    /** Unwinds the recursive descent; never escapes {@link #parse}. */
    private static final class SyntaxFailure extends RuntimeException {
        private final transient SyntaxError error;

        SyntaxFailure(SyntaxError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }
}
