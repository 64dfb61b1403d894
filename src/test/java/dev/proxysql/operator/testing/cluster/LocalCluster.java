package dev.proxysql.operator.testing.cluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a local Kubernetes cluster (see {@link LocalClusterExtension}):
 * test methods and {@code @BeforeEach/@AfterEach} methods can declare parameters of type
 * {@link io.fabric8.kubernetes.client.KubernetesClient} (defaulting to the test's namespace),
 * {@link TestNamespace} and {@link TestCluster}.
 *
 * <pre>{@code
 * @LocalCluster
 * class MyIT {
 *   @Test
 *   void createsThings(KubernetesClient client, TestNamespace ns) {
 *     client.configMaps().resource(...).create();   // lands in ns.name()
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalClusterExtension.class)
public @interface LocalCluster {
}
