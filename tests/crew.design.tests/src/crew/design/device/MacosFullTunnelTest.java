package crew.design.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import crew.design.Designs;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * Issue 17's held-out macOS table: a full-tunnel prediction must not remove the LAN's ARP entries (they are not
 * routes) nor list the LAN gateway's /32 more than once (the device's own on-link host route to it is kept, exempt).
 */
class MacosFullTunnelTest {

    @Test
    void givenMacosNetstatWithArpEntries_whenFullTunnelIsPredicted_thenTheGatewayHostRouteIsListedOnceAndNoArpEntryIsRemoved() {
        DevicePrediction p = DevicePredictor.predict(new PredictionRequest(Designs.example("full-tunnel"), IpAddress.parse("10.250.0.2"), null,
                IpAddress.parse("203.0.113.10"), "utun4", Designs.device("macos-netstat-rn.txt"), null));
        Cidr gw = Cidr.parse("192.168.1.1/32");
        assertEquals(1, p.after().stream().filter(r -> r.destination().equals(gw)).count(), p.after().toString());
        assertTrue(p.conflicts().stream().noneMatch(c -> c.route().destination().equals(gw)), p.conflicts().toString());
        assertTrue(p.conflicts().stream().noneMatch(c -> c.route().gateway() == null && c.route().flags().contains("W")),
                "no cloned or ARP entry is a conflict: " + p.conflicts());
        // the LAN itself goes, as AWS documents for full tunnel with CRE
        assertTrue(p.conflicts().stream().anyMatch(c -> c.route().destination().equals(Cidr.parse("192.168.1.0/24"))));
    }
}
