package crew.aws;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import crew.model.endpoint.AuthenticationOption;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.TargetNetwork;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ClientVpnAuthenticationRequest;
import software.amazon.awssdk.services.ec2.model.CreateClientVpnEndpointRequest;
import software.amazon.awssdk.services.ec2.model.ModifyClientVpnEndpointRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Executes a plan with client tokens derived from the apply id (so a repeated request after a crash is idempotent),
 * waits for associations and routes to become active, stops at the first failure and records progress in a state
 * file so that the next run resumes. Independent steps (the associations; the routes and the rules; the removals)
 * run {@link #concurrency} at a time, within AWS's limit of concurrent operations per endpoint.
 */
public final class PlanExecutor {
    /** Errors that, when a removal is repeated on resume, mean it was already done. */
    private static final Set<String> ALREADY_GONE = Set.of("InvalidClientVpnRouteNotFound", "InvalidClientVpnEndpointAuthorizationRuleNotFound",
            "InvalidClientVpnActiveAssociationNotFound");

    private final AwsSession session;
    private final Ec2Client ec2;
    private final PrintStream progress;
    private Duration pollInterval = Duration.ofSeconds(5);
    private Duration timeout = Duration.ofMinutes(15);

    public PlanExecutor(AwsSession session, PrintStream progress) {
        this.session = session;
        this.ec2 = session.ec2();
        this.progress = progress;
    }

    /** How often and how long to poll for associations and routes to become active. */
    public PlanExecutor waiting(Duration interval, Duration limit) {
        this.pollInterval = interval;
        this.timeout = limit;
        return this;
    }

    /** Starts applying {@code plan}, recording progress in {@code stateFile} (overwritten). */
    public ApplyReport apply(Plan plan, Path stateFile) throws IOException {
        if (!plan.canApply()) {
            throw new IllegalArgumentException("the plan cannot be applied: " + String.join("; ", plan.blockers())
                    + (plan.problems().isEmpty() ? "" : " " + plan.problems()));
        }
        ApplyState state = new ApplyState(UUID.randomUUID().toString(), plan, plan.endpointId(), List.of());
        state.save(stateFile);
        return run(state, stateFile);
    }

    /** Continues the apply recorded in {@code stateFile}. */
    public ApplyReport resume(Path stateFile) throws IOException {
        return run(ApplyState.load(stateFile), stateFile);
    }

    /**
     * How many independent calls run at once (1: one after another, the default). AWS lets 10 operations run at once
     * per endpoint ({@link #AWS_CONCURRENT_OPERATIONS}); more is refused.
     */
    public PlanExecutor concurrency(int calls) {
        if (calls < 1 || calls > AWS_CONCURRENT_OPERATIONS) {
            throw new IllegalArgumentException("concurrency must be 1.." + AWS_CONCURRENT_OPERATIONS + " (AWS's limit of concurrent operations per endpoint), not "
                    + calls);
        }
        this.concurrency = calls;
        return this;
    }

    /** AWS's quota of concurrent operations per Client VPN endpoint (not adjustable). */
    public static final int AWS_CONCURRENT_OPERATIONS = 10;

    /** How often a call refused for AWS's concurrency limit (another client changing the endpoint) is tried again. */
    private static final int CONCURRENCY_RETRIES = 5;

    private int concurrency = 1;

    /**
     * The phases of a plan: the endpoint first, then the associations, then the routes and the rules (they need active
     * associations, not each other), then the removals of rules and routes, then the disassociations. Inside a phase the
     * steps are independent and run concurrently.
     */
    private static int phase(PlanStep.Action a) {
        return switch (a) {
        case CREATE_ENDPOINT -> 0;
        case MODIFY_ENDPOINT -> 1;
        case ASSOCIATE -> 2;
        case CREATE_ROUTE, AUTHORIZE -> 3;
        case REVOKE, DELETE_ROUTE -> 4;
        case DISASSOCIATE -> 5;
        };
    }

    private ApplyReport run(ApplyState initial, Path stateFile) throws IOException {
        List<PlanStep> steps = initial.plan().steps();
        java.util.concurrent.atomic.AtomicReference<ApplyState> state = new java.util.concurrent.atomic.AtomicReference<>(initial);
        String[] labels = new String[steps.size()];
        boolean[] finished = new boolean[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            labels[i] = steps.get(i).action().sign() + " " + steps.get(i).summary();
            finished[i] = initial.done().contains(i);
        }
        Object saving = new Object();
        String failedLabel = null;
        SdkException failedSdk = null;
        String failedMessage = null;
        RuntimeException failure = null;
        java.util.concurrent.ExecutorService pool = concurrency > 1 ? java.util.concurrent.Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "crew-aws-apply");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            int i = 0;
            while (i < steps.size() && failure == null) {
                int p = phase(steps.get(i).action());
                int j = i;
                while (j < steps.size() && phase(steps.get(j).action()) == p) {
                    j++;
                }
                List<Integer> todo = new ArrayList<>();
                for (int k = i; k < j; k++) {
                    if (!finished[k]) {
                        todo.add(k);
                    }
                }
                java.util.concurrent.atomic.AtomicReference<RuntimeException> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
                java.util.concurrent.atomic.AtomicInteger failedStep = new java.util.concurrent.atomic.AtomicInteger(-1);
                List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
                for (int k : todo) {
                    Runnable task = () -> {
                        if (firstFailure.get() != null) {
                            return; // stop at the first failure: what has not started stays not done
                        }
                        try {
                            String endpointId = executeRetrying(steps.get(k), k, state.get());
                            synchronized (saving) {
                                ApplyState next = state.get().withDone(k, endpointId);
                                state.set(next);
                                next.save(stateFile);
                                finished[k] = true;
                            }
                            progress.println("  done " + labels[k]);
                        } catch (SdkException | IllegalStateException e) {
                            if (firstFailure.compareAndSet(null, e)) {
                                failedStep.set(k);
                            }
                        } catch (IOException e) {
                            if (firstFailure.compareAndSet(null, new java.io.UncheckedIOException(e))) {
                                failedStep.set(k);
                            }
                        }
                    };
                    if (pool == null) {
                        task.run();
                    } else {
                        futures.add(pool.submit(task));
                    }
                }
                for (java.util.concurrent.Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while applying", e);
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IllegalStateException(e.getCause());
                    }
                }
                RuntimeException e = firstFailure.get();
                if (e == null && steps.subList(i, j).stream().anyMatch(st -> st.action() == PlanStep.Action.CREATE_ROUTE)) {
                    // every route of the phase active before what follows (a resumed apply waits again: cheap when they are)
                    try {
                        waitForRoutes(state.get().endpointId());
                    } catch (SdkException | IllegalStateException x) {
                        e = x;
                        failedStep.set(todo.isEmpty() ? i : todo.get(todo.size() - 1));
                    }
                }
                if (e instanceof java.io.UncheckedIOException io) {
                    throw io.getCause();
                }
                if (e != null) {
                    failure = e;
                    failedLabel = labels[failedStep.get()];
                    failedSdk = e instanceof SdkException sdk ? sdk : null;
                    failedMessage = failedSdk != null ? AwsErrors.describe(failedSdk) : e.getMessage();
                    progress.println("  FAILED " + failedLabel + ": " + failedMessage);
                }
                i = j;
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        List<String> done = new ArrayList<>();
        List<String> notDone = new ArrayList<>();
        for (int k = 0; k < steps.size(); k++) {
            if (finished[k]) {
                done.add(labels[k]);
            } else if (failure != null && !labels[k].equals(failedLabel)) {
                notDone.add(labels[k]);
            }
        }
        if (failure != null) {
            return new ApplyReport(state.get().endpointId(), done, failedLabel, failedMessage, AwsErrors.code(failure), notDone);
        }
        return new ApplyReport(state.get().endpointId(), done, null, null, null, List.of());
    }

    /** {@link #execute}, again after a pause when AWS refuses it for too many concurrent operations on the endpoint. */
    private String executeRetrying(PlanStep step, int index, ApplyState state) {
        for (int attempt = 0;; attempt++) {
            try {
                return execute(step, index, state);
            } catch (SdkException e) {
                if (!"ConcurrentMutationLimitExceeded".equals(AwsErrors.code(e)) || attempt >= CONCURRENCY_RETRIES) {
                    throw e;
                }
                try {
                    Thread.sleep(200L << attempt);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private String token(ApplyState state, int step) {
        return state.applyId() + "-" + step;
    }

    /** Runs one step; returns the endpoint id (new after CREATE_ENDPOINT). */
    private String execute(PlanStep step, int index, ApplyState state) {
        String id = state.endpointId();
        String token = token(state, index);
        switch (step.action()) {
        case CREATE_ENDPOINT -> {
            return ec2.createClientVpnEndpoint(createRequest(step.endpoint(), state.plan().designName(), token)).clientVpnEndpointId();
        }
        case MODIFY_ENDPOINT -> ec2.modifyClientVpnEndpoint(modifyRequest(id, step.endpoint(), step.changedFields()));
        case ASSOCIATE -> {
            String association = ec2.associateClientVpnTargetNetwork(r -> r.clientVpnEndpointId(id).subnetId(step.subnetId()).clientToken(token)).associationId();
            waitForAssociation(id, association);
        }
        case CREATE_ROUTE -> {
            ClientVpnRoute route = step.route();
            ec2.createClientVpnRoute(r -> r.clientVpnEndpointId(id).destinationCidrBlock(route.destinationCidr().toString())
                    .targetVpcSubnetId(route.targetSubnet()).description(route.description()).clientToken(token));
        }
        case AUTHORIZE -> {
            AuthorizationRule rule = step.rule();
            ec2.authorizeClientVpnIngress(r -> {
                r.clientVpnEndpointId(id).targetNetworkCidr(rule.targetNetworkCidr().toString()).description(rule.description()).clientToken(token);
                if (rule.authorizeAllGroups()) {
                    r.authorizeAllGroups(true);
                } else {
                    r.accessGroupId(rule.accessGroupId());
                }
            });
        }
        case REVOKE -> ignoringGone(() -> ec2.revokeClientVpnIngress(r -> {
            r.clientVpnEndpointId(id).targetNetworkCidr(step.rule().targetNetworkCidr().toString());
            if (step.rule().authorizeAllGroups()) {
                r.revokeAllGroups(true);
            } else {
                r.accessGroupId(step.rule().accessGroupId());
            }
        }));
        case DELETE_ROUTE -> ignoringGone(() -> ec2.deleteClientVpnRoute(r -> r.clientVpnEndpointId(id)
                .destinationCidrBlock(step.route().destinationCidr().toString()).targetVpcSubnetId(step.route().targetSubnet())));
        case DISASSOCIATE -> ignoringGone(() -> ec2.disassociateClientVpnTargetNetwork(r -> r.clientVpnEndpointId(id).associationId(step.associationId())));
        default -> throw new IllegalStateException("unknown step " + step.action());
        }
        return id;
    }

    private static void ignoringGone(Runnable call) {
        try {
            call.run();
        } catch (SdkException e) {
            if (!ALREADY_GONE.contains(AwsErrors.code(e))) {
                throw e;
            }
        }
    }

    private void waitForAssociation(String endpointId, String associationId) {
        long deadline = System.nanoTime() + timeout.toNanos();
        AccountReader reader = new AccountReader(session);
        while (true) {
            TargetNetwork t = reader.targetNetworks(endpointId).stream().filter(x -> associationId.equals(x.associationId())).findFirst().orElse(null);
            String status = t == null ? "missing" : t.status();
            if ("associated".equals(status)) {
                return;
            }
            if (!"associating".equals(status) || System.nanoTime() > deadline) {
                throw new IllegalStateException("association " + associationId + " did not become associated (status " + status + ")");
            }
            sleep();
        }
    }

    private void waitForRoutes(String endpointId) {
        long deadline = System.nanoTime() + timeout.toNanos();
        AccountReader reader = new AccountReader(session);
        while (true) {
            List<ClientVpnRoute> routes = reader.routes(endpointId);
            List<ClientVpnRoute> failed = routes.stream().filter(r -> "failed".equals(r.status())).toList();
            if (!failed.isEmpty()) {
                throw new IllegalStateException("route " + failed.get(0).destinationCidr() + " via " + failed.get(0).targetSubnet() + " failed");
            }
            long pending = routes.stream().filter(r -> "creating".equals(r.status())).count();
            if (pending == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(pending + " routes still creating after " + timeout.toSeconds() + " s");
            }
            sleep();
        }
    }

    private void sleep() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting");
        }
    }

    static CreateClientVpnEndpointRequest createRequest(ClientVpnEndpoint e, String name, String token) {
        List<ClientVpnAuthenticationRequest> auth = new ArrayList<>();
        for (AuthenticationOption a : e.authenticationOptions()) {
            // the SDK's Consumer overloads reject null, so only set the block the option type has
            ClientVpnAuthenticationRequest.Builder ab = ClientVpnAuthenticationRequest.builder().type(a.type());
            if (a.clientRootCertificateChain() != null) {
                ab.mutualAuthentication(m -> m.clientRootCertificateChainArn(a.clientRootCertificateChain()));
            }
            if (a.directoryId() != null) {
                ab.activeDirectory(d -> d.directoryId(a.directoryId()));
            }
            if (a.samlProviderArn() != null) {
                ab.federatedAuthentication(f -> f.samlProviderArn(a.samlProviderArn()).selfServiceSAMLProviderArn(a.selfServiceSamlProviderArn()));
            }
            auth.add(ab.build());
        }
        List<Tag> tags = new ArrayList<>();
        e.tags().forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
        CreateClientVpnEndpointRequest.Builder b = CreateClientVpnEndpointRequest.builder().clientCidrBlock(e.clientCidrBlock().toString())
                .serverCertificateArn(e.serverCertificateArn()).authenticationOptions(auth)
                .connectionLogOptions(l -> l.enabled(e.connectionLogOptions().enabled()).cloudwatchLogGroup(e.connectionLogOptions().cloudwatchLogGroup())
                        .cloudwatchLogStream(e.connectionLogOptions().cloudwatchLogStream()))
                .transportProtocol(e.transportProtocol().awsValue()).vpnPort(e.vpnPort()).description(e.description()).splitTunnel(e.splitTunnel())
                .vpcId(e.vpcId()).selfServicePortal(e.selfServicePortal() ? "enabled" : "disabled")
                .clientConnectOptions(c -> c.enabled(e.clientConnectOptions().enabled()).lambdaFunctionArn(e.clientConnectOptions().lambdaFunctionArn()))
                .sessionTimeoutHours(e.sessionTimeoutHours())
                .clientLoginBannerOptions(c -> c.enabled(e.clientLoginBannerOptions().enabled()).bannerText(e.clientLoginBannerOptions().bannerText()))
                .clientRouteEnforcementOptions(c -> c.enforced(e.clientRouteEnforcement())).disconnectOnSessionTimeout(e.disconnectOnSessionTimeout())
                .endpointIpAddressType(e.endpointIpAddressType().awsValue()).trafficIpAddressType(e.trafficIpAddressType().awsValue()).clientToken(token);
        if (!e.dnsServers().isEmpty()) {
            b.dnsServers(e.dnsServers().stream().map(Object::toString).toList());
        }
        if (!e.securityGroupIds().isEmpty()) {
            b.securityGroupIds(e.securityGroupIds());
        }
        if (!tags.isEmpty()) {
            b.tagSpecifications(TagSpecification.builder().resourceType(ResourceType.CLIENT_VPN_ENDPOINT).tags(tags).build());
        }
        if (e.transitGatewayId() != null) {
            b.transitGatewayConfiguration(t -> t.transitGatewayId(e.transitGatewayId()));
        }
        return b.build();
    }

    static ModifyClientVpnEndpointRequest modifyRequest(String id, ClientVpnEndpoint e, List<String> fields) {
        ModifyClientVpnEndpointRequest.Builder b = ModifyClientVpnEndpointRequest.builder().clientVpnEndpointId(id);
        for (String f : fields) {
            switch (f) {
            case "description" -> b.description(e.description());
            case "serverCertificateArn" -> b.serverCertificateArn(e.serverCertificateArn());
            case "connectionLogOptions" -> b.connectionLogOptions(l -> l.enabled(e.connectionLogOptions().enabled())
                    .cloudwatchLogGroup(e.connectionLogOptions().cloudwatchLogGroup()).cloudwatchLogStream(e.connectionLogOptions().cloudwatchLogStream()));
            case "dnsServers" -> b.dnsServers(d -> d.enabled(!e.dnsServers().isEmpty()).customDnsServers(e.dnsServers().stream().map(Object::toString).toList()));
            case "vpnPort" -> b.vpnPort(e.vpnPort());
            case "splitTunnel" -> b.splitTunnel(e.splitTunnel());
            case "securityGroupIds" -> b.securityGroupIds(e.securityGroupIds());
            case "vpcId" -> b.vpcId(e.vpcId());
            case "selfServicePortal" -> b.selfServicePortal(e.selfServicePortal() ? "enabled" : "disabled");
            case "clientConnectOptions" -> b.clientConnectOptions(c -> c.enabled(e.clientConnectOptions().enabled()).lambdaFunctionArn(e.clientConnectOptions().lambdaFunctionArn()));
            case "sessionTimeoutHours" -> b.sessionTimeoutHours(e.sessionTimeoutHours());
            case "clientLoginBannerOptions" -> b.clientLoginBannerOptions(c -> c.enabled(e.clientLoginBannerOptions().enabled()).bannerText(e.clientLoginBannerOptions().bannerText()));
            case "clientRouteEnforcement" -> b.clientRouteEnforcementOptions(c -> c.enforced(e.clientRouteEnforcement()));
            case "disconnectOnSessionTimeout" -> b.disconnectOnSessionTimeout(e.disconnectOnSessionTimeout());
            default -> throw new IllegalStateException(f + " cannot be modified");
            }
        }
        return b.build();
    }
}
