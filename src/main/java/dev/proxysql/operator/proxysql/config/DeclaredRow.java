package dev.proxysql.operator.proxysql.config;

import java.util.Map;

/** A table row as the user wrote it (inline or in a Secret fragment), with the path to report problems at. */
record DeclaredRow(Map<String, Object> cells, String path) {
}
