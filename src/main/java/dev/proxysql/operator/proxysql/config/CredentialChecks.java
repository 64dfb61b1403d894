package dev.proxysql.operator.proxysql.config;

/**
 * Checks the operator-supplied credentials before they are embedded in variables.
 *
 * <p>{@code admin-admin_credentials} is a {@code user:password;user:password} list, so {@code ;} and
 * {@code :} would split it wrongly; {@code "} breaks ProxySQL's load of any variable (see
 * {@link ProxySqlText}). KubeDB generates alphanumeric passwords, so this only rejects hand-made Secrets.
 */
final class CredentialChecks {

    private static final String ADMIN_LIST_SEPARATORS = ":;\"";

    private CredentialChecks() {
    }

    static boolean clusterAdminIsUsable(Credentials credentials, Problems problems) {
        String path = FieldPaths.AUTH_SECRET;
        if (credentials == null) {
            problems.error(path, "the cluster admin credentials are required");
            return false;
        }
        int before = problems.errorCount();
        checkCredentialPart(credentials.username(), FieldPaths.child(path, "username"), problems);
        checkCredentialPart(credentials.password(), FieldPaths.child(path, "password"), problems);
        if ("admin".equals(credentials.username())) {
            problems.error(FieldPaths.child(path, "username"),
                    "'admin' is reserved for local access; ProxySQL refuses it from other pods");
        }
        return problems.errorCount() == before;
    }

    private static void checkCredentialPart(String value, String path, Problems problems) {
        if (value == null || value.isEmpty()) {
            problems.error(path, "must not be empty");
            return;
        }
        for (char c : value.toCharArray()) {
            if (ADMIN_LIST_SEPARATORS.indexOf(c) >= 0 || Character.isWhitespace(c) || Character.isISOControl(c)) {
                problems.error(path, "must not contain whitespace, control characters or any of " + ADMIN_LIST_SEPARATORS
                        + " (it is embedded in admin-admin_credentials)");
                return;
            }
        }
    }

    static boolean monitorIsUsable(Credentials credentials, Problems problems) {
        String path = FieldPaths.MONITOR;
        if (credentials == null) {
            problems.error(path, "the monitor credentials are required");
            return false;
        }
        int before = problems.errorCount();
        if (credentials.username() == null || credentials.username().isEmpty()) {
            problems.error(FieldPaths.child(path, "username"), "must not be empty");
        } else {
            ProxySqlText.check(credentials.username(), ProxySqlText.DOUBLE_QUOTED_SQL,
                    FieldPaths.child(path, "username"), problems);
        }
        if (credentials.password() == null) {
            problems.error(FieldPaths.child(path, "password"), "must not be null");
        } else {
            ProxySqlText.check(credentials.password(), ProxySqlText.DOUBLE_QUOTED_SQL,
                    FieldPaths.child(path, "password"), problems);
        }
        return problems.errorCount() == before;
    }
}
