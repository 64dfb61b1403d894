package dev.proxysql.operator.testing.proxysql;

import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigParser;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Str;
import dev.proxysql.operator.testing.LoopbackAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real ProxySQL processes for a test class, started from the {@code proxysql.cnf} the operator renders.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalProxySql PROXYSQL = new LocalProxySql();
 * ...
 * List<ProxySqlNode> nodes = PROXYSQL.startCluster("2.7.1", renderedCnf, peerDnsNames);
 * }</pre>
 *
 * <p>A pod gets its own network namespace; here each node gets its own loopback address instead (127.x.y.z, all on
 * {@code lo}), so every node keeps the ports of the rendered config. What the fixture changes in the rendered text,
 * and nothing else: the two listen addresses ({@code 0.0.0.0:6032} and {@code 0.0.0.0:6033}) become the node's
 * address, and each peer's stable DNS name in {@code proxysql_servers} becomes that peer's address (there is no
 * cluster DNS here). Each replacement must match exactly once, so a change in what the renderer writes fails loudly
 * instead of silently binding elsewhere. Every node is stopped after each test, and its files deleted.
 */
public final class LocalProxySql implements AfterEachCallback, AfterAllCallback {

    private final List<ProxySqlNode> nodes = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    /** One node from a single-replica config. */
    public ProxySqlNode start(String version, String renderedCnf) throws IOException, InterruptedException {
        return startCluster(version, renderedCnf, List.of()).get(0);
    }

    /**
     * Starts one node per peer name (at least one), each from the same rendered config, as the pods of one
     * ProxySQL share its config Secret; returns them in the order of {@code peers}, all answering on their admin
     * interface. With no peers, one node.
     */
    public List<ProxySqlNode> startCluster(String version, String renderedCnf, List<String> peers)
            throws IOException, InterruptedException {
        List<ProxySqlNode> created = createCluster(version, renderedCnf, peers);
        for (ProxySqlNode node : created) {
            node.start();
        }
        return created;
    }

    /** Like {@link #startCluster} but leaves every node stopped, for a test that starts them itself. */
    public List<ProxySqlNode> createCluster(String version, String renderedCnf, List<String> peers) throws IOException {
        int count = Math.max(1, peers.size());
        List<String> addresses = freeAddresses(count);
        Map<String, String> aliases = new LinkedHashMap<>();
        for (int i = 0; i < peers.size(); i++) {
            aliases.put(peers.get(i), addresses.get(i));
        }
        AdminCredentials admin = remoteAdmin(renderedCnf);
        List<ProxySqlNode> created = new ArrayList<>();
        for (String address : addresses) {
            Path dir = Files.createTempDirectory("local-proxysql-");
            dirs.add(dir);
            ProxySqlNode node = new ProxySqlNode(version, address, dir, localize(renderedCnf, address, aliases), admin);
            nodes.add(node);
            created.add(node);
        }
        return created;
    }

    /** {@code count} free loopback addresses for nodes a test places itself (see {@link #createNode}). */
    public List<String> reserveAddresses(int count) throws IOException {
        return freeAddresses(count);
    }

    /**
     * One stopped node at {@code address}, from the rendered config with its listen addresses and the peers' DNS names
     * replaced (see the class comment); for tests that map pods to fixed addresses themselves.
     */
    public ProxySqlNode createNode(String version, String renderedCnf, String address, Map<String, String> peerAddresses)
            throws IOException {
        Path dir = Files.createTempDirectory("local-proxysql-");
        ProxySqlNode node;
        synchronized (this) {
            dirs.add(dir);
            node = new ProxySqlNode(version, address, dir, localize(renderedCnf, address, peerAddresses), remoteAdmin(renderedCnf));
            nodes.add(node);
        }
        return node;
    }

    /** The rendered text with the listen addresses and peer names of one node replaced, see the class comment. */
    static String localize(String cnf, String address, Map<String, String> peerAddresses) {
        String out = replaceOnce(cnf, "mysql_ifaces=\"0.0.0.0:6032\"", "mysql_ifaces=\"" + address + ":6032\"");
        out = replaceOnce(out, "interfaces=\"0.0.0.0:6033\"", "interfaces=\"" + address + ":6033\"");
        for (Map.Entry<String, String> peer : peerAddresses.entrySet()) {
            out = replaceOnce(out, "hostname=\"" + peer.getKey() + "\"", "hostname=\"" + peer.getValue() + "\"");
        }
        return out;
    }

    private static String replaceOnce(String text, String from, String to) {
        int first = text.indexOf(from);
        if (first < 0 || text.indexOf(from, first + 1) >= 0) {
            throw new IllegalArgumentException("expected exactly one " + from + " in the rendered proxysql.cnf:\n" + text);
        }
        return text.substring(0, first) + to + text.substring(first + from.length());
    }

    /** {@code admin-cluster_username/password}: the pair the operator logs in with (it is in admin_credentials too). */
    private static AdminCredentials remoteAdmin(String cnf) {
        Group root = LibconfigParser.parse(cnf).rootOrThrow();
        Group admin = (Group) root.get("admin_variables").orElseThrow();
        String user = ((Str) admin.get("cluster_username").orElseThrow()).value();
        String password = ((Str) admin.get("cluster_password").orElseThrow()).value();
        return new AdminCredentials(user, password);
    }

    /**
     * {@code count} addresses 127.a.b.1.. where nothing listens on 6032 or 6033; a random a.b per call keeps
     * fixtures of different test classes (and leftovers of a killed run) apart.
     */
    private static List<String> freeAddresses(int count) throws IOException {
        return LoopbackAddresses.freeBlock(count, 100, 200, ProxySqlNode.ADMIN_PORT, ProxySqlNode.MYSQL_PORT);
    }

    /** Stops every node and deletes its files. */
    public synchronized void stopAll() {
        nodes.forEach(ProxySqlNode::stop);
        nodes.clear();
        dirs.forEach(LocalProxySql::deleteTree);
        dirs.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            nodes.forEach(n -> System.err.println(n.logTail()));
        }
        stopAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAll();
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
