package dev.proxysql.operator.testing.cluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Labels for the test namespace, as {@code key=value}, set when the namespace is created (on a test method
 * or a test class; both apply). Setting them at creation matters for labels read by admission, such as
 * {@code pod-security.kubernetes.io/enforce}: Pod Security admission reads namespaces from an informer
 * cache, so a label added to an existing namespace takes effect only after an unspecified delay.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface NamespaceLabels {
  String[] value();
}
