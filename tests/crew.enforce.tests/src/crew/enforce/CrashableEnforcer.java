package crew.enforce;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.linux.LinuxRouting;

/**
 * The enforcing process the crash tests kill with SIGKILL: protects 172.31.0.0/16 and 2001:db8:10::/48 in a
 * namespace until killed. Arguments: NETNS JOURNAL [MODE].
 */
public final class CrashableEnforcer {

    private CrashableEnforcer() {
    }

    public static void main(String[] args) throws Exception {
        String netns = args[0];
        Path journal = Path.of(args[1]);
        EnforcementMode mode = args.length > 2 ? EnforcementMode.parse(args[2]) : EnforcementMode.AWS;
        SessionSpec spec = new SessionSpec("crash", "tun0", IpAddress.parse("10.200.0.1"),
                List.of(Cidr.parse("172.31.0.0/16"), Cidr.parse("2001:db8:10::/48")), List.of(), List.of(), mode, null,
                Duration.ofMillis(200));
        EnforcementSession session = new EnforcementSession(spec, LinuxRouting.namespace(netns), null, journal);
        session.start();
        System.out.println("STARTED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
