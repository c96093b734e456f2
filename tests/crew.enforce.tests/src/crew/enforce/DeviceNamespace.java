package crew.enforce;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A "device" network namespace: a LAN veth (lan0, 192.168.1.23/24 and 2001:db8:1::23/64, default gateway
 * 192.168.1.1) and a TUN device (tun0, 10.200.0.5/27 and 2001:db8:200::5/64). Test setup shells out to `ip`.
 */
final class DeviceNamespace implements AutoCloseable {
    final String name;

    DeviceNamespace() throws IOException, InterruptedException {
        name = "crewd" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFL);
        run("ip", "netns", "add", name);
        // no automatic link-local addresses: they would appear in the table whenever DAD finishes
        run("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.default.addr_gen_mode=1");
        run("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.all.addr_gen_mode=1");
        for (String c : List.of("link set lo up", "link add lan0 type veth peer name lan1", "link set lan1 up", "link set lan0 up",
                "addr add 192.168.1.23/24 dev lan0", "-6 addr add 2001:db8:1::23/64 dev lan0 nodad", "route add default via 192.168.1.1",
                "tuntap add dev tun0 mode tun", "link set tun0 up", "addr add 10.200.0.5/27 dev tun0",
                "-6 addr add 2001:db8:200::5/64 dev tun0 nodad")) {
            ip(c);
        }
        // the kernel adds the IPv6 local and multicast routes a moment later (later still on a loaded machine): wait,
        // so that a test's "table before" is the settled one
        try {
            within(10_000, () -> {
                Set<String> t = table();
                return t.stream().anyMatch(l -> l.startsWith("-6 local 2001:db8:1::23 ")) && t.stream().anyMatch(l -> l.startsWith("-6 local 2001:db8:200::5 "))
                        && t.stream().anyMatch(l -> l.contains("ff00::/8 dev lan1 "));
            });
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    String ip(String args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args.split(" ")));
        return run(cmd.toArray(String[]::new));
    }

    /** Every route of every table, both families, one line each, as `ip` prints them. */
    Set<String> table() throws IOException, InterruptedException {
        Set<String> lines = new TreeSet<>();
        for (String family : new String[] {"-4", "-6"}) {
            for (String line : run("ip", "-n", name, family, "route", "show", "table", "all").split("\n")) {
                if (!line.isBlank()) {
                    lines.add(family + " " + line.trim());
                }
            }
        }
        return lines;
    }

    Set<String> rules() throws IOException, InterruptedException {
        return new TreeSet<>(List.of((run("ip", "-n", name, "-4", "rule") + run("ip", "-n", name, "-6", "rule")).split("\n")));
    }

    boolean has(String routeArgs) throws IOException, InterruptedException {
        return !ip("route show " + routeArgs).isBlank();
    }

    /** Waits up to {@code millis} for {@code condition}; true if it held in time. */
    static boolean within(long millis, Check condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        do {
            if (condition.holds()) {
                return true;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        return condition.holds();
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("ip", "netns", "del", name);
    }
}
