package dev.proxysql.operator.proxysql.config.libconfig;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;

import java.util.Optional;

/**
 * Either the parsed document root or the first syntax error, so callers handle bad user input
 * without catching exceptions.
 */
public record LibconfigParseResult(Optional<Group> root, Optional<SyntaxError> error) {

    /** Where and why parsing stopped. Lines and columns count from 1. */
    public record SyntaxError(int line, int column, String message) {
        @Override
        public String toString() {
            return "line " + line + ", column " + column + ": " + message;
        }
    }

    public LibconfigParseResult {
        if (root.isPresent() == error.isPresent()) {
            throw new IllegalArgumentException("exactly one of root and error must be present");
        }
    }

    static LibconfigParseResult success(Group root) {
        return new LibconfigParseResult(Optional.of(root), Optional.empty());
    }

    static LibconfigParseResult failure(SyntaxError error) {
        return new LibconfigParseResult(Optional.empty(), Optional.of(error));
    }

    public boolean isSuccess() {
        return root.isPresent();
    }

    /** The root, for callers (mostly tests) that already know the text is valid. */
    public Group rootOrThrow() {
        return root.orElseThrow(() -> new IllegalStateException("not valid libconfig: " + error.get()));
    }
}
