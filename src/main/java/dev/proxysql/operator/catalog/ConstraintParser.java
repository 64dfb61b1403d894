package dev.proxysql.operator.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a constraint string into OR-ed groups of AND-ed {@link Comparison}s, accepting exactly the
 * syntax of Masterminds semver v3's {@code NewConstraint} (v3.4.0):
 * <ol>
 *   <li>hyphen ranges {@code A - B} (spaces around the hyphen required) are rewritten to
 *       {@code >= A, <= B} as text, before anything else;</li>
 *   <li>the result is split at every {@code ||};</li>
 *   <li>each part is a sequence of comparisons separated by whitespace or a comma;</li>
 *   <li>a comparison is an optional operator and a version whose parts may be {@code x}, {@code X}
 *       or {@code *}.</li>
 * </ol>
 */
final class ConstraintParser {

    // Go's \s in these patterns means exactly these five characters (Java's \s adds \x0B).
    private static final String WS = "[ \\t\\n\\f\\r]";
    private static final String IDENTIFIERS = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
    // Masterminds' segment class is [0-9|x|X|\*], which also lets '|' through; such a segment then
    // fails as a version, except after a wildcard (where Masterminds ignores the rest), as here.
    private static final String SEGMENT = "[0-9xX*|]+";

    /** A constraint version with groups: 1 major, 2 ".minor", 3 ".patch", 4 "-prerelease". */
    private static final String VERSION =
            "v?(" + SEGMENT + ")(\\." + SEGMENT + ")?(\\." + SEGMENT + ")?(-" + IDENTIFIERS + ")?(?:\\+" + IDENTIFIERS + ")?";

    /** The same grammar as {@link #VERSION} without groups, for the range rewrite. */
    private static final String ANY_VERSION =
            "v?" + SEGMENT + "(?:\\." + SEGMENT + "){0,2}(?:-" + IDENTIFIERS + ")?(?:\\+" + IDENTIFIERS + ")?";

    private static final Pattern HYPHEN_RANGE = Pattern.compile(
            WS + "*(" + ANY_VERSION + ")" + WS + "+-" + WS + "+(" + ANY_VERSION + ")" + WS + "*");

    // Alternatives in Masterminds' order; with backtracking the first one that lets a version follow wins.
    private static final String OPERATOR = "(=||!=|>|<|>=|=>|<=|=<|~|~>|\\^)";

    /** One comparison: group 1 operator, group 2 the written version, groups 3-6 its parts. */
    private static final Pattern COMPARISON = Pattern.compile(WS + "*" + OPERATOR + WS + "*(" + VERSION + ")");

    private ConstraintParser() {
    }

    static List<List<Comparison>> parse(String constraint) {
        if (constraint == null || constraint.isBlank()) {
            throw new InvalidConstraintException(String.valueOf(constraint), "the constraint is empty");
        }
        String rewritten = rewriteHyphenRanges(constraint);
        List<List<Comparison>> alternatives = new ArrayList<>();
        try {
            // Keep empty parts (limit -1) so that a dangling "||" is reported, as Masterminds does.
            for (String alternative : rewritten.split("\\|\\|", -1)) {
                alternatives.add(parseAndGroup(constraint, alternative));
            }
        } catch (InvalidConstraintException e) {
            if (rewritten.equals(constraint)) {
                throw e;
            }
            // The quoted bad text may come from the rewrite, e.g. ">= 1 - 2" becomes ">=>= 1, <= 2 ".
            throw new InvalidConstraintException(constraint, e.problem()
                    + " (after rewriting the hyphen range to '" + rewritten.strip() + "')");
        }
        return List.copyOf(alternatives);
    }

    /**
     * Rewrites {@code A - B} to {@code >= A, <= B }. Done on the text, like Masterminds, so a range
     * can be AND-ed with further comparisons ({@code 1 - 2, != 1.5.0}).
     */
    static String rewriteHyphenRanges(String constraint) {
        Matcher range = HYPHEN_RANGE.matcher(constraint);
        List<Replacement> replacements = new ArrayList<>();
        while (range.find()) {
            replacements.add(new Replacement(range.group(), ">= " + range.group(1) + ", <= " + range.group(2) + " "));
        }
        String rewritten = constraint;
        // Masterminds replaces the first occurrence of each matched text, one match after the other.
        for (Replacement replacement : replacements) {
            rewritten = replacement.applyTo(rewritten);
        }
        return rewritten;
    }

    private record Replacement(String found, String substitute) {
        String applyTo(String text) {
            int at = text.indexOf(found);
            return at < 0 ? text : text.substring(0, at) + substitute + text.substring(at + found.length());
        }
    }

    private static List<Comparison> parseAndGroup(String constraint, String group) {
        if (group.isBlank()) {
            throw new InvalidConstraintException(constraint, "an alternative separated by '||' is empty");
        }
        List<Comparison> comparisons = new ArrayList<>();
        Matcher comparison = COMPARISON.matcher(group);
        int position = 0;
        while (true) {
            if (group.substring(position).isBlank()) {
                throw new InvalidConstraintException(constraint, "a comparison is missing after the last ','");
            }
            comparison.region(position, group.length());
            if (!comparison.lookingAt()) {
                throw new InvalidConstraintException(constraint,
                        "cannot parse '" + group.substring(position).strip() + "' as a comparison"
                                + " (expected an optional operator =, !=, >, <, >=, <=, ~, ^ and a version like 1.2.3, 1.2.x or *)");
            }
            comparisons.add(toComparison(constraint, comparison));
            int end = comparison.end();
            int next = skipWhitespace(group, end);
            if (next == group.length()) {
                return List.copyOf(comparisons);
            }
            if (group.charAt(next) == ',') {
                position = next + 1;
            } else if (next > end) {
                position = next;
            } else {
                throw new InvalidConstraintException(constraint,
                        "expected ',' or whitespace before '" + group.substring(next).strip() + "'");
            }
        }
    }

    private static Comparison toComparison(String constraint, Matcher comparison) {
        String writtenVersion = comparison.group(2);
        String major = comparison.group(3);
        String minor = comparison.group(4);
        String patch = comparison.group(5);
        String prerelease = comparison.group(6) == null ? "" : comparison.group(6);

        // Wildcards and missing parts become 0 and are remembered, as Masterminds' parseConstraint does;
        // everything after the first open part is ignored ("1.x.7" is "1.x").
        Wildcard wildcard;
        String boundText;
        if (isWildcard(major)) {
            wildcard = Wildcard.MAJOR;
            boundText = "0.0.0" + prerelease;
        } else if (minor == null || isWildcard(minor.substring(1))) {
            wildcard = Wildcard.MINOR;
            boundText = major + ".0.0" + prerelease;
        } else if (patch == null || isWildcard(patch.substring(1))) {
            wildcard = Wildcard.PATCH;
            boundText = major + minor + ".0" + prerelease;
        } else {
            wildcard = Wildcard.NONE;
            boundText = writtenVersion;
        }

        SemanticVersion bound;
        try {
            bound = SemanticVersion.parse(boundText);
        } catch (InvalidVersionException e) {
            throw new InvalidConstraintException(constraint, "'" + writtenVersion + "' is not a valid version"
                    + " (each of major, minor and patch must be a number or one of x, X, *)");
        }
        String operatorText = comparison.group(1);
        return new Comparison(ComparisonOperator.fromSpelling(operatorText), bound, wildcard,
                operatorText + writtenVersion);
    }

    private static boolean isWildcard(String part) {
        return part.equals("x") || part.equals("X") || part.equals("*");
    }

    private static int skipWhitespace(String text, int from) {
        int position = from;
        while (position < text.length() && " \t\n\f\r".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        return position;
    }
}
