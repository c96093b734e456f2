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
 * Executes a plan step by step with client tokens derived from the apply id (so a repeated request after a crash
 * is idempotent), waits for associations and routes to become active, stops at the first failure and records
 * progress in a state file so that the next run resumes.
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

    private ApplyReport run(ApplyState state, Path stateFile) throws IOException {
        List<PlanStep> steps = state.plan().steps();
        List<String> done = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            PlanStep step = steps.get(i);
            String label = step.action().sign() + " " + step.summary();
            if (state.done().contains(i)) {
                done.add(label);
                continue;
            }
            try {
                String endpointId = execute(step, i, state);
                if (step.action() == PlanStep.Action.CREATE_ROUTE && (i + 1 == steps.size() || steps.get(i + 1).action() != PlanStep.Action.CREATE_ROUTE)) {
                    waitForRoutes(endpointId);
                }
                state = state.withDone(i, endpointId);
                state.save(stateFile);
                progress.println("  done " + label);
                done.add(label);
            } catch (SdkException | IllegalStateException e) {
                String message = e instanceof SdkException s ? AwsErrors.describe(s) : e.getMessage();
                progress.println("  FAILED " + label + ": " + message);
                List<String> notDone = new ArrayList<>();
                for (int j = i + 1; j < steps.size(); j++) {
                    notDone.add(steps.get(j).action().sign() + " " + steps.get(j).summary());
                }
                return new ApplyReport(state.endpointId(), done, label, message, AwsErrors.code(e), notDone);
            }
        }
        return new ApplyReport(state.endpointId(), done, null, null, null, List.of());
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
