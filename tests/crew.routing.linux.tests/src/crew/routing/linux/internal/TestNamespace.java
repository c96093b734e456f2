package crew.routing.linux.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace a test creates and removes, with a veth pair (dummy0/dummy1: this kernel has no dummy
 * module) and addresses. The test's setup shells out to `ip`; CREW's product code never does.
 */
final class TestNamespace implements AutoCloseable {
    final String name;

    TestNamespace() throws IOException, InterruptedException {
        name = "crewt" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFL);
        run("ip", "netns", "add", name);
        exec("ip link set lo up");
        exec("ip link add dummy0 type veth peer name dummy1");
        exec("ip link set dummy1 up");
        exec("ip link set dummy0 up");
        exec("ip addr add 10.99.0.1/24 dev dummy0");
        exec("ip -6 addr add 2001:db8:99::1/64 dev dummy0 nodad");
    }

    /** Runs an `ip ...` command line inside the namespace. */
    String exec(String commandLine) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(commandLine.split(" ")));
        return run(cmd.toArray(String[]::new));
    }

    /** Runs many `ip` commands in one process (ip -batch): fast enough to flood the table. */
    void batch(List<String> commands) throws IOException, InterruptedException {
        Path file = Files.createTempFile("crew-ip-batch", ".txt");
        try {
            Files.write(file, commands, StandardCharsets.UTF_8);
            run("ip", "-n", name, "-batch", file.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("ip", "netns", "del", name);
    }
}
