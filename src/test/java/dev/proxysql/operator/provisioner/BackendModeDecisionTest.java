package dev.proxysql.operator.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.provisioner.BackendModeDecision.Decision;
import dev.proxysql.operator.provisioner.BackendModeDecision.Detection;
import dev.proxysql.operator.proxysql.backend.BackendModeObservation;
import dev.proxysql.operator.proxysql.backend.BackendModeObservation.GroupMember;
import dev.proxysql.operator.proxysql.backend.BackendModeReading;
import dev.proxysql.operator.proxysql.config.BackendMode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every branch of the backend-mode detection and decision, over observations as real servers answer. */
class BackendModeDecisionTest {
    private static final String GALERA_SO = "/usr/lib/galera/libgalera_smm.so";
    private static final String BACKEND = "db.demo.svc:3306";
    /** Debian's MariaDB 10.11 without a cluster, as BackendModeReaderIT reads it: wsrep off, no provider, a cluster of 0. */
    static final BackendModeObservation STANDALONE_MARIADB = new BackendModeObservation("10.11.19-MariaDB-0+deb12u1", "OFF", "none",
            0, null, null, null, List.of());
    static final BackendModeObservation GALERA_NODE = new BackendModeObservation("10.11.14-MariaDB-0+deb12u2", "ON", GALERA_SO,
            3, "Primary", null, null, List.of());
    private static final BackendModeObservation PXC_NODE = new BackendModeObservation("8.0.36-28.1", "ON", "/usr/lib64/galera4/libgalera_smm.so",
            3, "Primary", "DISABLED", null, List.of());
    private static final BackendModeObservation GR_MEMBER = new BackendModeObservation("8.0.36", null, null, null, null, null, "ACTIVE",
            List.of(new GroupMember("db-0", 3306, "ONLINE", "PRIMARY"), new GroupMember("db-1", 3306, "ONLINE", "SECONDARY"),
                    new GroupMember("db-2", 3306, "ONLINE", "SECONDARY")));
    private static final BackendModeObservation STANDALONE_MYSQL = new BackendModeObservation("8.0.36", null, null, null, null, null, null, List.of());

    @Test
    void wsrepOnWithAProviderIsGalera() {
        Detection d = BackendModeDecision.detect(GALERA_NODE);
        assertThat(d.mode()).isEqualTo(BackendMode.GALERA);
        assertThat(d.evidence()).isEqualTo("wsrep_on=ON, wsrep_provider=" + GALERA_SO + ", wsrep_cluster_size=3, wsrep_cluster_status=Primary");
    }

    @Test
    void perconaXtraDbClusterIsGaleraAndSaysSo() {
        Detection d = BackendModeDecision.detect(PXC_NODE);
        assertThat(d.mode()).isEqualTo(BackendMode.GALERA);
        assertThat(d.evidence()).contains("pxc_maint_mode=DISABLED (Percona XtraDB Cluster)");
    }

    @Test
    void aSingleNodeGaleraIsStillGalera() {
        BackendModeObservation alone = new BackendModeObservation("10.11", "ON", GALERA_SO, 1, "Primary", null, null, List.of());
        assertThat(BackendModeDecision.detect(alone).mode()).isEqualTo(BackendMode.GALERA);
    }

    @Test
    void wsrepOnWithoutAProviderIsNotGalera() {
        BackendModeObservation noProvider = new BackendModeObservation("10.11", "ON", "none", null, null, null, null, List.of());
        Detection d = BackendModeDecision.detect(noProvider);
        assertThat(d.mode()).isEqualTo(BackendMode.STANDALONE);
        assertThat(d.evidence()).isEqualTo("wsrep_on=ON but wsrep_provider=none, no group_replication plugin");
    }

    @Test
    void aProviderLoadedWithWsrepOffIsNotGalera() {
        // A node taken out of its cluster (wsrep_on=OFF) replicates nothing: ProxySQL must not expect Galera state there.
        BackendModeObservation off = new BackendModeObservation("10.11", "OFF", GALERA_SO, 3, "Primary", null, null, List.of());
        Detection d = BackendModeDecision.detect(off);
        assertThat(d.mode()).isEqualTo(BackendMode.STANDALONE);
        assertThat(d.evidence()).isEqualTo("wsrep_on=OFF, no group_replication plugin");
    }

    @Test
    void anActiveGroupReplicationPluginWithMembersIsGroupReplication() {
        Detection d = BackendModeDecision.detect(GR_MEMBER);
        assertThat(d.mode()).isEqualTo(BackendMode.GROUP_REPLICATION);
        assertThat(d.evidence()).isEqualTo("group_replication plugin ACTIVE, 3 member(s) in performance_schema.replication_group_members"
                + " (1 ONLINE PRIMARY, 2 ONLINE SECONDARY), no wsrep_on variable");
    }

    @Test
    void groupMembersWithoutARoleColumnStillCount() {
        BackendModeObservation mysql57 = new BackendModeObservation("5.7.44", null, null, null, null, null, "ACTIVE",
                List.of(new GroupMember("db-0", 3306, "ONLINE", null)));
        Detection d = BackendModeDecision.detect(mysql57);
        assertThat(d.mode()).isEqualTo(BackendMode.GROUP_REPLICATION);
        assertThat(d.evidence()).contains("(1 ONLINE)");
    }

    @Test
    void anActivePluginWithoutMembersIsASingleServer() {
        BackendModeObservation noGroup = new BackendModeObservation("8.0.36", null, null, null, null, null, "ACTIVE", List.of());
        Detection d = BackendModeDecision.detect(noGroup);
        assertThat(d.mode()).isEqualTo(BackendMode.STANDALONE);
        assertThat(d.evidence()).isEqualTo("no wsrep_on variable, group_replication plugin ACTIVE but no member in"
                + " performance_schema.replication_group_members");
    }

    @Test
    void anInactivePluginIsASingleServer() {
        BackendModeObservation disabled = new BackendModeObservation("8.0.36", null, null, null, null, null, "DISABLED",
                List.of(new GroupMember("db-0", 3306, "OFFLINE", "")));
        Detection d = BackendModeDecision.detect(disabled);
        assertThat(d.mode()).isEqualTo(BackendMode.STANDALONE);
        assertThat(d.evidence()).isEqualTo("no wsrep_on variable, group_replication plugin DISABLED");
    }

    @Test
    void neitherIsASingleServer() {
        assertThat(BackendModeDecision.detect(STANDALONE_MARIADB)).isEqualTo(new Detection(BackendMode.STANDALONE,
                "wsrep_on=OFF, no group_replication plugin"));
        assertThat(BackendModeDecision.detect(STANDALONE_MYSQL)).isEqualTo(new Detection(BackendMode.STANDALONE,
                "no wsrep_on variable, no group_replication plugin"));
    }

    @Test
    void whatWasReadWinsOverTheHint() {
        Decision d = BackendModeDecision.decide(Optional.empty(), read(STANDALONE_MARIADB), Optional.empty(), BackendMode.GALERA, "kubedb.com/mariadb");
        assertThat(d.problem()).isEmpty();
        assertThat(d.mode()).isEqualTo(BackendMode.STANDALONE);
        assertThat(d.check()).hasValueSatisfying(c -> {
            assertThat(c.ok()).isTrue();
            assertThat(c.reason()).isEqualTo("Standalone");
            assertThat(c.message()).isEqualTo("Read from backend " + BACKEND + ": wsrep_on=OFF, no group_replication plugin.");
        });
    }

    @Test
    void aChangedModeIsRenderedAndTheMessageSaysRunningPodsKeepTheOldOne() {
        Decision d = BackendModeDecision.decide(Optional.empty(), read(GALERA_NODE), Optional.of(condition("True", "Standalone",
                "Read from backend " + BACKEND + ": wsrep_on=OFF, no group_replication plugin.")), BackendMode.GALERA, "kubedb.com/mariadb");
        assertThat(d.mode()).isEqualTo(BackendMode.GALERA);
        assertThat(d.check().orElseThrow().message()).contains("wsrep_cluster_size=3")
                .contains("Changed from Standalone: proxysql.cnf is rendered anew; running pods keep the mode they started with");
    }

    @Test
    void anUnreadableBackendKeepsTheModeReadBeforeWithItsEvidence() {
        Condition before = condition("True", "Galera", "Read from backend " + BACKEND + ": wsrep_on=ON, wsrep_cluster_size=3.");
        Decision d = BackendModeDecision.decide(Optional.empty(), failed(), Optional.of(before), BackendMode.STANDALONE, "example.com/db");
        assertThat(d.mode()).as("never another mode on an error").isEqualTo(BackendMode.GALERA);
        assertThat(d.check()).hasValueSatisfying(c -> {
            assertThat(c.ok()).isTrue();
            assertThat(c.reason()).isEqualTo("Galera");
            assertThat(c.message()).isEqualTo("The backend could not be read now (backend " + BACKEND + " is unreachable: no route);"
                    + " keeping Galera from the last read: Read from backend " + BACKEND + ": wsrep_on=ON, wsrep_cluster_size=3.");
        });

        Decision again = BackendModeDecision.decide(Optional.empty(), failed(), Optional.of(condition("True", "Galera", d.check().get().message())),
                BackendMode.STANDALONE, "example.com/db");
        assertThat(again.check().orElseThrow().message()).as("the evidence is not nested").isEqualTo(d.check().get().message());
    }

    @Test
    void anUnreadableBackendNeverReadBeforeUsesTheHintAndIsFalse() {
        Decision d = BackendModeDecision.decide(Optional.empty(), failed(), Optional.empty(), BackendMode.GALERA, "kubedb.com/mariadb");
        assertThat(d.mode()).isEqualTo(BackendMode.GALERA);
        assertThat(d.check()).hasValueSatisfying(c -> {
            assertThat(c.ok()).isFalse();
            assertThat(c.reason()).isEqualTo("Galera");
            assertThat(c.message()).isEqualTo("The backend could not be read yet (backend " + BACKEND + " is unreachable: no route);"
                    + " rendering Galera, what the AppBinding's type 'kubedb.com/mariadb' suggests, until it can be read.");
        });
        Decision stillHint = BackendModeDecision.decide(Optional.empty(), failed(), Optional.of(condition("False", "Galera", "x")),
                BackendMode.GALERA, "kubedb.com/mariadb");
        assertThat(stillHint.check().orElseThrow().ok()).as("a hint is not a detection").isFalse();
    }

    @Test
    void theOverrideWinsAndTheMessageSaysWhatTheBackendReadsAs() {
        Decision d = BackendModeDecision.decide(Optional.of("galera"), read(STANDALONE_MARIADB), Optional.empty(), BackendMode.STANDALONE, "x");
        assertThat(d.mode()).isEqualTo(BackendMode.GALERA);
        assertThat(d.check()).hasValueSatisfying(c -> {
            assertThat(c.ok()).isTrue();
            assertThat(c.reason()).isEqualTo("Galera");
            assertThat(c.message()).isEqualTo("Set by the annotation proxysql.dev/backend-mode=galera; the backend " + BACKEND
                    + " reads as Standalone (wsrep_on=OFF, no group_replication plugin).");
        });
        Decision unread = BackendModeDecision.decide(Optional.of("Standalone"), failed(), Optional.empty(), BackendMode.GALERA, "x");
        assertThat(unread.mode()).isEqualTo(BackendMode.STANDALONE);
        assertThat(unread.check().orElseThrow().message()).endsWith("the backend could not be read: backend " + BACKEND + " is unreachable: no route.");
    }

    @Test
    void anInvalidOverrideIsAProblemNamingTheAnnotation() {
        Decision d = BackendModeDecision.decide(Optional.of("MasterSlave"), read(GALERA_NODE), Optional.empty(), BackendMode.GALERA, "x");
        assertThat(d.problem()).hasValueSatisfying(p -> {
            assertThat(p.reason()).isEqualTo("InvalidBackendMode");
            assertThat(p.message()).isEqualTo("metadata.annotations[proxysql.dev/backend-mode]: 'MasterSlave' is not a backend mode;"
                    + " use Standalone, Galera or GroupReplication (or remove the annotation to have the mode read from the backend)");
        });
        assertThat(d.check()).isEmpty();
    }

    @Test
    void notAskedKeepsTheConditionAndRendersTheOverrideElseTheRecordElseTheHint() {
        Optional<Condition> recorded = Optional.of(condition("True", "GroupReplication", "Read from backend ..."));
        Decision kept = BackendModeDecision.decide(Optional.empty(), Optional.empty(), recorded, BackendMode.GALERA, "x");
        assertThat(kept.mode()).isEqualTo(BackendMode.GROUP_REPLICATION);
        assertThat(kept.check()).isEmpty();
        assertThat(BackendModeDecision.decide(Optional.of("Standalone"), Optional.empty(), recorded, BackendMode.GALERA, "x").mode())
                .isEqualTo(BackendMode.STANDALONE);
        assertThat(BackendModeDecision.decide(Optional.empty(), Optional.empty(), Optional.empty(), BackendMode.GALERA, "x").mode())
                .isEqualTo(BackendMode.GALERA);
    }

    private static Optional<BackendModeReading> read(BackendModeObservation o) {
        return Optional.of(BackendModeReading.read(BACKEND, o));
    }

    private static Optional<BackendModeReading> failed() {
        return Optional.of(BackendModeReading.failed(BACKEND, "BackendUnreachable", "backend " + BACKEND + " is unreachable: no route"));
    }

    static Condition condition(String status, String reason, String message) {
        return new Condition("BackendModeDetected", status, reason, message);
    }
}
