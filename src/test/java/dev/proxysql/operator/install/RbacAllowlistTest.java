package dev.proxysql.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The "no more" half of least privilege: the operator's roles grant exactly this table, no wildcard, and README.md
 * explains every line. Adding a verb therefore means changing rbac.yaml, this allowlist and the README table
 * together; RbacLeastPrivilegeIT proves the other half (nothing the operator does is refused).
 */
class RbacAllowlistTest {
    /** role | API group | resource | resourceNames | verbs, as in deploy/install/operator/rbac.yaml. */
    static final String ALLOWLIST = """
            ClusterRole proxysql-operator | kubedb.com | proxysqls | - | get list watch patch
            ClusterRole proxysql-operator | kubedb.com | proxysqls/status | - | patch
            ClusterRole proxysql-operator | kubedb.com | proxysqls/finalizers | - | update
            ClusterRole proxysql-operator | ops.kubedb.com | proxysqlopsrequests | - | get list watch patch
            ClusterRole proxysql-operator | ops.kubedb.com | proxysqlopsrequests/status | - | update
            ClusterRole proxysql-operator | appcatalog.appscode.com | appbindings | - | get list watch
            ClusterRole proxysql-operator | core | secrets | - | get list watch create patch
            ClusterRole proxysql-operator | core | services | - | list watch create patch delete
            ClusterRole proxysql-operator | apps | statefulsets | - | get list watch create patch delete
            ClusterRole proxysql-operator | policy | poddisruptionbudgets | - | list watch create patch delete
            ClusterRole proxysql-operator | monitoring.coreos.com | servicemonitors | - | get create patch delete
            ClusterRole proxysql-operator | cert-manager.io | certificates | - | get create patch delete
            ClusterRole proxysql-operator | cert-manager.io | certificates/status | - | patch
            ClusterRole proxysql-operator | core | pods | - | get list watch patch
            ClusterRole proxysql-operator | discovery.k8s.io | endpointslices | - | list watch
            ClusterRole proxysql-operator | core | pods/eviction | - | create
            ClusterRole proxysql-operator | core | events | - | create
            ClusterRole proxysql-operator-cluster | catalog.kubedb.com | proxysqlversions | - | get list watch
            ClusterRole proxysql-operator-cluster | admissionregistration.k8s.io | validatingwebhookconfigurations | proxysql-operator | get patch
            ClusterRole proxysql-operator-cluster | admissionregistration.k8s.io | mutatingwebhookconfigurations | proxysql-operator | get patch
            Role proxysql-operator-leader-election | coordination.k8s.io | leases | - | create
            Role proxysql-operator-leader-election | coordination.k8s.io | leases | proxysql-operator | get update patch
            """;
    private static final String HOW = "; a change of the operator's permissions must change deploy/install/operator/rbac.yaml, "
            + "the Helm chart's templates/rbac.yaml, RbacAllowlistTest.ALLOWLIST and the permissions table of README.md together";

    @Test
    void theRolesGrantExactlyTheAllowlist() {
        assertThat(RbacRules.ofKustomizeBase()).as("rules of " + RbacRules.KUSTOMIZE_RBAC + HOW)
                .containsExactlyElementsOf(RbacRules.parse(ALLOWLIST));
    }

    @Test
    void noRuleUsesAWildcard() {
        assertThat(RbacRules.ofKustomizeBase()).allSatisfy(r -> assertThat(r.group() + " " + r.resource() + " " + r.verbs())
                .as("rule %s", r).doesNotContain("*"));
    }

    @Test
    void theReadmeExplainsEveryRule() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("<!-- permissions:start -->");
        int end = readme.indexOf("<!-- permissions:end -->");
        assertThat(start).as("README.md has the permissions table between <!-- permissions:start/end --> markers").isPositive();
        assertThat(end).isGreaterThan(start);
        TreeSet<RbacRules> documented = new TreeSet<>();
        // | ClusterRole `proxysql-operator` | `kubedb.com` | `proxysqls` | — | get, list, watch, patch | why |
        Pattern row = Pattern.compile("^\\|\\s*(ClusterRole|Role) `([^`]+)`\\s*\\|\\s*`?([^`|]+?)`?\\s*\\|\\s*`([^`]+)`\\s*\\|"
                + "\\s*(?:`([^`]+)`|—)\\s*\\|\\s*([a-z, ]+?)\\s*\\|\\s*(.*?)\\s*\\|\\s*$");
        for (String line : readme.substring(start, end).lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Role | API group")).toList()) {
            Matcher m = row.matcher(line);
            assertThat(m.matches()).as("permissions table row in README.md: %s", line).isTrue();
            assertThat(m.group(7)).as("the reason given for %s", line).hasSizeGreaterThan(20);
            documented.add(new RbacRules(m.group(1) + " " + m.group(2), m.group(3), m.group(4),
                    m.group(5) == null ? "-" : m.group(5), m.group(6).replace(",", " ").replaceAll("\\s+", " ")));
        }
        assertThat(documented).as("rules documented in README.md" + HOW).containsExactlyElementsOf(RbacRules.ofKustomizeBase());
    }
}
