package crew.enforce;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.linux.LinuxRouting;

/** The enforcing process the crash test kills with SIGKILL: protects 172.31.0.0/16 in a namespace until killed. */
public final class CrashableEnforcer {

    private CrashableEnforcer() {
    }

    public static void main(String[] args) throws Exception {
        String netns = args[0];
        Path journal = Path.of(args[1]);
        SessionSpec spec = new SessionSpec("crash", "tun0", IpAddress.parse("10.200.0.1"),
                List.of(Cidr.parse("172.31.0.0/16"), Cidr.parse("2001:db8:10::/48")), List.of(), List.of(), EnforcementMode.AWS, null,
                Duration.ofMillis(200));
        EnforcementSession session = new EnforcementSession(spec, LinuxRouting.namespace(netns), null, journal);
        session.start();
        System.out.println("STARTED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
