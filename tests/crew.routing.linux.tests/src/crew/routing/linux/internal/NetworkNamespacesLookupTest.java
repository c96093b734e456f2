package crew.routing.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.netns.NetworkNamespaces;
import crew.testing.Prerequisites;

/**
 * The namespace SPI is found both ways consumers look for it: as the DS service in this framework, and through
 * {@link ServiceLoader} (the META-INF/services entry plain class-path processes such as the tests' agent use).
 */
class NetworkNamespacesLookupTest {

    @Test
    void givenTheFramework_whenFinding_thenTheLinuxServiceIsReturned() {
        NetworkNamespaces found = NetworkNamespaces.find().orElseThrow();
        assertInstanceOf(LinuxNetworkNamespaces.class, found);
    }

    @Test
    void givenTheBundlesServiceListing_whenLoadingWithServiceLoader_thenTheLinuxImplementationIsListed() throws Exception {
        List<String> listed;
        try (var in = LinuxNetworkNamespaces.class.getClassLoader()
                .getResourceAsStream("META-INF/services/" + NetworkNamespaces.class.getName())) {
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        }
        assertEquals(List.of(LinuxNetworkNamespaces.class.getName()), listed);
        NetworkNamespaces loaded = ServiceLoader.load(NetworkNamespaces.class, LinuxNetworkNamespaces.class.getClassLoader()).findFirst()
                .orElseThrow();
        assertInstanceOf(LinuxNetworkNamespaces.class, loaded);
    }

    @Test
    void givenAnotherOs_whenNoImplementationIsThere_thenTheReasonSaysTheLabIsLinuxOnly() {
        String os = System.getProperty("os.name");
        try {
            System.setProperty("os.name", "Windows 11");
            String reason = NetworkNamespaces.unavailableReason();
            assertTrue(reason.contains("Linux-only") && reason.contains("Windows 11"), reason);
            System.setProperty("os.name", "Linux");
            assertTrue(NetworkNamespaces.unavailableReason().contains("crew.routing.linux"), "on Linux: the bundle is missing");
        } finally {
            System.setProperty("os.name", os);
        }
    }

    @Test
    void givenRoot_whenCreatingANamespaceThroughTheSpi_thenItExistsHasABackendAndIsGoneAfterDelete() throws Exception {
        Prerequisites.requireRoot();
        NetworkNamespaces ns = NetworkNamespaces.require("the test");
        String name = "crew-osroutes-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL);
        ns.create(name);
        try {
            assertTrue(ns.exists(name));
            assertTrue(ns.list().contains(name));
            ns.sysctl(name, "net.ipv4.ip_forward", "1");
            assertEquals("1", ns.sysctl(name, "net.ipv4.ip_forward").strip());
            try (ClosableRoutingBackend b = ns.backend(name)) {
                assertEquals("linux", b.platform());
                assertTrue(b.routes().stream().allMatch(r -> r.interfaceName() == null || r.interfaceName().equals("lo")));
            }
            List<String> argv = List.of(ns.command(name, "true"));
            assertEquals("true", argv.get(argv.size() - 1));
            assertTrue(argv.stream().anyMatch(a -> a.endsWith("/netns/" + name)), argv.toString());
        } finally {
            ns.delete(name);
        }
        assertFalse(ns.exists(name));
    }
}
