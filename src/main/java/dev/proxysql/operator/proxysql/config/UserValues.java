package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns user-supplied values (JSON shapes from the CRD, or scalars read from a Secret fragment) into
 * libconfig values of the type ProxySQL's config reader expects, reporting anything it cannot take.
 *
 * <p>Why the types matter: ProxySQL reads table columns with libconfig's type-checked lookups, so an
 * integer column written as a string (or a boolean) is silently skipped. Global variables are read as
 * boolean, then 32-bit integer, then string; a 64-bit integer or a float is none of these and would end
 * up as an empty value, so such numbers are written as strings (ProxySQL stores all variables as text anyway).
 */
final class UserValues {

    private static final Pattern DECIMAL_INTEGER = Pattern.compile("[-+]?[0-9]{1,10}");

    private UserValues() {
    }

    /** A global variable value: boolean, 32-bit integer, or string. */
    static Optional<LibconfigValue> variable(Object value, String path, Problems problems) {
        if (value instanceof Boolean b) {
            return Optional.of(new LibconfigValue.Bool(b));
        }
        if (value instanceof Number number) {
            return numberAsVariable(number, path, problems);
        }
        if (value instanceof String s) {
            return ProxySqlText.check(s, ProxySqlText.DOUBLE_QUOTED_SQL, path, problems)
                    .map(LibconfigValue.Str::new);
        }
        problems.error(path, describeUnsupported(value) + "; a variable must be a string, number or boolean");
        return Optional.empty();
    }

    private static Optional<LibconfigValue> numberAsVariable(Number number, String path, Problems problems) {
        Optional<BigDecimal> exact = exactDecimal(number);
        if (exact.isEmpty()) {
            problems.error(path, "the number " + number + " cannot be written to proxysql.cnf");
            return Optional.empty();
        }
        BigDecimal decimal = exact.get();
        if (isInt32(decimal)) {
            return Optional.of(new LibconfigValue.Int(decimal.intValueExact()));
        }
        // Out of 32-bit range or fractional: see the class comment for why this must be a string.
        return Optional.of(new LibconfigValue.Str(decimal.toPlainString()));
    }

    /** An integer table column. Booleans and decimal strings are accepted as the integers they mean. */
    static Optional<Integer> integer(Object value, String path, Problems problems) {
        if (value instanceof Boolean b) {
            return Optional.of(b ? 1 : 0);
        }
        if (value instanceof String s && DECIMAL_INTEGER.matcher(s.trim()).matches()) {
            long parsed = Long.parseLong(s.trim().replaceFirst("^\\+", ""));
            if (parsed == (int) parsed) {
                return Optional.of((int) parsed);
            }
        }
        if (value instanceof Number number) {
            Optional<BigDecimal> exact = exactDecimal(number);
            if (exact.isPresent() && isInt32(exact.get())) {
                return Optional.of(exact.get().intValueExact());
            }
        }
        problems.error(path, describeUnsupported(value) + "; expected a 32-bit integer");
        return Optional.empty();
    }

    /** A string table column; numbers and booleans are accepted as their text. */
    static Optional<String> string(Object value, String forbidden, String path, Problems problems) {
        if (value instanceof String s) {
            return ProxySqlText.check(s, forbidden, path, problems);
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
            return Optional.of(String.valueOf(value));
        }
        problems.error(path, describeUnsupported(value) + "; expected a string");
        return Optional.empty();
    }

    /**
     * A libconfig value as the plain Java object a CRD would have produced, so values from Secret
     * fragments go through exactly the same checks as inline ones.
     */
    static Object fromLibconfig(LibconfigValue value) {
        if (value instanceof LibconfigValue.Str s) {
            return s.value();
        } else if (value instanceof LibconfigValue.Int i) {
            return i.value();
        } else if (value instanceof LibconfigValue.Int64 i) {
            return i.value();
        } else if (value instanceof LibconfigValue.Float f) {
            return BigDecimal.valueOf(f.value());
        } else if (value instanceof LibconfigValue.Bool b) {
            return b.value();
        } else if (value instanceof LibconfigValue.Group g) {
            Map<String, Object> map = new LinkedHashMap<>();
            g.settings().forEach(s -> map.put(s.name(), fromLibconfig(s.value())));
            return map;
        } else if (value instanceof LibconfigValue.ListValue l) {
            return elementsFromLibconfig(l.elements());
        } else if (value instanceof LibconfigValue.Array a) {
            return elementsFromLibconfig(a.elements());
        }
        throw new IllegalArgumentException("unknown libconfig value " + value);
    }

    private static List<Object> elementsFromLibconfig(List<LibconfigValue> elements) {
        List<Object> list = new ArrayList<>();
        elements.forEach(e -> list.add(fromLibconfig(e)));
        return list;
    }

    private static Optional<BigDecimal> exactDecimal(Number number) {
        if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte) {
            return Optional.of(BigDecimal.valueOf(number.longValue()));
        }
        if (number instanceof BigInteger big) {
            return Optional.of(new BigDecimal(big));
        }
        if (number instanceof BigDecimal big) {
            return Optional.of(big);
        }
        if (number instanceof Double || number instanceof java.lang.Float) {
            double d = number.doubleValue();
            return Double.isFinite(d) ? Optional.of(BigDecimal.valueOf(d)) : Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean isInt32(BigDecimal decimal) {
        try {
            decimal.intValueExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    static String describeUnsupported(Object value) {
        if (value == null) {
            return "the value is null";
        }
        if (value instanceof Map) {
            return "nested objects are not allowed";
        }
        if (value instanceof List) {
            return "lists are not allowed";
        }
        if (value instanceof String s) {
            return "the string \"" + s + "\" is not allowed here";
        }
        return "a " + value.getClass().getSimpleName() + " (" + value + ") is not allowed here";
    }
}
