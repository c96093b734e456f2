package crew.tunnel.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.enforce.OwnerProcess;
import crew.model.device.DeviceRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.pki.CertificateAuthority;
import crew.pki.IssuedCertificate;
import crew.pki.PkiException;
import crew.routing.api.InterfaceControl;
import crew.routing.api.InterfaceControl.InterfaceAddress;
import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.RoutingException;
import crew.tunnel.SessionRecord;
import crew.tunnel.TunnelOptions;
import crew.tunnel.management.ManagementChannel;
import crew.tunnel.management.ManagementMessage;

/**
 * The local endpoint lab (Linux, root): an OpenVPN server configured from an endpoint design, running in network
 * namespaces CREW creates, with hosts behind it on the design's networks, so an admin can connect a real tunnel,
 * watch CREW install and protect its routes, attack them, and see what gets through, without AWS.
 *
 * <p>Everything the lab creates is recorded in its folder ($CREW_HOME/lab/ID/lab.json) before it is created, so
 * {@link #down}, Ctrl-C (the owner's shutdown hook) and, after a crash, {@link #cleanStale} remove all of it: the
 * three namespaces (which takes their interfaces with them), the openvpn server (which also exits by itself when
 * its owner dies: its management socket is a dead-man switch), and the folder with the lab's keys.
 */
public final class EndpointLab implements AutoCloseable {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final LabPlan plan;
    private final Path dir;
    private final Consumer<String> log;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private Process server;
    private CertificateAuthority ca;
    private String caPem;
    private Path openvpn;
    private ManagementChannel serverChannel;
    private ServerSocketChannel echo;
    private Process dns;
    private boolean down;

    private EndpointLab(LabPlan plan, Path dir, Consumer<String> log) {
        this.plan = plan;
        this.dir = dir;
        this.log = log;
    }

    /** $CREW_HOME/lab: one folder per lab. */
    public static Path labsDirectory() {
        return TunnelOptions.crewHome().resolve("lab");
    }

    public LabPlan plan() {
        return plan;
    }

    public Path directory() {
        return dir;
    }

    /** The .ovpn profile (inline keys, 0600) of one lab client. */
    public Path clientProfile(String client) {
        if (!plan.clients().containsKey(client)) {
            throw new IllegalArgumentException("the lab has no client '" + client + "' (it has " + plan.clients().keySet() + ")");
        }
        return dir.resolve("clients").resolve(client + ".ovpn");
    }

    /** The namespaces the lab lives in; on other systems a RoutingException saying that the lab is Linux-only. */
    private static crew.routing.api.netns.NetworkNamespaces netns() throws RoutingException {
        return crew.routing.api.netns.NetworkNamespaces.require("the endpoint lab");
    }

    /**
     * Brings a lab up for {@code design}. Stale labs of crashed owners are cleaned first. On failure everything
     * created so far is removed again and the exception says what failed.
     */
    public static EndpointLab up(EndpointDesign design, String id, List<LabClient> clients, Path openvpn, Consumer<String> log)
            throws IOException, RoutingException {
        netns(); // the lab is Linux-only: say so before anything is written
        cleanStale(log);
        LabPlan plan = LabPlan.of(id, design, clients);
        Path dir = labsDirectory().resolve(id);
        if (Files.exists(dir.resolve("lab.json"))) {
            throw new IOException("a lab with id '" + id + "' is already up (" + dir + "): crew lab down " + id);
        }
        for (String ns : List.of(plan.deviceNamespace(), plan.serverNamespace(), plan.vpcNamespace())) {
            if (netns().exists(ns)) {
                throw new IOException(occupied(plan, ns));
            }
        }
        if (!Files.isExecutable(openvpn)) {
            throw new IOException("openvpn is not installed at " + openvpn + " (install the openvpn package)");
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        EndpointLab lab = new EndpointLab(plan, dir, log);
        try {
            lab.writeState(null);
            lab.build(design, openvpn);
            return lab;
        } catch (IOException | RoutingException | RuntimeException e) {
            lab.down();
            throw e;
        }
    }

    /**
     * Why a namespace of this lab's id exists though no lab of this CREW home has it, and what to do: most often the
     * same id's lab of another CREW home runs there (found through the processes in the namespaces: its openvpn
     * server names its lab folder), and deleting the namespace would break it.
     */
    static String occupied(LabPlan plan, String ns) {
        List<ProcessHandle> inside = new ArrayList<>();
        for (String n : List.of(plan.deviceNamespace(), plan.serverNamespace(), plan.vpcNamespace())) {
            inside.addAll(NamespaceProcesses.in(n));
        }
        String head = "network namespace " + ns + " exists but belongs to no lab of this CREW home (" + labsDirectory() + ")";
        Optional<Path> other = inside.stream().map(NamespaceProcesses::labFolder).flatMap(Optional::stream).findFirst();
        if (other.isPresent()) {
            Path folder = other.get();
            Path home = folder.getParent().getParent();
            String owner;
            try {
                LabInfo info = info(folder);
                owner = "owner process " + info.ownerPid() + (info.ownerAlive() ? "" : ", which is gone");
            } catch (IOException | RuntimeException e) {
                owner = "its lab.json cannot be read: " + e.getMessage();
            }
            return head + ": lab '" + plan.id() + "' of the CREW home " + home + " runs there (" + folder + ", " + owner + "). Deleting the"
                    + " namespace would break that lab: take it down with 'CREW_HOME=" + home + " crew lab down " + plan.id()
                    + "', or choose another --id";
        }
        if (!inside.isEmpty()) {
            return head + ": processes run in the lab's namespaces: " + String.join(", ", inside.stream().map(NamespaceProcesses::describe).toList())
                    + ". End them, or choose another --id";
        }
        return head + " and no process runs in it (left by a lab that was not removed): remove it with 'ip netns del " + ns
                + "', or choose another --id";
    }

    private void build(EndpointDesign design, Path openvpn) throws IOException, RoutingException {
        writePki(design);
        log.accept("namespaces " + plan.deviceNamespace() + ", " + plan.serverNamespace() + ", " + plan.vpcNamespace());
        for (String ns : List.of(plan.deviceNamespace(), plan.serverNamespace(), plan.vpcNamespace())) {
            netns().create(ns);
            if (!plan.ipv6()) {
                // an IPv4 design: no IPv6 link-local noise in the tables the lab shows
                netns().sysctl(ns, "net.ipv6.conf.all.disable_ipv6", "1");
                netns().sysctl(ns, "net.ipv6.conf.default.disable_ipv6", "1");
            }
        }
        netns().sysctl(plan.serverNamespace(), "net.ipv4.ip_forward", "1");
        if (plan.ipv6()) {
            netns().sysctl(plan.serverNamespace(), "net.ipv6.conf.all.forwarding", "1");
        }
        try (ClosableRoutingBackend srv = netns().backend(plan.serverNamespace());
                ClosableRoutingBackend dev = netns().backend(plan.deviceNamespace());
                ClosableRoutingBackend vpc = netns().backend(plan.vpcNamespace())) {
            InterfaceControl s = (InterfaceControl) srv;
            InterfaceControl d = (InterfaceControl) dev;
            InterfaceControl v = (InterfaceControl) vpc;
            s.createVethPair(LabPlan.SERVER_LAN, LabPlan.DEVICE_LAN, plan.deviceNamespace());
            s.createVethPair(LabPlan.SERVER_CORE, LabPlan.VPC_CORE, plan.vpcNamespace());
            s.addAddress(LabPlan.SERVER_LAN, new InterfaceAddress(plan.serverLanAddress(), plan.lan().prefixLength()));
            s.addAddress("lo", new InterfaceAddress(plan.publicAddress(), 32));
            s.addAddress(LabPlan.SERVER_CORE, new InterfaceAddress(plan.serverCoreAddress(), plan.core().prefixLength()));
            s.setUp(LabPlan.SERVER_LAN, true);
            s.setUp(LabPlan.SERVER_CORE, true);
            srv.add(DeviceRoute.of(Cidr.parse("0.0.0.0/0"), plan.vpcCoreAddress(), LabPlan.SERVER_CORE, 0));
            if (plan.ipv6()) {
                s.addAddress(LabPlan.SERVER_CORE, new InterfaceAddress(plan.serverCoreIpv6(), plan.coreIpv6().prefixLength()));
                srv.add(DeviceRoute.of(Cidr.parse("::/0"), plan.vpcCoreIpv6(), LabPlan.SERVER_CORE, 0));
            }

            if (plan.ipv6()) {
                // the device's LAN is IPv4 (the tunnel runs over it); IPv6 lives on the tunnel only. Without this the
                // kernel adds lan0's link-local and multicast routes a moment after it comes up, racing any snapshot
                netns().sysctl(plan.deviceNamespace(), "net.ipv6.conf." + LabPlan.DEVICE_LAN + ".disable_ipv6", "1");
            }
            d.addAddress(LabPlan.DEVICE_LAN, new InterfaceAddress(plan.deviceLanAddress(), plan.lan().prefixLength()));
            d.setUp(LabPlan.DEVICE_LAN, true);
            dev.add(DeviceRoute.of(Cidr.parse("0.0.0.0/0"), plan.serverLanAddress(), LabPlan.DEVICE_LAN, 0));

            v.addAddress(LabPlan.VPC_CORE, new InterfaceAddress(plan.vpcCoreAddress(), plan.core().prefixLength()));
            v.setUp(LabPlan.VPC_CORE, true);
            for (IpAddress h : plan.hosts()) {
                v.addAddress("lo", new InterfaceAddress(h, h.family().bits()));
            }
            for (IpAddress server : plan.dnsServers()) {
                if (!plan.hosts().contains(server)) {
                    v.addAddress("lo", new InterfaceAddress(server, server.family().bits()));
                }
            }
            vpc.add(DeviceRoute.of(Cidr.parse("0.0.0.0/0"), plan.serverCoreAddress(), LabPlan.VPC_CORE, 0));
            if (plan.ipv6()) {
                v.addAddress(LabPlan.VPC_CORE, new InterfaceAddress(plan.vpcCoreIpv6(), plan.coreIpv6().prefixLength()));
                vpc.add(DeviceRoute.of(Cidr.parse("::/0"), plan.serverCoreIpv6(), LabPlan.VPC_CORE, 0));
            }
        }
        netns().nft(plan.serverNamespace(), plan.authorizationFilter());
        startEcho();
        startDns();
        startServer(openvpn);
        writeState(server.pid());
        log.accept("endpoint " + plan.publicAddress() + ":" + plan.port() + "/" + plan.protocol().awsValue() + ", client CIDR " + plan.clientCidr()
                + ", " + (plan.splitTunnel() ? "split tunnel" : "full tunnel") + (plan.enforced() ? ", CRE enforced" : ", CRE off"));
        log.accept("hosts behind the endpoint (TCP echo on port " + LabPlan.ECHO_PORT + "): " + plan.hosts());
    }

    private void writePki(EndpointDesign design) throws IOException {
        Path pki = dir.resolve("pki");
        Files.createDirectories(pki);
        Files.createDirectories(dir.resolve("ccd"));
        Files.createDirectories(dir.resolve("clients"));
        try {
            Duration validity = Duration.ofDays(30);
            ca = CertificateAuthority.create("CREW lab " + plan.id() + " CA", validity);
            caPem = CertificateAuthority.pem(ca.certificate());
            IssuedCertificate srv = ca.issueServer("server.lab-" + plan.id(), validity);
            Files.writeString(pki.resolve("ca.pem"), CertificateAuthority.pem(ca.certificate()));
            Files.writeString(pki.resolve("server.pem"), CertificateAuthority.pem(srv.certificate()));
            CertificateAuthority.writePrivate(pki.resolve("server.key"), CertificateAuthority.pem(srv.privateKey(), null));
            Files.writeString(pki.resolve("crl.pem"), CertificateAuthority.pem(ca.crl(validity)));
            for (LabClient c : plan.labClients()) {
                IssuedCertificate cert = ca.issueClient(c.name(), validity);
                Files.writeString(dir.resolve("ccd").resolve(c.name()), plan.clientConfigDirectory(c.name()));
                String profile = profile(c, cert, design.name());
                CertificateAuthority.writePrivate(dir.resolve("clients").resolve(c.name() + ".ovpn"), profile);
            }
        } catch (PkiException e) {
            throw new IOException("lab PKI: " + e.getMessage(), e);
        }
    }

    /**
     * Stops the openvpn server and starts it again (the server "drops"): with explicit-exit-notify its UDP clients
     * are told to reconnect at once; others notice through their keepalive.
     */
    public synchronized void restartServer() throws IOException {
        if (down) {
            throw new IllegalStateException("the lab is down");
        }
        serverChannel.close();
        List<String> problems = new ArrayList<>();
        stop(server.toHandle(), problems);
        if (!problems.isEmpty()) {
            throw new IOException("the lab's openvpn server did not stop: " + problems);
        }
        startServer(openvpn);
        writeState(server.pid());
    }

    private String profile(LabClient c, IssuedCertificate cert, String designName) throws PkiException {
        return String.join("\n", "# CREW lab " + plan.id() + " client " + c + (designName == null ? "" : " (design: " + designName + ")"), "client",
                "dev tun", "proto " + plan.protocol().awsValue(), "remote " + plan.publicAddress() + " " + plan.port(), "nobind",
                "remote-cert-tls server", "verb 3", "<ca>", caPem.strip(), "</ca>", "<cert>", CertificateAuthority.pem(cert.certificate()).strip(),
                "</cert>", "<key>", CertificateAuthority.pem(cert.privateKey(), null).strip(), "</key>", "");
    }

    /**
     * A profile for an existing lab client with a new certificate from the lab's CA valid only between the given
     * instants: to see how the endpoint treats an expired (or not yet valid) certificate.
     */
    public String profileWithValidity(String client, Instant notBefore, Instant notAfter) throws PkiException {
        LabClient c = plan.labClients().stream().filter(l -> l.name().equals(client)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the lab has no client '" + client + "'"));
        return profile(c, ca.issueClient(client, notBefore, notAfter), null);
    }

    /** The design's DNS servers answer the private zone (dnsmasq in the VPC namespace), when dnsmasq is installed. */
    private void startDns() throws IOException, RoutingException {
        if (plan.dnsServers().isEmpty()) {
            return;
        }
        Path dnsmasq = Path.of("/usr/sbin/dnsmasq");
        if (!Files.isExecutable(dnsmasq)) {
            log.accept("DNS: dnsmasq is not installed (Debian: dnsmasq-base): the pushed DNS servers " + plan.dnsServers() + " will not answer");
            return;
        }
        Path logFile = dir.resolve("dns.log");
        dns = new ProcessBuilder(netns().command(plan.vpcNamespace(), plan.dnsmasqArguments(dnsmasq.toString()).toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        writeState(null); // its pid is recorded before anything can crash: a later lab up or lab down stops it
        // ready when it answers: it logs "started" and then binds
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!dns.isAlive()) {
                throw new IOException("the lab's DNS server (dnsmasq) exited: " + Files.readString(logFile).trim());
            }
            String out = Files.readString(logFile);
            if (out.contains("compile time options") || out.contains("started,")) {
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        log.accept("DNS: private zone " + LabPlan.PRIVATE_ZONE + " on " + plan.dnsServers() + " (" + plan.dnsRecords().size() + " names, dnsmasq)");
    }

    /** Where the lab's DNS server logs its queries (one line per query, with the client's address). */
    public Path dnsLog() {
        return dir.resolve("dns.log");
    }

    private void startServer(Path openvpn) throws IOException {
        this.openvpn = openvpn;
        Path config = dir.resolve("server.conf");
        Files.writeString(config, plan.serverConfiguration(dir));
        serverChannel = ManagementChannel.listen(dir.resolve("server.sock"));
        String[] inServer;
        try {
            inServer = netns().command(plan.serverNamespace(), openvpn.toString(), "--config", config.toString(), "--management",
                    serverChannel.socketPath().toString(), "unix", "--management-client", "--management-hold");
        } catch (RoutingException e) {
            throw new IOException(e.getMessage(), e);
        }
        List<String> argv = new ArrayList<>(List.of(inServer));
        server = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Process p = server;
        boolean accepted = serverChannel.accept(Duration.ofSeconds(15), p::isAlive, m -> {
            if (m instanceof ManagementMessage.Hold) {
                try {
                    serverChannel.send("state on"); // before the release, so CONNECTED cannot pass unseen
                    serverChannel.send("hold release");
                } catch (IOException e) {
                    ready.completeExceptionally(e);
                }
            } else if (m instanceof ManagementMessage.State s && s.report().name().equals("CONNECTED")) {
                ready.complete(null);
            } else if (m instanceof ManagementMessage.Fatal f) {
                ready.completeExceptionally(new IOException("openvpn server: " + f.text()));
            }
        }, e -> ready.completeExceptionally(new IOException("the lab's openvpn server closed its management connection")));
        if (!accepted) {
            throw new IOException("the lab's openvpn server did not start" + serverLogTail());
        }
        try {
            ready.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("the lab's openvpn server did not come up: " + (e.getCause() == null ? e : e.getCause().getMessage()) + serverLogTail());
        }
    }

    private String serverLogTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("server.log"));
            return "\nopenvpn said:\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** A TCP echo service on every VPC host: a socket created inside the VPC namespace, served from this process. */
    private void startEcho() throws RoutingException {
        echo = netns().call(plan.vpcNamespace(), () -> {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(LabPlan.ECHO_PORT));
            return s;
        });
        Thread t = new Thread(() -> {
            while (echo.isOpen()) {
                try {
                    SocketChannel c = echo.accept();
                    Thread h = new Thread(() -> serveEcho(c), "crew-lab-echo-conn");
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "crew-lab-echo-" + plan.id());
        t.setDaemon(true);
        t.start();
    }

    private static void serveEcho(SocketChannel c) {
        try (c; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(c)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(("echo " + line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private void writeState(Long serverPid) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", plan.id());
        OwnerProcess self = OwnerProcess.current();
        m.put("ownerPid", self.pid());
        m.put("ownerStartTicks", self.startTicks());
        m.put("ownerStartMs", self.startMillis());
        m.put("created", Instant.now().toString());
        m.put("namespaces", List.of(plan.deviceNamespace(), plan.serverNamespace(), plan.vpcNamespace()));
        m.put("deviceNamespace", plan.deviceNamespace());
        if (serverPid != null) {
            m.put("serverPid", serverPid);
        }
        if (dns != null) {
            m.put("dnsPid", dns.pid());
        }
        m.put("endpoint", plan.publicAddress() + ":" + plan.port() + "/" + plan.protocol().awsValue());
        m.put("clients", plan.clients().keySet().stream().map(c -> Map.of("name", c, "profile", dir.resolve("clients").resolve(c + ".ovpn").toString(),
                "address", plan.clients().get(c).address().toString())).toList());
        m.put("hosts", plan.hosts().stream().map(IpAddress::toString).toList());
        Path tmp = dir.resolve("lab.json.tmp");
        Files.writeString(tmp, GSON.toJson(m));
        Files.move(tmp, dir.resolve("lab.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes everything the lab created. Safe to call twice. Returns what could not be removed. */
    public synchronized List<String> down() {
        if (down) {
            return List.of();
        }
        List<String> refused = endSessions(plan.deviceNamespace(), plan.id(), log);
        if (!refused.isEmpty()) {
            return refused; // nothing removed: the lab stays usable for the session that could not be ended
        }
        down = true;
        List<String> problems = new ArrayList<>();
        if (echo != null) {
            try {
                echo.close();
            } catch (IOException e) {
                problems.add("echo service: " + e.getMessage());
            }
        }
        if (serverChannel != null) {
            serverChannel.close(); // openvpn exits: we were its management client
        }
        if (server != null) {
            stop(server.toHandle(), problems);
        }
        if (dns != null) {
            stop(dns.toHandle(), problems);
        }
        problems.addAll(removeRecorded(dir, plan.id(), log));
        return problems;
    }

    @Override
    public void close() {
        down();
    }

    private static void stop(ProcessHandle p, List<String> problems) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            p.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            try {
                p.onExit().get(3, TimeUnit.SECONDS);
            } catch (Exception e2) {
                problems.add("process " + p.pid() + " did not exit");
            }
        }
    }

    /**
     * Ends the tunnel sessions whose device is the lab's device namespace, through their control sockets (their
     * engines restore their tables), so that none is left reconnecting in a namespace that is gone and keeping it
     * alive. Returns, for each session that could not be ended, why: the lab is then kept.
     */
    private static List<String> endSessions(String deviceNamespace, String id, Consumer<String> log) {
        List<SessionRecord> sessions;
        try {
            sessions = SessionRecord.runningIn(deviceNamespace);
        } catch (IOException e) {
            return List.of("lab " + id + " is kept: cannot tell which tunnel sessions use " + deviceNamespace + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        for (SessionRecord s : sessions) {
            try {
                List<String> restore = s.requestDisconnect(SESSION_END);
                log.accept("ended tunnel session " + s.sessionId() + " (process " + s.ownerPid() + ") in " + deviceNamespace
                        + (restore.isEmpty() ? ": its routing table is restored" : "; its restore problems: " + restore));
            } catch (IOException e) {
                problems.add("lab " + id + " is kept: tunnel session " + s.sessionId() + " (process " + s.ownerPid() + ") uses " + deviceNamespace
                        + " and could not be ended (" + e.getMessage() + "): crew tunnel disconnect " + s.sessionId() + ", then crew lab down " + id);
            }
        }
        return problems;
    }

    /** How long a tunnel session gets to end and restore its table when its lab goes down. */
    private static final Duration SESSION_END = Duration.ofSeconds(40);

    /** Deletes the namespaces, the server process and the folder a lab.json records. */
    private static List<String> removeRecorded(Path labDir, String id, Consumer<String> log) {
        List<String> problems = new ArrayList<>();
        JsonObject state = null;
        try {
            if (Files.exists(labDir.resolve("lab.json"))) {
                state = JsonParser.parseString(Files.readString(labDir.resolve("lab.json"))).getAsJsonObject();
            }
        } catch (IOException | RuntimeException e) {
            problems.add("reading " + labDir.resolve("lab.json") + ": " + e.getMessage());
        }
        List<String> namespaces = new ArrayList<>();
        if (state != null && state.has("namespaces")) {
            state.getAsJsonArray("namespaces").forEach(n -> namespaces.add(n.getAsString()));
        } else {
            namespaces.addAll(List.of("crew-" + id + "-dev", "crew-" + id + "-srv", "crew-" + id + "-vpc"));
        }
        String device = state != null && state.has("deviceNamespace") ? state.get("deviceNamespace").getAsString() : "crew-" + id + "-dev";
        List<String> refused = endSessions(device, id, log);
        if (!refused.isEmpty()) {
            return refused;
        }
        if (state != null && state.has("serverPid")) {
            ProcessHandle.of(state.get("serverPid").getAsLong()).filter(h -> h.info().command().map(c -> c.contains("openvpn") || c.contains("nsenter"))
                    .orElse(false)).ifPresent(h -> stop(h, problems));
        }
        if (state != null && state.has("dnsPid")) {
            ProcessHandle.of(state.get("dnsPid").getAsLong()).filter(h -> h.info().command().map(c -> c.contains("dnsmasq") || c.contains("nsenter"))
                    .orElse(false)).ifPresent(h -> stop(h, problems));
        }
        // a process still inside (a session of another CREW home, a shell) would keep the namespace alive unseen
        List<String> inside = new ArrayList<>();
        for (String ns : namespaces) {
            NamespaceProcesses.in(ns).forEach(p -> inside.add(NamespaceProcesses.describe(p) + " in " + ns));
        }
        if (!inside.isEmpty()) {
            problems.add("lab " + id + " is kept: processes still run in its namespaces: " + String.join(", ", inside) + "; end them, then crew lab down "
                    + id);
            return problems;
        }
        for (String ns : namespaces) {
            try {
                if (netns().exists(ns)) {
                    netns().delete(ns);
                    log.accept("removed namespace " + ns);
                }
                removeCrewResolver(ns, problems);
            } catch (RoutingException | RuntimeException e) {
                problems.add("namespace " + ns + ": " + e.getMessage());
            }
        }
        try {
            deleteTree(labDir);
        } catch (IOException e) {
            problems.add("folder " + labDir + ": " + e.getMessage());
        }
        return problems;
    }

    /**
     * A namespace's resolver file that a tunnel session wrote and could not take back (its process was killed) goes
     * with the namespace: /etc/netns/NAME is removed when it holds only CREW's resolv.conf.
     */
    private static void removeCrewResolver(String namespace, List<String> problems) {
        Path file = crew.tunnel.TunnelDns.namespaceFile(namespace);
        try {
            if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.readString(file).startsWith("# written by CREW")) {
                Files.delete(file);
                try (var left = Files.list(file.getParent())) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(file.getParent());
                    }
                }
            }
        } catch (IOException e) {
            problems.add("resolver file " + file + ": " + e.getMessage());
        }
    }

    /** Labs whose owner process is gone (crash, kill -9): their namespaces, server and folder are removed. */
    public static List<String> cleanStale(Consumer<String> log) throws IOException {
        List<String> problems = new ArrayList<>();
        for (LabInfo info : list()) {
            if (!info.ownerAlive()) {
                log.accept("removing lab " + info.id() + " left by process " + info.ownerPid() + ", which is gone");
                problems.addAll(removeRecorded(info.directory(), info.id(), log));
            }
        }
        return problems;
    }

    /**
     * Takes a lab down from any process: asks its owner to stop (SIGTERM; its shutdown hook removes everything) and
     * waits, or removes it directly when the owner is gone.
     */
    public static List<String> downById(String id, Consumer<String> log) throws IOException {
        for (LabInfo info : list()) {
            if (info.id().equals(id)) {
                // first the sessions, from here, so that this command reports them and refuses before anything changes
                List<String> refused = endSessions(info.deviceNamespace().isEmpty() ? "crew-" + id + "-dev" : info.deviceNamespace(), id, log);
                if (!refused.isEmpty()) {
                    return refused;
                }
                // only the process that wrote lab.json, never one that was given its pid later
                Optional<ProcessHandle> running = info.ownerPid() == ProcessHandle.current().pid() ? Optional.empty() : info.owner().handle();
                if (running.isPresent()) {
                    ProcessHandle owner = running.get();
                    owner.destroy();
                    try {
                        owner.onExit().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IOException("the process " + info.ownerPid() + " that runs lab " + id + " did not stop within 30 s");
                    }
                    if (!Files.exists(info.directory())) {
                        return List.of();
                    }
                }
                return removeRecorded(info.directory(), id, log);
            }
        }
        throw new IOException("no lab '" + id + "' is up (labs: " + list().stream().map(LabInfo::id).toList() + ")");
    }

    /** What a lab folder says about a lab; {@code owner} with its start (a pid given to another process later is not it). */
    public record LabInfo(String id, Path directory, long ownerPid, boolean ownerAlive, String deviceNamespace, String endpoint,
            Map<String, String> clientProfiles, List<String> hosts, OwnerProcess owner) {
    }

    /** The labs under {@link #labsDirectory()}, and the lab.json files that could not be read (each with why). */
    public record Listing(List<LabInfo> labs, List<String> unreadable) {
    }

    /** The labs recorded under {@link #labsDirectory()}; unreadable ones are left out (see {@link #scan()}). */
    public static List<LabInfo> list() throws IOException {
        return scan().labs();
    }

    public static Listing scan() throws IOException {
        List<LabInfo> out = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        Path labs = labsDirectory();
        if (!Files.isDirectory(labs)) {
            return new Listing(out, unreadable);
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(labs)) {
            for (Path d : s) {
                if (Files.exists(d.resolve("lab.json"))) {
                    try {
                        out.add(info(d));
                    } catch (IOException e) {
                        unreadable.add(e.getMessage()); // one bad file must not hide, or block, the other labs
                    }
                }
            }
        }
        out.sort(Comparator.comparing(LabInfo::id));
        return new Listing(out, unreadable);
    }

    /** What the lab.json of the lab folder {@code d} says. */
    private static LabInfo info(Path d) throws IOException {
        Path f = d.resolve("lab.json");
        try {
            JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            long pid = o.get("ownerPid").getAsLong();
            Map<String, String> profiles = new LinkedHashMap<>();
            if (o.has("clients")) {
                o.getAsJsonArray("clients").forEach(c -> profiles.put(c.getAsJsonObject().get("name").getAsString(),
                        c.getAsJsonObject().get("profile").getAsString()));
            }
            List<String> hosts = new ArrayList<>();
            if (o.has("hosts")) {
                o.getAsJsonArray("hosts").forEach(h -> hosts.add(h.getAsString()));
            }
            OwnerProcess owner = new OwnerProcess(pid, o.has("ownerStartTicks") ? o.get("ownerStartTicks").getAsLong() : -1,
                    o.has("ownerStartMs") ? o.get("ownerStartMs").getAsLong() : -1);
            return new LabInfo(o.get("id").getAsString(), d, pid, owner.isAlive(), o.has("deviceNamespace") ? o.get("deviceNamespace").getAsString() : "",
                    o.has("endpoint") ? o.get("endpoint").getAsString() : "", profiles, hosts, owner);
        } catch (RuntimeException e) {
            throw new IOException(f + " is not a lab state file CREW can read: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
