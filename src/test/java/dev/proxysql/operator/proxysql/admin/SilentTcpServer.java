package dev.proxysql.operator.proxysql.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP server that accepts connections and never sends a byte: a hung ProxySQL, or a port
 * behind a proxy whose backend does not answer. A MySQL client waits for the server greeting forever
 * unless its own timeout fires.
 */
final class SilentTcpServer implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentTcpServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptUntilClosed, "silent-tcp-server-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** How many connections were accepted (and left unanswered) so far. */
    int acceptedConnections() {
        return accepted.size();
    }

    private void acceptUntilClosed() {
        while (!listener.isClosed()) {
            try {
                accepted.add(listener.accept()); // held open, never written to
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : accepted) {
            socket.close();
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
