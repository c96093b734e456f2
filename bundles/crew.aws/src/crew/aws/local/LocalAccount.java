package crew.aws.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

/**
 * The local AWS account: its VPCs and subnets, Client VPN endpoints and ACM certificates, kept in memory and, when
 * a state file is given, written there after every change. It also injects faults for tests: throttling and 5xx
 * answers for the next calls of an action.
 */
public final class LocalAccount {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private static final LocalApiException PASS = new LocalApiException("Pass", "no fault");

    final Object lock = new Object();
    final LocalAccountState state;
    private final Path stateFile;
    private final Map<String, Deque<LocalApiException>> faults = new HashMap<>();
    private final Map<String, AtomicInteger> calls = new HashMap<>();
    /** How many describe calls a new route or association stays "creating"/"associating". */
    volatile int describesUntilSettled = 1;

    private LocalAccount(LocalAccountState state, Path stateFile) {
        this.state = state;
        this.stateFile = stateFile;
    }

    /** A fresh account in memory with the default VPCs and subnets ({@link #seedNetworks}). */
    public static LocalAccount inMemory() {
        LocalAccountState s = new LocalAccountState();
        seedNetworks(s);
        return new LocalAccount(s, null);
    }

    /** The account stored in {@code file}, or a fresh one that will be stored there. */
    public static LocalAccount open(Path file) {
        LocalAccountState s;
        if (Files.exists(file)) {
            try {
                s = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), LocalAccountState.class);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the local account " + file + ": " + e.getMessage(), e);
            } catch (JsonParseException e) {
                throw new IllegalArgumentException(file + ": not a local account state file: " + e.getMessage(), e);
            }
            if (s == null) {
                s = new LocalAccountState();
                seedNetworks(s);
            }
        } else {
            s = new LocalAccountState();
            seedNetworks(s);
        }
        LocalAccount account = new LocalAccount(s, file);
        account.save();
        return account;
    }

    /**
     * Two VPCs: vpc-0local00000000001 (10.0.0.0/16) with subnets in us-east-1a, 1b, 1c and a second one in 1a, and
     * vpc-0local00000000002 (10.1.0.0/16) with one subnet, so that every association rule can be exercised.
     */
    static void seedNetworks(LocalAccountState s) {
        vpc(s, "vpc-0local00000000001", "10.0.0.0/16");
        vpc(s, "vpc-0local00000000002", "10.1.0.0/16");
        subnet(s, "subnet-0local0000000001a", "vpc-0local00000000001", "10.0.0.0/24", "us-east-1a");
        subnet(s, "subnet-0local0000000001b", "vpc-0local00000000001", "10.0.1.0/24", "us-east-1b");
        subnet(s, "subnet-0local0000000001c", "vpc-0local00000000001", "10.0.2.0/24", "us-east-1c");
        subnet(s, "subnet-0local0000000002a", "vpc-0local00000000001", "10.0.3.0/24", "us-east-1a");
        subnet(s, "subnet-0local0000000003a", "vpc-0local00000000002", "10.1.0.0/24", "us-east-1a");
        // shared with this account by another one (RAM): visible, but Client VPN cannot associate it
        subnet(s, SHARED_SUBNET, "vpc-0local00000000001", "10.0.4.0/24", "us-east-1d");
        s.subnets.get(s.subnets.size() - 1).ownerId = SHARED_SUBNET_OWNER;
    }

    /** A subnet that another account shares with the local one: associating it fails with .DifferentAccount. */
    public static final String SHARED_SUBNET = "subnet-0local0000000004d";
    static final String SHARED_SUBNET_OWNER = "111111111111";

    private static void vpc(LocalAccountState s, String id, String cidr) {
        LocalAccountState.Vpc v = new LocalAccountState.Vpc();
        v.vpcId = id;
        v.cidrBlock = cidr;
        s.vpcs.add(v);
    }

    private static void subnet(LocalAccountState s, String id, String vpc, String cidr, String az) {
        LocalAccountState.Subnet n = new LocalAccountState.Subnet();
        n.subnetId = id;
        n.vpcId = vpc;
        n.cidrBlock = cidr;
        n.availabilityZone = az;
        n.availableIpAddressCount = 251;
        s.subnets.add(n);
    }

    /** Adds a subnet the account knows (tests: more AZs, other VPCs). */
    public void addSubnet(String subnetId, String vpcId, String cidr, String availabilityZone) {
        synchronized (lock) {
            if (state.vpcs.stream().noneMatch(v -> v.vpcId.equals(vpcId))) {
                vpc(state, vpcId, cidr);
            }
            subnet(state, subnetId, vpcId, cidr, availabilityZone);
            save();
        }
    }

    /**
     * Adds what {@code design} refers to and the account lacks, so that a design made for another account (the
     * example workspace's) can be tried here: its target subnets (with the design's VPC, subnet CIDR and AZ; the VPC
     * CIDR is taken from the association route of the subnet, else the subnet's CIDR) and its ACM certificates (as
     * placeholders with the design's ARNs). Returns what was added, one line each.
     */
    public java.util.List<String> provide(crew.model.endpoint.EndpointDesign design) {
        java.util.List<String> added = new java.util.ArrayList<>();
        synchronized (lock) {
            String defaultVpc = design.endpoint().vpcId() != null ? design.endpoint().vpcId() : "vpc-0local00000000001";
            char az = 'a';
            for (crew.model.endpoint.TargetNetwork t : design.targetNetworks()) {
                String zone = t.availabilityZone() != null ? t.availabilityZone() : state.region + az;
                az++;
                if (t.subnetId() == null || state.subnets.stream().anyMatch(x -> x.subnetId.equals(t.subnetId()))) {
                    continue;
                }
                String vpcId = t.vpcId() != null ? t.vpcId() : defaultVpc;
                String subnetCidr = t.subnetCidr() != null ? t.subnetCidr().toString() : "10.255." + (state.subnets.size() % 256) + ".0/24";
                if (state.vpcs.stream().noneMatch(v -> v.vpcId.equals(vpcId))) {
                    String vpcCidr = design.routes().stream()
                            .filter(r -> t.subnetId().equals(r.targetSubnet()) && "associate".equals(r.origin()))
                            .map(r -> r.destinationCidr().toString()).findFirst().orElse(subnetCidr);
                    vpc(state, vpcId, vpcCidr);
                    added.add("vpc " + vpcId + " " + vpcCidr);
                }
                subnet(state, t.subnetId(), vpcId, subnetCidr, zone);
                added.add("subnet " + t.subnetId() + " " + subnetCidr + " " + zone + " in " + vpcId);
            }
            java.util.List<String> arns = new java.util.ArrayList<>();
            arns.add(design.endpoint().serverCertificateArn());
            design.endpoint().authenticationOptions().forEach(a -> arns.add(a.clientRootCertificateChain()));
            for (String arn : arns) {
                if (arn != null && state.certificates.stream().noneMatch(c -> c.arn.equals(arn))) {
                    LocalAccountState.Certificate c = new LocalAccountState.Certificate();
                    c.arn = arn;
                    c.subject = "CN=placeholder for " + design.name();
                    c.importedAt = now();
                    state.certificates.add(c);
                    added.add("certificate " + arn + " (placeholder)");
                }
            }
            save();
        }
        return added;
    }

    /** A client connected to an endpoint, so that pulls show active connections and resets can be observed. */
    public void connectClient(String endpointId, String commonName, String clientIp) {
        synchronized (lock) {
            LocalAccountState.Endpoint e = state.endpoints.stream().filter(x -> x.clientVpnEndpointId.equals(endpointId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no endpoint " + endpointId));
            LocalAccountState.Connection c = new LocalAccountState.Connection();
            c.connectionId = "cvpn-connection-" + hex(nextId(), 17);
            c.commonName = commonName;
            c.clientIp = clientIp;
            c.username = commonName;
            c.establishedTime = now();
            c.status = "active";
            e.connections.add(c);
            save();
        }
    }

    /**
     * The next {@code times} calls of {@code action} (an EC2 action name, "ImportCertificate", or "*" for every
     * call) are answered with {@code code} and {@code httpStatus} instead, for example 503 RequestLimitExceeded
     * (throttling) or 500 InternalError.
     */
    public void injectFault(String action, int times, int httpStatus, String code) {
        injectFault(action, 0, times, httpStatus, code);
    }

    /** As {@link #injectFault(String, int, int, String)}, after letting {@code skip} calls of the action through. */
    public void injectFault(String action, int skip, int times, int httpStatus, String code) {
        synchronized (lock) {
            Deque<LocalApiException> q = faults.computeIfAbsent(action, k -> new ArrayDeque<>());
            for (int i = 0; i < skip; i++) {
                q.add(PASS);
            }
            for (int i = 0; i < times; i++) {
                q.add(new LocalApiException(code, "Injected fault " + code + " for " + action, httpStatus));
            }
        }
    }

    /** How often {@code action} was called (HTTP requests, so retries count). */
    public int calls(String action) {
        synchronized (lock) {
            AtomicInteger n = calls.get(action);
            return n == null ? 0 : n.get();
        }
    }

    /** How many HTTP requests reached the account in total. */
    public int totalCalls() {
        synchronized (lock) {
            return calls.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    public void resetCallCounts() {
        synchronized (inFlight) {
            maxInFlight = 0;
            rejectedForConcurrency = 0;
        }
        synchronized (lock) {
            calls.clear();
        }
    }

    /** The Client VPN calls that change an endpoint: AWS lets 10 of them run at once per endpoint. */
    static final java.util.Set<String> MUTATIONS = java.util.Set.of("ModifyClientVpnEndpoint", "AssociateClientVpnTargetNetwork",
            "DisassociateClientVpnTargetNetwork", "CreateClientVpnRoute", "DeleteClientVpnRoute", "AuthorizeClientVpnIngress", "RevokeClientVpnIngress",
            "ApplySecurityGroupsToClientVpnTargetNetwork");
    /** AWS's quota "Concurrent operations per Client VPN endpoint" (not adjustable). */
    public static final int AWS_CONCURRENT_OPERATIONS = 10;

    private final Map<String, Integer> inFlight = new HashMap<>();
    private volatile int concurrentOperationLimit = AWS_CONCURRENT_OPERATIONS;
    private volatile long latencyNanos;
    private int maxInFlight;
    private int rejectedForConcurrency;

    /** How many changes of one endpoint may run at once before the next gets AWS's ConcurrentMutationLimitExceeded. */
    public void setConcurrentOperationLimit(int limit) {
        this.concurrentOperationLimit = limit;
    }

    /** A delay every call takes before it is answered (outside the account's lock, so calls overlap), like AWS's. */
    public void setLatency(java.time.Duration perCall) {
        this.latencyNanos = perCall.toNanos();
    }

    /** The most changes of one endpoint that ran at once since the last {@link #resetCallCounts}. */
    public int maxConcurrentOperations() {
        synchronized (inFlight) {
            return maxInFlight;
        }
    }

    /** How many calls were refused with ConcurrentMutationLimitExceeded since the last {@link #resetCallCounts}. */
    public int rejectedForConcurrency() {
        synchronized (inFlight) {
            return rejectedForConcurrency;
        }
    }

    void beginOperation(String endpointId) {
        if (endpointId == null) {
            return;
        }
        synchronized (inFlight) {
            int n = inFlight.getOrDefault(endpointId, 0);
            if (n >= concurrentOperationLimit) {
                rejectedForConcurrency++;
                // the code and text AWS answers with (as reported by Terraform's AWS provider, which retries on it)
                throw new LocalApiException("ConcurrentMutationLimitExceeded", "Cannot initiate another change for this endpoint at this time. "
                        + "Please try again later.");
            }
            inFlight.put(endpointId, n + 1);
            maxInFlight = Math.max(maxInFlight, n + 1);
        }
    }

    void endOperation(String endpointId) {
        if (endpointId == null) {
            return;
        }
        synchronized (inFlight) {
            inFlight.merge(endpointId, -1, Integer::sum);
        }
    }

    void latency() {
        long n = latencyNanos;
        if (n > 0) {
            try {
                Thread.sleep(n / 1_000_000, (int) (n % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** New routes and associations stay pending for this many describe calls (0: active at once). */
    public void setDescribesUntilSettled(int n) {
        this.describesUntilSettled = n;
    }

    /** Counts the call and throws an injected fault if one is queued for it. */
    void enter(String action) {
        synchronized (lock) {
            calls.computeIfAbsent(action, k -> new AtomicInteger()).incrementAndGet();
            for (String key : new String[] { action, "*" }) {
                Deque<LocalApiException> q = faults.get(key);
                if (q != null && !q.isEmpty()) {
                    LocalApiException fault = q.poll();
                    if (fault != PASS) {
                        throw fault;
                    }
                    return;
                }
            }
        }
    }

    int nextId() {
        return state.nextId++;
    }

    static String hex(int n, int digits) {
        String h = Integer.toHexString(n);
        return "0".repeat(Math.max(0, digits - h.length())) + h;
    }

    static String now() {
        return Instant.now().toString().replaceFirst("\\.\\d+Z$", "Z");
    }

    /** Writes the state file (atomically), if there is one. Callers hold the lock. */
    void save() {
        if (stateFile == null) {
            return;
        }
        try {
            Files.createDirectories(stateFile.toAbsolutePath().getParent());
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            Files.writeString(tmp, GSON.toJson(state), StandardCharsets.UTF_8);
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LocalApiException("InternalError", "cannot write the local account state " + stateFile + ": " + e.getMessage(), 500);
        }
    }
}
