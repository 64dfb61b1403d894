package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLStatus;
import dev.proxysql.operator.kube.CachedApiSupport;
import dev.proxysql.operator.kube.ChildApplier;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.kube.EnumNames;
import dev.proxysql.operator.kube.EventRecorder;
import dev.proxysql.operator.kube.PrunedCaches;
import dev.proxysql.operator.tls.CertificateFactory;
import dev.proxysql.operator.provisioner.children.SecretFactory;
import dev.proxysql.operator.provisioner.children.ServiceMonitorFactory;
import dev.proxysql.operator.provisioner.status.Observation.Check;
import dev.proxysql.operator.provisioner.status.Observation.Problem;
import dev.proxysql.operator.provisioner.status.Observation;
import dev.proxysql.operator.provisioner.status.StatusCalculator;
import dev.proxysql.operator.proxysql.backend.BackendModeReader;
import dev.proxysql.operator.proxysql.backend.BackendUserReader;
import dev.proxysql.operator.proxysql.backend.MonitorUserProvisioner;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.ProxySqlCnfRenderer;
import dev.proxysql.operator.proxysql.config.ProxySqlCnfResult;
import dev.proxysql.operator.topology.KubeDbLabels;
import dev.proxysql.operator.topology.PauseProtocol;
import dev.proxysql.operator.topology.StatefulSetFactory;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provisioner: makes a ProxySQL's children match its spec and reports status. One pass is
 * <ol>
 *   <li>observe: the StatefulSet and other children from informer caches;</li>
 *   <li>resolve and validate: the ProxySQLVersion, backend AppBinding and Secrets, and render proxysql.cnf — all
 *       read-only, so a problem is reported before anything is created;</li>
 *   <li>act, unless paused: halted → remove running parts; otherwise apply every child (only changed ones are
 *       written);</li>
 *   <li>report: conditions and phase computed from what was seen.</li>
 * </ol>
 * Status changes trigger reconciles too (generation-aware filtering is off), because the ops manager's
 * {@code Paused} condition is a status change that the provisioner must acknowledge.
 */
@ControllerConfiguration(name = ProvisionerReconciler.NAME, generationAwareEventProcessing = false,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class ProvisionerReconciler implements Reconciler<ProxySQL> {
    public static final String NAME = "proxysql-provisioner";
    /** How soon to look again when a referenced object is missing; user Secrets are not watched. */
    static final Duration DEPENDENCY_RETRY = Duration.ofSeconds(15);
    /** How long a discovery answer about an optional CRD (ServiceMonitor, cert-manager's Certificate) is trusted; a CRD installed later is seen this late. */
    static final Duration SERVICE_MONITOR_DISCOVERY_TTL = Duration.ofSeconds(30);
    /** Reason of {@code DependencyReady=False} when a reconcile threw. */
    static final String PROVISIONING_FAILED = "ProvisioningFailed";
    /** How soon a reconcile the API server refused (4xx) is tried again. */
    static final Duration REFUSED_RETRY = Duration.ofMinutes(1);
    private static final int MAX_FAILURE_MESSAGE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(ProvisionerReconciler.class);

    private final KubernetesClient client;
    private final ProxySQLHealthCheck healthCheck;
    private final ProvisionerMetrics metrics;
    private final StatusCalculator statusCalculator;
    private final StatusWriter statusWriter;
    private final ChildrenWriter childrenWriter;
    private final MonitorUsers monitorUsers;
    private final BackendModeTracker backendModes;
    private final BackendMemberDiscovery backendMembers;
    private final Optional<UserSync> userSync;
    private final TlsProvisioner tls;
    private final Map<Class<? extends HasMetadata>, InformerEventSource<? extends HasMetadata, ProxySQL>> children = new LinkedHashMap<>();
    private InformerEventSource<ProxySQLVersion, ProxySQL> versions;
    private InformerEventSource<AppBinding, ProxySQL> appBindings;

    public ProvisionerReconciler(KubernetesClient client, ProxySQLHealthCheck healthCheck, Clock clock, ProvisionerMetrics metrics) {
        this(client, healthCheck, clock, metrics, Optional.empty());
    }

    /**
     * {@code podEndpoints}: where pods' admin interfaces are reached to put users into ProxySQL; empty where pods run
     * no ProxySQL (the local kwok cluster's tests), and then declared users and syncUsers are not acted on.
     */
    public ProvisionerReconciler(KubernetesClient client, ProxySQLHealthCheck healthCheck, Clock clock, ProvisionerMetrics metrics,
                                 Optional<UserSync.PodEndpoints> podEndpoints) {
        this.client = client;
        this.healthCheck = healthCheck;
        this.metrics = metrics;
        this.statusCalculator = new StatusCalculator(clock);
        this.statusWriter = new StatusWriter(client, NAME);
        ChildApplier applier = new ChildApplier(client, StatefulSetFactory.FIELD_MANAGER, metrics::childWrite);
        CachedApiSupport serviceMonitorCrd = new CachedApiSupport(
                () -> client.supports(ServiceMonitorFactory.API_VERSION, ServiceMonitorFactory.KIND), clock, SERVICE_MONITOR_DISCOVERY_TTL);
        this.childrenWriter = new ChildrenWriter(client, applier, metrics::childWrite,
                new ServiceMonitorWriter(client, applier, metrics::childWrite, serviceMonitorCrd));
        CachedApiSupport certificateCrd = new CachedApiSupport(
                () -> client.supports(CertificateFactory.API_VERSION, CertificateFactory.KIND), clock, SERVICE_MONITOR_DISCOVERY_TTL);
        this.tls = new TlsProvisioner(client, applier, metrics::childWrite, certificateCrd, clock);
        this.monitorUsers = new MonitorUsers(MonitorUserProvisioner.withDefaultTimeouts()::ensure,
                (p, fingerprint) -> childrenWriter.recordMonitorUserEnsured(p, MonitorUsers.ENSURED_ANNOTATION, fingerprint), clock);
        this.backendModes = new BackendModeTracker(BackendModeReader.withDefaultTimeouts()::read, clock);
        this.backendMembers = new BackendMemberDiscovery(client);
        this.userSync = podEndpoints.map(endpoints -> new UserSync(BackendUserReader.withDefaultTimeouts()::read,
                p -> ReadyPods.names(client, p), endpoints, new EventRecorder(client, NAME, clock)));
    }

    @Override
    public List<EventSource<?, ProxySQL>> prepareEventSources(EventSourceContext<ProxySQL> context) {
        List<EventSource<?, ProxySQL>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : List.of(StatefulSet.class, Service.class, Secret.class, PodDisruptionBudget.class)) {
            InformerEventSource<? extends HasMetadata, ProxySQL> source = childInformer(kind, context);
            children.put(kind, source);
            sources.add(source);
        }
        versions = new InformerEventSource<>(InformerEventSourceConfiguration.from(ProxySQLVersion.class, ProxySQL.class)
                .withName("proxysqlversions")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(v -> primaries(context, p -> v.getMetadata().getName().equals(p.getSpec().getVersion())))
                .build(), context);
        appBindings = new InformerEventSource<>(InformerEventSourceConfiguration.from(AppBinding.class, ProxySQL.class)
                .withName("appbindings")
                .withSecondaryToPrimaryMapper(b -> primaries(context, p -> p.getMetadata().getNamespace().equals(b.getMetadata().getNamespace())
                        && p.getSpec().getBackend() != null && b.getMetadata().getName().equals(p.getSpec().getBackend().getName())))
                .build(), context);
        sources.add(versions);
        sources.add(appBindings);
        sources.add(backendMembers.eventSource(context, id -> appBindings.get(id)));
        return sources;
    }

    private static <R extends HasMetadata> InformerEventSource<R, ProxySQL> childInformer(Class<R> kind, EventSourceContext<ProxySQL> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, ProxySQL.class)
                .withName(kind.getSimpleName().toLowerCase() + "-children")
                .withLabelSelector(KubeDbLabels.ALL_OFFSHOOTS)
                .withItemStore(childStore(kind))
                .withSecondaryToPrimaryMapper(child -> {
                    String instance = child.getMetadata().getLabels() == null ? null
                            : child.getMetadata().getLabels().get(KubeDbLabels.INSTANCE);
                    return instance == null ? Set.of() : Set.of(new ResourceID(instance, child.getMetadata().getNamespace()));
                })
                .build(), context);
    }

    /**
     * Children are read from the cache for their desired-state hash (annotations), to delete them, and, for the
     * StatefulSet, for replicas and status; everything else (templates, Secret data) is never kept.
     */
    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> ItemStore<R> childStore(Class<R> kind) {
        return kind == StatefulSet.class ? (ItemStore<R>) PrunedCaches.statefulSetsForStatus() : PrunedCaches.metadataOnly(kind);
    }

    private static Set<ResourceID> primaries(EventSourceContext<ProxySQL> context, Predicate<ProxySQL> matches) {
        return context.getPrimaryCache().list().filter(p -> p.getSpec() != null && matches.test(p))
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<ProxySQL> reconcile(ProxySQL p, Context<ProxySQL> context) {
        try {
            return reconcileOnce(p);
        } catch (KubernetesClientException e) {
            if (isGoingAway(e)) {
                // The ProxySQL or its namespace is being deleted: nothing left to provision or report.
                LOG.debug("ProxySQL {}/{} is going away: {}", p.getMetadata().getNamespace(), p.getMetadata().getName(), e.getMessage());
                return UpdateControl.noUpdate();
            }
            throw e;
        }
    }

    /**
     * A reconcile that threw (the API server refused a write, e.g. RBAC refusing an owner reference; a bug) is reported
     * as {@code DependencyReady=False} with reason {@link #PROVISIONING_FAILED} and what failed, instead of only a
     * log line and, after the last retry, "Exhausted retries" (a conflict, 409, is only retried). A refusal that a
     * retry cannot fix (4xx other than 409 and 429) is not retried at JOSDK's pace but looked at again after {@link #REFUSED_RETRY}.
     */
    @Override
    public ErrorStatusUpdateControl<ProxySQL> updateErrorStatus(ProxySQL p, Context<ProxySQL> context, Exception e) {
        if (e instanceof KubernetesClientException k && k.getCode() == 409) {
            // A write raced another: the retry sees the new state, and a condition would only flap.
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        String message = "provisioning failed and is retried: " + describe(e);
        LOG.warn("ProxySQL {}/{}: {}", p.getMetadata().getNamespace(), p.getMetadata().getName(), message);
        try {
            List<Condition> previous = p.getStatus() == null ? List.of() : p.getStatus().getConditions();
            ProxySQLStatus status = statusCalculator.compute(new Observation(p.getMetadata().getGeneration(), previous,
                    Optional.of(new Problem(PROVISIONING_FAILED, message)), Boolean.TRUE.equals(p.getSpec().getHalted()),
                    Conditions.isTrue(previous, PauseProtocol.PAUSED), Optional.empty(), Optional.empty(), Optional.empty()));
            if (statusWriter.write(p, status)) {
                metrics.statusWrite();
            }
        } catch (RuntimeException writeFailed) {
            LOG.warn("ProxySQL {}/{}: could not report the failure in status: {}", p.getMetadata().getNamespace(),
                    p.getMetadata().getName(), writeFailed.toString());
        }
        boolean permanent = e instanceof KubernetesClientException k && k.getCode() >= 400 && k.getCode() < 500
                && k.getCode() != 409 && k.getCode() != 429;
        return permanent ? ErrorStatusUpdateControl.<ProxySQL>noStatusUpdate().withNoRetry().rescheduleAfter(REFUSED_RETRY)
                : ErrorStatusUpdateControl.noStatusUpdate();
    }

    /** What failed, in one line of bounded length: the API server's own message, or the exception's. */
    static String describe(Exception e) {
        String text;
        if (e instanceof KubernetesClientException k) {
            String server = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : k.getMessage();
            text = "the API server answered " + k.getCode() + ": " + server;
        } else {
            text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() <= MAX_FAILURE_MESSAGE ? text : text.substring(0, MAX_FAILURE_MESSAGE) + "...";
    }

    private static boolean isGoingAway(KubernetesClientException e) {
        boolean namespaceTerminating = e.getCode() == 403 && e.getStatus() != null && e.getStatus().getDetails() != null
                && e.getStatus().getDetails().getCauses() != null && e.getStatus().getDetails().getCauses().stream()
                .anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
        boolean primaryGone = e.getCode() == 404 && e.getStatus() != null && e.getStatus().getDetails() != null
                && "proxysqls".equals(e.getStatus().getDetails().getKind());
        return namespaceTerminating || primaryGone;
    }

    private UpdateControl<ProxySQL> reconcileOnce(ProxySQL p) {
        metrics.reconciled();
        List<Condition> previous = p.getStatus() == null ? List.of() : p.getStatus().getConditions();
        boolean paused = Conditions.isTrue(previous, PauseProtocol.PAUSED);
        boolean halted = Boolean.TRUE.equals(p.getSpec().getHalted());
        ChildrenWriter.Cache cache = (kind, name) -> children.get(kind).get(new ResourceID(name, p.getMetadata().getNamespace()));
        Optional<StatefulSet> sts = cache.apply(StatefulSet.class, ProxySQLNames.statefulSet(p)).map(StatefulSet.class::cast);

        Provisioned provisioned = Provisioned.NOTHING;
        if (halted) {
            if (!paused) {
                childrenWriter.removeRunningParts(p, cache);
            }
        } else {
            provisioned = provision(p, sts.isPresent(), paused, cache);
        }
        Optional<Problem> problem = provisioned.problem();

        Optional<Observation.Replicas> replicas = halted ? Optional.empty() : sts.map(s -> new Observation.Replicas(
                s.getSpec().getReplicas(), s.getStatus() == null || s.getStatus().getReadyReplicas() == null ? 0 : s.getStatus().getReadyReplicas()));
        Optional<Observation.Health> health = halted ? Optional.empty() : sts.map(s -> healthCheck.check(p, s));
        ProxySQLStatus status = statusCalculator.compute(new Observation(p.getMetadata().getGeneration(), previous, problem,
                halted, paused, replicas, health, provisioned.monitorUser().check(), provisioned.users(), provisioned.backendMode()));
        if (statusWriter.write(p, status)) {
            metrics.statusWrite();
            LOG.info("ProxySQL {}/{}: phase {}", p.getMetadata().getNamespace(), p.getMetadata().getName(), EnumNames.of(status.getPhase()));
        }
        Optional<Duration> retry = problem.isPresent() ? Optional.of(DEPENDENCY_RETRY)
                : earliest(earliest(provisioned.monitorUser().retryAfter(), provisioned.usersRetry()), provisioned.backendModeRead());
        return retry.map(r -> UpdateControl.<ProxySQL>noUpdate().rescheduleAfter(r)).orElseGet(UpdateControl::noUpdate);
    }

    private static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().compareTo(b.get()) <= 0 ? a.get() : b.get());
    }

    /**
     * What provisioning found: the problem that stopped it, if any, what became of the monitor user, and of the users
     * put into ProxySQL (and when to sync them again), the backend mode's condition when decided anew (and when the
     * backend is due to be asked again).
     */
    private record Provisioned(Optional<Problem> problem, MonitorUsers.Outcome monitorUser, Observation.Users users,
                               Optional<Duration> usersRetry, Optional<Check> backendMode, Optional<Duration> backendModeRead) {
        static final Provisioned NOTHING = new Provisioned(Optional.empty(), new MonitorUsers.Outcome(Optional.empty(), Optional.empty()),
                Observation.Users.NONE, Optional.empty(), Optional.empty(), Optional.empty());

        static Provisioned stoppedBy(Optional<Problem> problem) {
            return new Provisioned(problem, NOTHING.monitorUser(), NOTHING.users(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** The backend mode decided this reconcile is reported however provisioning ended. */
        Provisioned with(BackendModeTracker.Outcome mode) {
            return new Provisioned(problem, monitorUser, users, usersRetry, mode.decision().check(), mode.nextRead());
        }
    }

    /**
     * Resolves, decides the backend mode (asking the backend when due: before rendering, since a pod reads
     * proxysql.cnf only at its first start; an unreachable backend costs at most the 3 s connect timeout, then is
     * backed off like the monitor user), renders and (unless paused) applies, then ensures the monitor user on the
     * backend: after the StatefulSet, so an unreachable backend never delays the ProxySQL by more than that.
     */
    private Provisioned provision(ProxySQL p, boolean deployed, boolean paused, ChildrenWriter.Cache cache) {
        ReferenceResolver resolver = new ReferenceResolver(client,
                name -> versions.get(new ResourceID(name)).orElse(null),
                proxysql -> appBindings.get(new ResourceID(proxysql.getSpec().getBackend().getName(),
                        proxysql.getMetadata().getNamespace())).orElse(null));
        ResolvedReferences refs = resolver.resolve(p, deployed);
        if (!refs.ok()) {
            return Provisioned.stoppedBy(refs.problem());
        }
        BackendModeTracker.Outcome mode = backendModes.decide(p, refs, paused);
        if (mode.decision().problem().isPresent()) {
            return Provisioned.stoppedBy(mode.decision().problem());
        }
        return provision(p, refs, mode.decision().mode(), paused, cache).with(mode);
    }

    private Provisioned provision(ProxySQL p, ResolvedReferences refs, BackendMode mode, boolean paused, ChildrenWriter.Cache cache) {
        String password = refs.authSecret().map(s -> ConfigInputMapper.text(s, "password")).orElseGet(SecretFactory::randomPassword);
        Credentials monitor = refs.monitorSecret()
                .map(s -> new Credentials(ConfigInputMapper.text(s, "username"), ConfigInputMapper.text(s, "password")))
                .orElseGet(() -> new Credentials(ProxySQLNames.monitorUser(p), SecretFactory.randomPassword()));
        ProxySqlCnfResult cnf = ProxySqlCnfRenderer.render(ConfigInputMapper.map(p, refs, backendMembers.members(refs.backend(), mode),
                password, monitor, mode));
        if (!cnf.isValid()) {
            return Provisioned.stoppedBy(Optional.of(new Problem("InvalidConfiguration", cnf.errorSummary())));
        }
        boolean usersWanted = userSync.isPresent() && UserSync.wanted(p, cnf.deferredUsers());
        Optional<Problem> invalidTls = TlsProvisioner.validate(p);
        if (invalidTls.isPresent()) {
            return Provisioned.stoppedBy(invalidTls);
        }
        if (paused) {
            return new Provisioned(Optional.empty(), NOTHING_MONITOR, new Observation.Users(usersWanted, Optional.empty()), Optional.empty(),
                    Optional.empty(), Optional.empty());
        }
        Optional<Problem> certificates = tls.ensure(p);
        if (certificates.isPresent()) {
            return Provisioned.stoppedBy(certificates);
        }
        childrenWriter.ensureAuthSecret(p, refs.authSecret(), password, cache);
        childrenWriter.ensureMonitorSecret(p, refs.monitorSecret(), monitor.password(), cache);
        childrenWriter.applyRunningParts(p, cnf.cnfOrThrow(), ConfigInputMapper.statefulSetInputs(p, refs), cache);
        MonitorUsers.Outcome monitorUser = monitorUsers.ensure(p, refs, monitor, refs.monitorSecret(), mode);
        if (!usersWanted) {
            return new Provisioned(Optional.empty(), monitorUser, Observation.Users.NONE, Optional.empty(), Optional.empty(), Optional.empty());
        }
        // After the monitor user and the StatefulSet: users need running pods, and an unreachable pod or backend
        // must not delay either.
        UserSync.Outcome users = userSync.get().sync(p, refs, cnf.deferredUsers(), monitor, password);
        return new Provisioned(Optional.empty(), monitorUser, new Observation.Users(true, Optional.of(users.check())),
                Optional.of(users.retryAfter()), Optional.empty(), Optional.empty());
    }

    private static final MonitorUsers.Outcome NOTHING_MONITOR = new MonitorUsers.Outcome(Optional.empty(), Optional.empty());
}
