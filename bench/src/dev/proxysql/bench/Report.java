package dev.proxysql.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text results table: measurement, target, verdict. */
final class Report {
    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    Report(String title) {
        this.title = title;
    }

    /** A row with a target; {@code pass} null means informational. */
    Report row(String what, String measured, String target, Boolean pass) {
        rows.add(new String[] {what, measured, target == null ? "" : target, pass == null ? "" : pass ? "PASS" : "MISS"});
        return this;
    }

    Report info(String what, String measured) {
        return row(what, measured, null, null);
    }

    void print() {
        String[] head = {"measurement", "measured", "target", "result"};
        int[] w = new int[4];
        for (int i = 0; i < 4; i++) {
            w[i] = head[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append('\n').append(title).append('\n');
        line(sb, head, w);
        String[] rule = new String[4];
        for (int i = 0; i < 4; i++) {
            rule[i] = "-".repeat(w[i]);
        }
        line(sb, rule, w);
        for (String[] r : rows) {
            line(sb, r, w);
        }
        System.out.print(sb);
        System.out.flush();
    }

    private static void line(StringBuilder sb, String[] cells, int[] w) {
        for (int i = 0; i < cells.length; i++) {
            sb.append(i == 0 ? "" : "  ").append(String.format("%-" + w[i] + "s", cells[i]));
        }
        while (sb.length() > 0 && sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 1);
        }
        sb.append('\n');
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    static String mib(long kib) {
        return String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
    }

    static void log(String fmt, Object... args) {
        System.err.printf(Locale.ROOT, "[bench %tT] %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, fmt, args));
    }
}
