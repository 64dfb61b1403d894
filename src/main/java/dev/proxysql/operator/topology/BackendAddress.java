package dev.proxysql.operator.topology;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBindingSpec;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the backend listens, read from an AppBinding: {@code clientConfig.service} (a Service in the AppBinding's
 * namespace, port 3306 unless given) or {@code clientConfig.url} in any of the forms KubeDB writes
 * ({@code tcp(host:port)/}, {@code mysql://host:port/db}, {@code host:port}).
 */
public record BackendAddress(String host, int port) {
    public static final int DEFAULT_PORT = 3306;
    private static final Pattern URL_HOST_PORT = Pattern.compile("^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/]*@)?(?:tcp\\()?([^:/()]+)(?::(\\d+))?\\)?(?:/.*)?$");

    /**
     * The address, or empty when the AppBinding names neither a usable service nor a parsable url, or its port is not
     * from 1 to 65535.
     */
    public static Optional<BackendAddress> of(AppBinding binding) {
        AppBindingSpec spec = binding.getSpec();
        if (spec == null || spec.getClientConfig() == null) {
            return Optional.empty();
        }
        AppBindingSpec.ServiceReference service = spec.getClientConfig().getService();
        if (service != null && service.getName() != null && !service.getName().isBlank()) {
            int port = service.getPort() == null ? DEFAULT_PORT : service.getPort();
            if (!validPort(port)) {
                return Optional.empty();
            }
            return Optional.of(new BackendAddress(service.getName() + "." + binding.getMetadata().getNamespace() + ".svc", port));
        }
        return parseUrl(spec.getClientConfig().getUrl());
    }

    static Optional<BackendAddress> parseUrl(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        Matcher m = URL_HOST_PORT.matcher(url.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        // At most 5 digits before parsing: "99999999999" would not fit an int (NumberFormatException in the reconcile).
        String digits = m.group(2) == null ? null : m.group(2).replaceFirst("^0+(?=\\d)", "");
        if (digits != null && digits.length() > 5) {
            return Optional.empty();
        }
        int port = digits == null ? DEFAULT_PORT : Integer.parseInt(digits);
        return validPort(port) ? Optional.of(new BackendAddress(m.group(1), port)) : Optional.empty();
    }

    /** A TCP port a server can listen on. */
    public static boolean validPort(int port) {
        return port >= 1 && port <= 65535;
    }
}
