package dev.proxysql.operator.proxysql.config;

/**
 * A username/password pair read from a Kubernetes Secret, e.g. the ProxySQL auth Secret
 * ({@code username=cluster}) or the backend monitor Secret ({@code username=proxysql}).
 */
public record Credentials(String username, String password) {

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=***]";
    }
}
