package dev.proxysql.operator.proxysql.admin;

import java.util.Properties;

/**
 * Connector/J properties every operator connection starts from, to a ProxySQL admin interface or to a backend: a
 * bounded, plain-TCP login that never gives the password away.
 */
public final class PlainLogin {
    private PlainLogin() {
    }

    /**
     * Credentials as driver properties, so the password never becomes part of a URL that could end up in a message.
     *
     * @param connectMillis bounds TCP connect and every read during handshake and login
     * @param socketMillis  bounds every read afterwards
     */
    public static Properties properties(String username, String password, int connectMillis, int socketMillis) {
        Properties p = new Properties();
        p.setProperty("user", username);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", Integer.toString(connectMillis));
        p.setProperty("socketTimeout", Integer.toString(socketMillis));
        // Plain TCP, as KubeDB's own operator uses for the admin port.
        p.setProperty("sslMode", "disable");
        // Never let a server (or something pretending to be one) switch the login to a plugin that sends
        // the password in clear text (mysql_clear_password, dialog/PAM) over this unencrypted connection.
        // caching_sha2_password stays allowed: it never sends the password in clear text without TLS.
        p.setProperty("restrictedAuth", "mysql_native_password,caching_sha2_password");
        p.setProperty("allowPublicKeyRetrieval", "false");
        // Talk to exactly the server named, never follow a server's redirection hint.
        p.setProperty("permitRedirect", "false");
        return p;
    }
}
