package crew.tunnel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.enforce.OwnerProcess;
import crew.model.net.IpAddress;

/**
 * The DNS a tunnel's server pushes ({@code dhcp-option DNS}, {@code DOMAIN}, {@code DOMAIN-SEARCH}), applied to the
 * device while connected and taken off at the end, as the routes are:
 * <ul>
 * <li>in a network namespace (the lab's device): {@code /etc/netns/NAME/resolv.conf}, the file {@code ip netns exec}
 * bind-mounts over /etc/resolv.conf there; a file that was there is kept and put back byte for byte, a folder or
 * file CREW made is removed;</li>
 * <li>on a host where systemd-resolved runs: per link, on the tunnel device ({@code resolvectl dns} and
 * {@code domain}): a split tunnel gets the pushed domains as routing domains ({@code ~corp.example}), so only
 * those names go to the tunnel's servers; a full tunnel also gets {@code ~.} and the link becomes the default route
 * for DNS. resolved forgets a link's settings when the device goes, and CREW reverts them at the end;</li>
 * <li>elsewhere: /etc/resolv.conf, the user's file (or symbolic link) kept and restored byte for byte.</li>
 * </ul>
 * Before any change a journal ({@code SESSION.dns} beside the route journal, 0600, fsync'd) records the owner
 * process and what was there; after a crash the next session's recovery puts it back.
 */
public final class TunnelDns {
    public static final String SUFFIX = ".dns";
    private static final Gson GSON = new Gson();
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\\.?");
    private static final Path RESOLVED_RUNTIME = Path.of("/run/systemd/resolve");

    /** What the server pushed for DNS. */
    public record Settings(List<IpAddress> servers, List<String> domains, boolean fullTunnel) {
        public Settings {
            servers = List.copyOf(servers);
            domains = List.copyOf(domains);
        }

        public boolean isEmpty() {
            return servers.isEmpty();
        }

        /** The resolv.conf CREW writes for these settings. */
        public String resolvConf(String sessionId) {
            StringBuilder b = new StringBuilder("# written by CREW for tunnel session " + sessionId + "; the previous file comes back at disconnect\n");
            servers.stream().limit(3).forEach(s -> b.append("nameserver ").append(s).append('\n'));
            if (!domains.isEmpty()) {
                b.append("search ").append(String.join(" ", domains)).append('\n');
            }
            return b.toString();
        }

        /** The resolvectl domain arguments: routing domains for a split tunnel, and {@code ~.} for a full one. */
        public List<String> resolvedDomains() {
            List<String> d = new ArrayList<>();
            for (String s : domains) {
                d.add("~" + s);
            }
            if (fullTunnel) {
                d.add("~.");
            }
            return d;
        }
    }

    /** Where the settings go. */
    public enum Target {
        NAMESPACE_FILE, RESOLVED, RESOLV_CONF
    }

    private TunnelDns() {
    }

    /** The DNS part of a pushed configuration: servers, and DOMAIN / DOMAIN-SEARCH from the foreign options, in order. */
    public static Settings of(PushedConfiguration c) {
        Set<String> domains = new LinkedHashSet<>();
        Map<String, String> env = c.environment();
        for (int n = 1; env.containsKey("foreign_option_" + n); n++) {
            String[] w = env.get("foreign_option_" + n).trim().split("\\s+");
            if (w.length >= 3 && w[0].equals("dhcp-option") && (w[1].equals("DOMAIN") || w[1].equals("DOMAIN-SEARCH"))) {
                for (int i = 2; i < w.length; i++) {
                    if (DOMAIN.matcher(w[i]).matches()) {
                        domains.add(w[i].endsWith(".") ? w[i].substring(0, w[i].length() - 1) : w[i]);
                    }
                }
            }
        }
        // openvpn 2.6 --dns search-domains arrive as dns_search_domain_N
        for (int n = 1; env.containsKey("dns_search_domain_" + n); n++) {
            String d = env.get("dns_search_domain_" + n).trim();
            if (DOMAIN.matcher(d).matches()) {
                domains.add(d);
            }
        }
        return new Settings(c.dnsServers(), List.copyOf(domains), c.redirectGateway());
    }

    /** Where a session's DNS goes: its namespace's file, systemd-resolved, or /etc/resolv.conf. */
    public static Target target(String namespace) {
        if (namespace != null) {
            return Target.NAMESPACE_FILE;
        }
        return resolvedRuns() ? Target.RESOLVED : Target.RESOLV_CONF;
    }

    static boolean resolvedRuns() {
        return Files.isDirectory(RESOLVED_RUNTIME) && Files.exists(RESOLVED_RUNTIME.resolve("io.systemd.Resolve"))
                && resolvectl() != null;
    }

    private static String resolvectl() {
        for (String p : List.of("/usr/bin/resolvectl", "/bin/resolvectl")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    /** The resolver file of a namespace, as {@code ip netns exec} mounts it. */
    public static Path namespaceFile(String namespace) {
        return Path.of("/etc/netns", namespace, "resolv.conf");
    }

    /** Applied settings: {@link #restore()} puts back what was there. */
    public static final class Applied {
        private final Path journal;
        private final JsonObject record;

        private Applied(Path journal, JsonObject record) {
            this.journal = journal;
            this.record = record;
        }

        public Target target() {
            return Target.valueOf(record.get("target").getAsString());
        }

        /** Puts back what was there and removes the journal; returns problems. */
        public List<String> restore() {
            List<String> problems = TunnelDns.restore(record);
            if (problems.isEmpty()) {
                try {
                    Files.deleteIfExists(journal);
                } catch (IOException e) {
                    problems.add("could not remove the DNS journal " + journal + ": " + e.getMessage());
                }
            }
            return problems;
        }
    }

    /**
     * Applies the settings for a session's tunnel device; null when nothing was pushed.
     *
     * @param root the file system root the resolver files are under ("/" but in tests)
     */
    public static Applied apply(Settings s, String sessionId, String device, String namespace, Path journalDirectory, Path root)
            throws IOException {
        if (s.isEmpty()) {
            return null;
        }
        Target target = target(namespace);
        JsonObject r = new JsonObject();
        OwnerProcess self = OwnerProcess.current();
        r.addProperty("session", sessionId);
        r.addProperty("pid", self.pid());
        r.addProperty("pid_start_ms", self.startMillis());
        r.addProperty("pid_start_ticks", self.startTicks());
        r.addProperty("target", target.name());
        r.addProperty("device", device);
        Path journal = journalDirectory.resolve(sessionId + SUFFIX);
        if (target == Target.RESOLVED) {
            write(journal, r);
            List<String> dns = new ArrayList<>(List.of(resolvectl(), "dns", device));
            s.servers().forEach(a -> dns.add(a.toString()));
            run(dns);
            List<String> domain = new ArrayList<>(List.of(resolvectl(), "domain", device));
            domain.addAll(s.resolvedDomains());
            run(domain);
            // a split tunnel's link answers only for its domains; without pushed domains it joins the default-route links
            run(List.of(resolvectl(), "default-route", device, s.fullTunnel() || s.domains().isEmpty() ? "yes" : "no"));
            return new Applied(journal, r);
        }
        Path file = target == Target.NAMESPACE_FILE ? under(root, namespaceFile(namespace)) : under(root, Path.of("/etc/resolv.conf"));
        r.addProperty("file", file.toString());
        if (Files.isSymbolicLink(file)) {
            r.addProperty("symlink", Files.readSymbolicLink(file).toString());
        } else if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            r.addProperty("original", Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
            r.addProperty("mode", PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)));
        }
        List<String> made = new ArrayList<>();
        for (Path d = file.getParent(); d != null && !Files.exists(d); d = d.getParent()) {
            made.add(0, d.toString());
        }
        r.add("made", GSON.toJsonTree(made));
        write(journal, r);
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(".resolv.conf.crew-" + sessionId);
        Files.writeString(tmp, s.resolvConf(sessionId), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Applied(journal, r);
    }

    private static Path under(Path root, Path absolute) {
        return root.resolve(absolute.toString().substring(1));
    }

    private static List<String> restore(JsonObject r) {
        List<String> problems = new ArrayList<>();
        Target target = Target.valueOf(r.get("target").getAsString());
        if (target == Target.RESOLVED) {
            String device = r.get("device").getAsString();
            if (Files.exists(Path.of("/sys/class/net", device)) && resolvectl() != null) {
                try {
                    run(List.of(resolvectl(), "revert", device));
                } catch (IOException e) {
                    problems.add("resolvectl revert " + device + ": " + e.getMessage());
                }
            }
            return problems;
        }
        Path file = Path.of(r.get("file").getAsString());
        try {
            if (r.has("symlink")) {
                Files.deleteIfExists(file);
                Files.createSymbolicLink(file, Path.of(r.get("symlink").getAsString()));
            } else if (r.has("original")) {
                Path tmp = file.resolveSibling(".resolv.conf.crew-restore");
                Files.write(tmp, Base64.getDecoder().decode(r.get("original").getAsString()));
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(r.get("mode").getAsString()));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(file);
            }
            List<String> made = new ArrayList<>();
            r.getAsJsonArray("made").forEach(e -> made.add(e.getAsString()));
            for (int i = made.size() - 1; i >= 0; i--) {
                Path d = Path.of(made.get(i));
                try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
                    if (!s.iterator().hasNext()) {
                        Files.delete(d);
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // gone already
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.add("could not restore " + file + ": " + e.getMessage());
        }
        return problems;
    }

    /**
     * After a crash: restores the DNS of every session in {@code journalDirectory} whose owner is gone. Journals of
     * running owners are left alone.
     */
    public static List<String> recover(Path journalDirectory, Consumer<String> log) {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(journalDirectory)) {
            return problems;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(journalDirectory, "*" + SUFFIX)) {
            for (Path j : s) {
                JsonObject r;
                try {
                    r = JsonParser.parseString(Files.readString(j, StandardCharsets.UTF_8)).getAsJsonObject();
                } catch (IOException | RuntimeException e) {
                    problems.add("unreadable DNS journal " + j + ": " + e.getMessage());
                    continue;
                }
                OwnerProcess owner = new OwnerProcess(r.get("pid").getAsLong(), r.get("pid_start_ticks").getAsLong(), r.get("pid_start_ms").getAsLong());
                if (owner.isAlive()) {
                    continue;
                }
                List<String> p = restore(r);
                if (p.isEmpty()) {
                    Files.deleteIfExists(j);
                    log.accept("DNS of crashed session '" + r.get("session").getAsString() + "' restored (" + r.get("target").getAsString().toLowerCase()
                            + (r.has("file") ? " " + r.get("file").getAsString() : "") + ")");
                } else {
                    problems.addAll(p);
                }
            }
        } catch (IOException e) {
            problems.add("DNS journals in " + journalDirectory + ": " + e.getMessage());
        }
        return problems;
    }

    private static void write(Path journal, JsonObject r) throws IOException {
        Files.createDirectories(journal.getParent());
        Path tmp = journal.resolveSibling(journal.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer b = ByteBuffer.wrap((GSON.toJson(r) + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        }
        Files.move(tmp, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void run(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + ": no answer within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " exited with " + p.exitValue() + (out.isEmpty() ? "" : ": " + out));
        }
    }

    /** For status output: "172.31.0.2 for corp.example (split tunnel)". */
    public static String describe(Settings s) {
        if (s.isEmpty()) {
            return "none pushed";
        }
        return String.join(", ", s.servers().stream().map(IpAddress::toString).toList())
                + (s.fullTunnel() ? " for every name (full tunnel)" : s.domains().isEmpty() ? " (split tunnel, no domains pushed)"
                        : " for " + String.join(", ", s.domains()) + " (split tunnel)");
    }

    static Map<String, Object> json(Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("servers", s.servers().stream().map(IpAddress::toString).toList());
        m.put("domains", s.domains());
        m.put("fullTunnel", s.fullTunnel());
        return m;
    }
}
