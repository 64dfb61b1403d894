package dev.proxysql.operator.proxysql.config;

/** Something the user probably wants to know, which did not stop rendering (e.g. an overridden fragment entry). */
public record ConfigWarning(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
