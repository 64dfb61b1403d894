package dev.proxysql.operator.opsmanager.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.queue.Ownership.Holder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnershipTest {
    private static final Holder ME = new Holder("aa-1", "uid-a");
    private static final Holder OTHER = new Holder("zz-1", "uid-z");

    @Test
    void aFreeRecordIsTaken() {
        assertThat(Ownership.claim(null, ME, h -> true)).isEqualTo(new Ownership.Free());
    }

    @Test
    void aRecordNamingTheRequestIsItsOwnAlready() {
        assertThat(Ownership.claim("aa-1/uid-a", ME, h -> true)).isEqualTo(new Ownership.Mine());
    }

    @Test
    void anotherRunningRequestHoldsIt() {
        assertThat(Ownership.claim("zz-1/uid-z", ME, OTHER::equals)).isEqualTo(new Ownership.HeldBy(OTHER));
    }

    @Test
    void aFinishedOrGoneHolderOrAnUnreadableRecordIsTakenOverOnTheConditionItIsUnchanged() {
        assertThat(Ownership.claim("zz-1/uid-z", ME, h -> false)).isEqualTo(new Ownership.Stale("zz-1/uid-z"));
        assertThat(Ownership.claim("aa-1/uid-old", ME, h -> h.uid().equals("uid-old")))
                .as("the same name, another request (deleted and created again) that still runs").isEqualTo(new Ownership.HeldBy(new Holder("aa-1", "uid-old")));
        assertThat(Ownership.claim("by hand", ME, h -> true)).isEqualTo(new Ownership.Stale("by hand"));
        assertThat(Ownership.claim("zz-1/", ME, h -> true)).isEqualTo(new Ownership.Stale("zz-1/"));
    }

    @Test
    void theRecordNamesTheRequestByNameAndUid() {
        ProxySQLOpsRequest r = new ProxySQLOpsRequest();
        r.setMetadata(new ObjectMetaBuilder().withName("aa-1").withUid("uid-a").build());
        ProxySQL p = new ProxySQL();
        p.setMetadata(new ObjectMetaBuilder().withName("px").withAnnotations(Map.of(Ownership.ANNOTATION, "aa-1/uid-a")).build());
        assertThat(Ownership.holds(p, r)).isTrue();
        p.getMetadata().setAnnotations(Map.of(Ownership.ANNOTATION, "aa-1/uid-b"));
        assertThat(Ownership.holds(p, r)).isFalse();
        p.getMetadata().setAnnotations(null);
        assertThat(Ownership.holds(p, r)).isFalse();
        assertThat(Holder.of(r).value()).isEqualTo("aa-1/uid-a");
    }
}
