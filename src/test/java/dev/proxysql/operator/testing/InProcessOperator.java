package dev.proxysql.operator.testing;

import dev.proxysql.operator.runtime.ProxySQLOperator;
import dev.proxysql.operator.testing.cluster.LocalClusterExtension;
import dev.proxysql.operator.testing.cluster.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One operator in the test JVM for a whole test class, with its own client: started before the first test (once the
 * catalog and policies are installed), stopped after the last. A JUnit extension for {@code @LocalCluster} classes:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final InProcessOperator OPERATOR = new InProcessOperator(OperatorFixture::startBoth);
 * </pre>
 */
public final class InProcessOperator implements BeforeEachCallback, AfterAllCallback, AutoCloseable {
    private final Function<KubernetesClient, ProxySQLOperator> start;
    private final Consumer<KubernetesClient> install;
    private KubernetesClient client;
    private ProxySQLOperator operator;

    /** @param start which controllers to run, e.g. {@code OperatorFixture::startBoth} */
    public InProcessOperator(Function<KubernetesClient, ProxySQLOperator> start) {
        this(start, admin -> { });
    }

    /** @param install what the class needs installed besides the catalog and policies, with the admin client */
    public InProcessOperator(Function<KubernetesClient, ProxySQLOperator> start, Consumer<KubernetesClient> install) {
        this.start = start;
        this.install = install;
    }

    /** Installs the version catalog and policies, then starts the operator; does nothing if it already runs. */
    public void startOnce(KubernetesClient admin, TestCluster cluster) {
        if (operator == null) {
            OperatorFixture.installCatalogAndPolicies(admin);
            install.accept(admin);
            client = OperatorFixture.operatorClient(cluster);
            operator = start.apply(client);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startOnce(LocalClusterExtension.adminClient(context), LocalClusterExtension.cluster(context));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** The running operator, for its metrics. */
    public ProxySQLOperator operator() {
        if (operator == null) {
            throw new IllegalStateException("the operator is not started: call startOnce first");
        }
        return operator;
    }

    @Override
    public void close() {
        if (operator != null) {
            operator.close();
            client.close();
            operator = null;
        }
    }
}
