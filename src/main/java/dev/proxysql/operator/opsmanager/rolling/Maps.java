package dev.proxysql.operator.opsmanager.rolling;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Null-tolerant defensive copies, sorted so that every message built from a map is deterministic. */
final class Maps {
    private Maps() {
    }

    static Map<String, String> copy(Map<String, String> source) {
        TreeMap<String, String> copy = new TreeMap<>();
        if (source != null) {
            source.forEach((k, v) -> {
                if (k != null) {
                    copy.put(k, v);
                }
            });
        }
        return Collections.unmodifiableMap(copy);
    }
}
