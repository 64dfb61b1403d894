package dev.proxysql.operator.runtime;

import java.util.function.Consumer;

/**
 * SIGTERM and SIGINT as ordinary events. The JVM's default reaction runs shutdown hooks and exits with 128 + signal
 * (143 for SIGTERM), and a hook cannot tell a signal from any other {@code System.exit}; handling the signals lets the
 * main thread stop the operator in order and exit 0, while a {@code System.exit(1)} elsewhere keeps its status.
 * {@code sun.misc.Signal} is the supported way to do so (JEP 260 keeps it accessible in the jdk.unsupported module);
 * javac warns about it.
 */
public final class Signals {
    private Signals() {
    }

    /** Calls {@code handler} with the signal's name ("TERM", "INT") on a JVM thread each time one arrives. */
    public static void onTermination(Consumer<String> handler) {
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> handler.accept(s.getName()));
        }
    }
}
