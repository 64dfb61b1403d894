package dev.proxysql.operator.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * Leader election through a {@code coordination.k8s.io/v1} Lease, as JOSDK 5.2.3 (on fabric8's {@code LeaderElector})
 * does it: the holder renews the Lease every {@code retryPeriod}; it gives up leading when it could not renew for
 * {@code renewDeadline}; another replica takes the Lease once it was not renewed for {@code leaseDuration}.
 *
 * @param namespace     namespace of the Lease
 * @param leaseName     name of the Lease
 * @param identity      this replica's holder identity; unique per process
 * @param leaseDuration how long a Lease that is not renewed keeps others out
 * @param renewDeadline how long the leader keeps trying to renew before it stops leading (and exits)
 * @param retryPeriod   how often the leader renews and the others try to acquire (others add up to 120 % jitter)
 */
public record LeaderElectionSettings(String namespace, String leaseName, String identity, Duration leaseDuration,
                                     Duration renewDeadline, Duration retryPeriod) {
    /** The namespace file every pod with a service-account token has. */
    public static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
    public static final String DEFAULT_NAMESPACE = "proxysql-operator-system";
    public static final String DEFAULT_LEASE_NAME = "proxysql-operator";
    /** JOSDK's and controller-runtime's defaults. */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
    public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);
    /** fabric8's jitter on the acquire period: candidates retry every retryPeriod × [1, 2.2). */
    static final double JITTER = 1.2;

    public LeaderElectionSettings {
        if (leaseDuration.compareTo(renewDeadline) <= 0) {
            throw new IllegalArgumentException("the lease duration (" + text(leaseDuration) + ") must be longer than the renew deadline ("
                    + text(renewDeadline) + ")");
        }
        if (renewDeadline.toMillis() <= JITTER * retryPeriod.toMillis()) {
            throw new IllegalArgumentException("the renew deadline (" + text(renewDeadline) + ") must be longer than 1.2 × the retry period ("
                    + text(retryPeriod) + ")");
        }
    }

    /** A duration as the command line takes it: 15s, 1500ms. */
    public static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** The pod's namespace when running in a pod with a service account, otherwise {@value #DEFAULT_NAMESPACE}. */
    public static String defaultNamespace() {
        try {
            if (Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
                String ns = Files.readString(SERVICE_ACCOUNT_NAMESPACE, StandardCharsets.UTF_8).trim();
                if (!ns.isEmpty()) {
                    return ns;
                }
            }
        } catch (java.io.IOException | SecurityException e) {
            // fall through to the default
        }
        return DEFAULT_NAMESPACE;
    }

    /**
     * {@code <pod or host name>_<random>}: readable in {@code kubectl get lease}, and unique even for two processes on
     * one host or a restarted container of the same pod (as controller-runtime does).
     */
    public static String defaultIdentity() {
        String host = System.getenv("POD_NAME");
        if (host == null || host.isBlank()) {
            host = System.getenv("HOSTNAME");
        }
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "proxysql-operator";
            }
        }
        return host + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** At most how long after the leader dies another replica leads: the lease duration plus one jittered retry. */
    public Duration worstTakeover() {
        return leaseDuration.plusMillis(Math.round((1 + JITTER) * retryPeriod.toMillis()));
    }
}
