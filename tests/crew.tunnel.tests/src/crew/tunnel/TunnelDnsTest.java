package crew.tunnel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import crew.model.net.IpAddress;

/** The pushed DNS read from openvpn's environment, written and restored under a scratch root, and recovered after a crash. */
class TunnelDnsTest {
    @TempDir
    Path dir;

    private static PushedConfiguration pushed(boolean full, String... foreign) {
        Map<String, String> env = new HashMap<>();
        List<IpAddress> dns = new ArrayList<>();
        for (int i = 0; i < foreign.length; i++) {
            env.put("foreign_option_" + (i + 1), foreign[i]);
            String[] w = foreign[i].split(" ");
            if (w[1].equals("DNS")) {
                dns.add(IpAddress.parse(w[2]));
            }
        }
        return new PushedConfiguration("tun0", Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), full, dns, true, env);
    }

    @Test
    void givenPushedOptions_whenRead_thenServersAndDomainsAreTakenInOrderAndBadDomainsLeftOut() {
        TunnelDns.Settings s = TunnelDns.of(pushed(false, "dhcp-option DNS 172.31.0.2", "dhcp-option DOMAIN corp.example",
                "dhcp-option DOMAIN-SEARCH eng.corp.example. bad;name", "dhcp-option DNS 172.31.0.3"));
        assertEquals(List.of(IpAddress.parse("172.31.0.2"), IpAddress.parse("172.31.0.3")), s.servers());
        assertEquals(List.of("corp.example", "eng.corp.example"), s.domains());
        assertEquals(List.of("~corp.example", "~eng.corp.example"), s.resolvedDomains(), "split tunnel: routing domains only");
        assertEquals(List.of("~corp.example", "~."), TunnelDns.of(pushed(true, "dhcp-option DNS 10.0.0.2", "dhcp-option DOMAIN corp.example"))
                .resolvedDomains(), "full tunnel: the link is the default route");
        assertEquals("nameserver 172.31.0.2\nnameserver 172.31.0.3\nsearch corp.example eng.corp.example\n",
                s.resolvConf("x").substring(s.resolvConf("x").indexOf('\n') + 1));
    }

    @Test
    void givenAUsersResolverFile_whenAppliedAndRestored_thenItIsBackByteForByte() throws Exception {
        Path root = dir.resolve("root");
        Path file = root.resolve("etc/netns/crew-x-dev/resolv.conf");
        Files.createDirectories(file.getParent());
        byte[] users = "nameserver 192.168.1.1\r\n# no newline at the end".getBytes(StandardCharsets.UTF_8);
        Files.write(file, users);
        TunnelDns.Applied a = TunnelDns.apply(TunnelDns.of(pushed(false, "dhcp-option DNS 172.31.0.2")), "s1", "tun0", "crew-x-dev", dir.resolve("j"), root);
        assertTrue(Files.readString(file).contains("nameserver 172.31.0.2"));
        assertEquals(List.of(), a.restore());
        assertArrayEquals(users, Files.readAllBytes(file));
        assertFalse(Files.exists(dir.resolve("j/s1" + TunnelDns.SUFFIX)));
    }

    @Test
    void givenNoFileBefore_whenRestored_thenTheFileAndTheFoldersCrewMadeAreGone() throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        TunnelDns.Applied a = TunnelDns.apply(TunnelDns.of(pushed(false, "dhcp-option DNS 172.31.0.2")), "s2", "tun0", "crew-y-dev", dir.resolve("j"), root);
        assertTrue(Files.exists(root.resolve("etc/netns/crew-y-dev/resolv.conf")));
        assertEquals(List.of(), a.restore());
        assertFalse(Files.exists(root.resolve("etc/netns")), "etc/netns was made by CREW and goes");
        assertTrue(Files.isDirectory(root.resolve("etc")));
    }

    @Test
    void givenACrashedSession_whenRecovered_thenItsResolverIsRestoredAndARunningOnesIsLeftAlone() throws Exception {
        Path root = dir.resolve("root");
        Path file = root.resolve("etc/netns/crew-z-dev/resolv.conf");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "nameserver 192.168.1.1\n");
        Path journals = dir.resolve("j");
        TunnelDns.apply(TunnelDns.of(pushed(false, "dhcp-option DNS 172.31.0.2")), "crashed", "tun0", "crew-z-dev", journals, root);
        List<String> log = new ArrayList<>();
        assertEquals(List.of(), TunnelDns.recover(journals, log::add));
        assertTrue(Files.readString(file).contains("172.31.0.2"), "this process owns it and runs: left alone");
        // the owner dies: a process that has exited stands for the crashed session's
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path j = journals.resolve("crashed" + TunnelDns.SUFFIX);
        Files.writeString(j, Files.readString(j).replaceFirst("\"pid\":\\d+", "\"pid\":" + dead.pid()));
        assertEquals(List.of(), TunnelDns.recover(journals, log::add));
        assertEquals("nameserver 192.168.1.1\n", Files.readString(file));
        assertFalse(Files.exists(j));
        assertTrue(log.get(0).contains("DNS of crashed session 'crashed' restored"), log.toString());
    }
}
