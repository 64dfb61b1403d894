/**
 * Renders ProxySQL's bootstrap file {@code proxysql.cnf} from a plain Java model, without Kubernetes types.
 *
 * <p>Entry point: {@link dev.proxysql.operator.proxysql.config.ProxySqlCnfRenderer#render}, which takes a
 * {@link dev.proxysql.operator.proxysql.config.ProxySqlConfigInput} and returns a
 * {@link dev.proxysql.operator.proxysql.config.ProxySqlCnfResult}: the text, or errors naming the fields to
 * fix, plus warnings and the users that must be added at runtime. The design choices (protected
 * variables, users without passwords, merging of init Secret fragments, value types) are documented on
 * the renderer. The {@code libconfig} sub-package holds the generic file model, writer and strict parser.
 */
package dev.proxysql.operator.proxysql.config;
