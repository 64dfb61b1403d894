package dev.proxysql.operator.proxysql.backend;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One row of the backend's {@code mysql.user}: an account and what ProxySQL would need to let it log in.
 *
 * @param user                the user name
 * @param host                the host part of the account ({@code %}, an address, {@code localhost})
 * @param plugin              the authentication plugin ({@code mysql_native_password}, {@code caching_sha2_password},
 *                            MariaDB's {@code unix_socket}, {@code ed25519} ...); empty on old servers
 * @param authenticationHex   {@code HEX(authentication_string)}: caching_sha2 hashes are binary
 * @param passwordColumn      MariaDB's and old MySQL's {@code Password} column (a native hash), empty if none
 * @param role                MariaDB {@code is_role = 'Y'}
 * @param replication         {@code Repl_slave_priv = 'Y'}: a replication account
 * @param locked              MySQL's {@code account_locked = 'Y'}
 */
public record BackendAccount(String user, String host, String plugin, String authenticationHex, String passwordColumn,
                             boolean role, boolean replication, boolean locked) {
    public static final String NATIVE = "mysql_native_password";
    public static final String CACHING_SHA2 = "caching_sha2_password";
    private static final Pattern NATIVE_HASH = Pattern.compile("\\*[0-9A-F]{40}");
    /** {@code $A$005$}: MySQL's caching_sha2_password storage format, SHA-256 with 5,000 rounds. */
    private static final String CACHING_SHA2_PREFIX_HEX = HexFormat.of().withUpperCase()
            .formatHex("$A$005$".getBytes(StandardCharsets.US_ASCII));
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1");

    /** Whether ProxySQL, connecting from its pod's address, could never log in as this account. */
    public boolean localOnly() {
        return LOCAL_HOSTS.contains(host.toLowerCase(Locale.ROOT));
    }

    /**
     * What ProxySQL's {@code mysql_users.password} must hold for this account, as the hex of its bytes: the native
     * hash ({@code *} and 40 hex digits), or the caching_sha2_password hash (binary; ProxySQL 2.6 and later verify
     * it). Empty when the account has no password or a plugin ProxySQL cannot check; {@link #unusableBecause} says
     * why.
     */
    public Optional<String> proxySqlPasswordHex() {
        return Optional.ofNullable(password());
    }

    /** Why {@link #proxySqlPasswordHex()} is empty, for messages; null when it is not. */
    public String unusableBecause() {
        if (password() != null) {
            return null;
        }
        String p = plugin == null ? "" : plugin;
        if (p.isEmpty() || p.equals(NATIVE) || p.equals(CACHING_SHA2)) {
            return "it has no password";
        }
        return "it authenticates with the plugin " + p + ", which ProxySQL cannot check";
    }

    public boolean cachingSha2() {
        return CACHING_SHA2.equals(plugin);
    }

    private String password() {
        String p = plugin == null ? "" : plugin;
        if (p.isEmpty() || p.equals(NATIVE)) {
            String auth = ascii(authenticationHex);
            if (auth != null && NATIVE_HASH.matcher(auth).matches()) {
                return authenticationHex.toUpperCase(Locale.ROOT);
            }
            if (passwordColumn != null && NATIVE_HASH.matcher(passwordColumn).matches()) {
                return HexFormat.of().withUpperCase().formatHex(passwordColumn.getBytes(StandardCharsets.US_ASCII));
            }
            return null;
        }
        if (p.equals(CACHING_SHA2) && authenticationHex != null
                && authenticationHex.toUpperCase(Locale.ROOT).startsWith(CACHING_SHA2_PREFIX_HEX)) {
            return authenticationHex.toUpperCase(Locale.ROOT);
        }
        return null;
    }

    private static String ascii(String hex) {
        if (hex == null || hex.isEmpty() || hex.length() % 2 != 0) {
            return null;
        }
        try {
            return new String(HexFormat.of().parseHex(hex), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
