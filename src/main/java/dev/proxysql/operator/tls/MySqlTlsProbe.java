package dev.proxysql.operator.tls;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS handshake on a MySQL-protocol port, as a client library makes it: read the server's greeting, send an
 * SSLRequest packet, then run TLS on the same socket, trusting only the given CA (the JDK's PKIX validation of the
 * chain the server sends). Returns that chain; a chain the CA did not sign fails the handshake.
 *
 * <p>No host name check: the operator reaches a pod by an address (and a test's ProxySQL listens on a loopback
 * address) that the certificate, issued for the Services' DNS names, need not name; what the chain proves is which CA
 * signed which certificate. ReconfigureTLS's rotation reads the served serial with it; the TLS tests verify with it.
 */
public final class MySqlTlsProbe {
    private static final int CLIENT_LONG_PASSWORD = 0x1;
    private static final int CLIENT_PROTOCOL_41 = 0x200;
    private static final int CLIENT_SSL = 0x800;
    private static final int CLIENT_SECURE_CONNECTION = 0x8000;

    private MySqlTlsProbe() {
    }

    /** The certificate chain the server at {@code host:port} presents, validated against {@code ca}. */
    public static List<X509Certificate> handshake(String host, int port, X509Certificate ca) throws IOException, GeneralSecurityException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), 5000);
            plain.setSoTimeout(5000);
            int capabilities = greetingCapabilities(new DataInputStream(plain.getInputStream()));
            if ((capabilities & CLIENT_SSL) == 0) {
                throw new IOException(host + ":" + port + " does not offer TLS (CLIENT_SSL not in the greeting's capabilities)");
            }
            OutputStream out = plain.getOutputStream();
            byte[] packet = new byte[4 + 32];
            packet[0] = 32;      // payload length, 3 bytes little-endian
            packet[3] = 1;       // sequence id: the reply to the greeting
            int flags = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION;
            packet[4] = (byte) flags;
            packet[5] = (byte) (flags >> 8);
            packet[10] = 1;      // max packet size 16 MiB (0x01000000), little-endian at offset 4+4
            packet[12] = 33;     // utf8_general_ci
            out.write(packet);
            out.flush();
            try (SSLSocket tls = (SSLSocket) context(ca).getSocketFactory().createSocket(plain, host, port, true)) {
                tls.startHandshake();
                Certificate[] chain = tls.getSession().getPeerCertificates();
                return Arrays.stream(chain).map(X509Certificate.class::cast).toList();
            }
        }
    }

    /** Reads the initial handshake packet (protocol 10) and returns its capability flags. */
    private static int greetingCapabilities(DataInputStream in) throws IOException {
        int length = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        in.readUnsignedByte();   // sequence id
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (payload[0] != 10) {
            throw new IOException("not a protocol-10 greeting: first byte " + payload[0]);
        }
        int i = 1;
        while (payload[i] != 0) {   // server version, NUL-terminated
            i++;
        }
        i += 1 + 4 + 8 + 1;        // NUL, connection id, auth-plugin-data part 1, filler
        int lower = (payload[i] & 0xff) | (payload[i + 1] & 0xff) << 8;
        int upper = payload.length > i + 6 ? (payload[i + 5] & 0xff) | (payload[i + 6] & 0xff) << 8 : 0;   // after charset, status
        return lower | upper << 16;
    }

    private static SSLContext context(X509Certificate ca) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
