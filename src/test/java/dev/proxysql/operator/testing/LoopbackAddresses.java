package dev.proxysql.operator.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Blocks of loopback addresses for fixtures that give each process its own address with fixed ports, as pods have
 * (ProxySQL nodes, Galera nodes): 127.a.b.1 to 127.a.b.n, with a random a.b per call so that fixtures of test classes
 * running at the same time in other JVMs (and leftovers of a killed run) keep apart. All of 127/8 is on {@code lo}.
 */
public final class LoopbackAddresses {
    private static final int ATTEMPTS = 20;

    private LoopbackAddresses() {
    }

    /**
     * {@code count} addresses 127.a.b.1.. with a in [{@code firstOctetFrom}, {@code firstOctetTo}), where nothing listens
     * on any of {@code ports}; fixtures of different kinds use different ranges of a.
     */
    public static List<String> freeBlock(int count, int firstOctetFrom, int firstOctetTo, int... ports) throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String prefix = "127." + r.nextInt(firstOctetFrom, firstOctetTo) + "." + r.nextInt(1, 250) + ".";
            List<String> addresses = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                addresses.add(prefix + i);
            }
            if (addresses.stream().allMatch(a -> portsFree(a, ports))) {
                return addresses;
            }
        }
        throw new IOException("no free block of " + count + " loopback addresses with ports " + Arrays.toString(ports)
                + " after " + ATTEMPTS + " attempts");
    }

    private static boolean portsFree(String address, int... ports) {
        for (int port : ports) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
