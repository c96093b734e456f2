package com.example.crew.corprange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.inspect.RouteClass;
import crew.routing.inspect.RouteClassifier;
import crew.routing.inspect.RouteInspector;

class CorporateRangeClassifierTest {

    private final CorporateRangeClassifier classifier = new CorporateRangeClassifier(
            CorporateRangeClassifier.parse("10.20.0.0/16, fd00:20::/32", "test"));

    @Test
    void givenARouteIntoTheRangeThroughTheTunnel_whenClassified_thenTaggedCorporateAndStillTunnel() {
        DeviceRoute route = DeviceRoute.of(Cidr.parse("10.20.4.0/24"), IpAddress.parse("10.200.0.1"), "tun0", 0);
        var c = classifier.classify(route, List.of(route)).orElseThrow();
        assertEquals(RouteClass.TUNNEL, c.routeClass());
        assertEquals("corporate range 10.20.0.0/16 through the tunnel (tun0)", c.reason());
    }

    @Test
    void givenALanRouteCoveringTheRange_whenClassified_thenTaggedOutsideTheTunnel() {
        DeviceRoute route = DeviceRoute.of(Cidr.parse("10.0.0.0/8"), IpAddress.parse("192.168.1.1"), "wlan0", 0);
        var c = classifier.classify(route, List.of(route)).orElseThrow();
        assertEquals(RouteClass.OTHER, c.routeClass());
        assertEquals("corporate range 10.20.0.0/16 outside the tunnel (wlan0)", c.reason());
    }

    @Test
    void givenOtherRoutes_whenClassified_thenNothingToSay() {
        DeviceRoute lan = DeviceRoute.of(Cidr.parse("192.168.1.0/24"), null, "wlan0", 0);
        DeviceRoute v6 = DeviceRoute.of(Cidr.parse("fd00:30::/32"), null, "wlan0", 0);
        assertTrue(classifier.classify(lan, List.of()).isEmpty());
        assertTrue(classifier.classify(v6, List.of()).isEmpty());
        DeviceRoute corp6 = DeviceRoute.of(Cidr.parse("fd00:20:1::/48"), null, "tun0", 0);
        assertTrue(classifier.classify(corp6, List.of()).orElseThrow().reason().contains("fd00:20::/32"));
    }

    @Test
    void givenATypoInTheRanges_whenParsed_thenTheErrorNamesTheEntry() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> CorporateRangeClassifier.parse("10.20.0.0/16,10.300.0.0/16", "crew.corprange.ranges"));
        assertTrue(e.getMessage().startsWith("crew.corprange.ranges, entry 2 '10.300.0.0/16': "), e.getMessage());
    }

    @Test
    void givenTheBundleInEquinox_whenScrStarts_thenTheClassifierIsAServiceTheInspectorApplies() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(CorporateRangeClassifierTest.class).getBundleContext();
        ServiceTracker<RouteClassifier, RouteClassifier> t = new ServiceTracker<>(context, RouteClassifier.class, null);
        t.open();
        RouteClassifier service = t.waitForService(10_000);
        assertNotNull(service, "no RouteClassifier service: is Bundle-ActivationPolicy lazy and SCR started?");
        assertEquals(List.of(Cidr.parse(CorporateRangeClassifier.DEFAULT)), ((CorporateRangeClassifier) service).ranges());
        DeviceRoute route = DeviceRoute.of(Cidr.parse("10.20.0.0/16"), IpAddress.parse("10.200.0.1"), "tun0", 0);
        var classified = new RouteInspector(List.of(service)).classify(route, List.of(route));
        assertEquals("corporate range 10.20.0.0/16 through the tunnel (tun0)", classified.reason());
        t.close();
    }
}
