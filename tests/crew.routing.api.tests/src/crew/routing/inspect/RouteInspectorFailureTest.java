package crew.routing.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/** A classifier that throws is passed over: the others and the built-in rules classify, the failure is kept. */
class RouteInspectorFailureTest {

    private static final DeviceRoute LAN = DeviceRoute.of(Cidr.parse("192.168.1.0/24"), null, "wlan0", 0);
    private static final DeviceRoute CORP = DeviceRoute.of(Cidr.parse("172.17.0.0/16"), IpAddress.parse("192.168.1.1"), "wlan0", 0);
    private static final DeviceRoute TUN = DeviceRoute.of(Cidr.parse("10.0.0.0/8"), null, "tun0", 0);

    static final class Throwing implements RouteClassifier {
        @Override
        public Optional<Classification> classify(DeviceRoute route, List<DeviceRoute> table) {
            if (route.interfaceName().equals("tun0")) {
                return Optional.empty();
            }
            throw new IllegalStateException("wrapped", new NumberFormatException("For input string: \"x\""));
        }
    }

    @Test
    void givenAClassifierThatThrowsBeforeAWorkingOne_whenATableIsClassified_thenTheWorkingOneAndTheBuiltInRulesClassifyAndTheFailureIsKept() {
        RouteClassifier corporate = (route, table) -> route.destination().equals(Cidr.parse("172.17.0.0/16"))
                ? Optional.of(new RouteClassifier.Classification(RouteClass.OTHER, "corporate")) : Optional.empty();
        RouteInspector inspector = new RouteInspector(List.of(new Throwing(), corporate));
        List<RouteInspector.ClassifiedRoute> classified = inspector.classify(List.of(LAN, CORP, TUN));
        assertEquals(3, classified.size());
        assertEquals("corporate", classified.get(1).reason(), "the classifier after the broken one still answers");
        assertEquals(RouteClass.OTHER, classified.get(0).routeClass());
        assertEquals(RouteClass.TUNNEL, classified.get(2).routeClass());
        List<RouteInspector.ClassifierFailure> failures = inspector.failures();
        assertEquals(1, failures.size(), failures.toString());
        RouteInspector.ClassifierFailure f = failures.get(0);
        assertEquals(Throwing.class.getName(), f.classifier());
        assertEquals(2, f.routes(), "failed on the two wlan0 routes, not on tun0");
        assertTrue(f.bundle().startsWith("crew.routing.api "), "the bundle that holds the class (this fragment's host): " + f.bundle());
        assertEquals(IllegalStateException.class, f.error().getClass(), "the first exception is kept");
        assertTrue(f.message().startsWith("route classifier " + Throwing.class.getName() + " (bundle crew.routing.api "), f.message());
        assertTrue(f.message().endsWith("failed on 2 routes and was passed over: java.lang.NumberFormatException: For input string: \"x\""),
                f.message());
    }

    @Test
    void givenAClassifierThatAnswersNullOrAClassificationWithoutAClass_whenClassified_thenItIsPassedOverAndNamed() {
        RouteClassifier returnsNull = (route, table) -> null;
        RouteClassifier noClass = (route, table) -> Optional.of(new RouteClassifier.Classification(null, "no class"));
        RouteInspector inspector = new RouteInspector(List.of(returnsNull, noClass));
        assertEquals(RouteClass.TUNNEL, inspector.classify(TUN, List.of(TUN)).routeClass());
        assertEquals(2, inspector.failures().size());
        assertTrue(inspector.failures().get(0).message().contains("returned null instead of Optional.empty()"), inspector.failures().toString());
        assertTrue(inspector.failures().get(1).message().contains("without a RouteClass"), inspector.failures().toString());
    }

    @Test
    void givenWorkingClassifiers_whenClassified_thenNoFailure() {
        RouteInspector inspector = new RouteInspector(List.of((route, table) -> Optional.empty()));
        inspector.classify(List.of(LAN, TUN));
        assertTrue(inspector.failures().isEmpty());
    }
}
