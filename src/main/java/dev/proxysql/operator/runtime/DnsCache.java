package dev.proxysql.operator.runtime;

import java.security.Security;

/**
 * How long this JVM trusts a name lookup. The ProxySQL check dials each pod by its stable DNS name
 * ({@code px-0.px-pods.ns.svc}), and a replaced pod keeps the name but gets a new IP. The JVM's default keeps a
 * successful lookup for 30 s and a failed one for 10 s, so right after a replacement the check dialled the old pod's
 * address ("No route to host" on the real node) until the request's check failed. One second is about what the
 * cluster's DNS itself promises (CoreDNS answers with a 5 s TTL from a watch-fed cache); failures are not cached.
 */
public final class DnsCache {
    private DnsCache() {
    }

    /** Must run before the first lookup: the JVM reads these when its name service starts. */
    public static void trustLookupsBriefly() {
        Security.setProperty("networkaddress.cache.ttl", "1");
        Security.setProperty("networkaddress.cache.negative.ttl", "0");
    }
}
