package crew.enforce.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import crew.enforce.ConflictRule;
import crew.enforce.EnforcementSession;
import crew.enforce.Recovery;
import crew.enforce.RouteJournal;
import crew.model.device.DeviceRoute;
import crew.routing.inspect.RouteClass;
import crew.routing.inspect.RouteClassifier;

/**
 * Tells {@code crew inspect} (or any inspector in another process) which routes the enforcement sessions running
 * on this device protect and which conflict with them, from the sessions' journals.
 */
@Component(service = RouteClassifier.class)
public class ActiveSessionClassifier implements RouteClassifier {

    private record Active(String sessionId, String tunnelInterface, List<DeviceRoute> installed, ConflictRule rule) {
    }

    private volatile List<Active> cached = List.of();
    private volatile long cachedAt;

    /** Journals are read at most twice a second: an inspector classifies route after route. */
    private List<Active> activeSessions() {
        long now = System.nanoTime();
        if (now - cachedAt > 500_000_000L) {
            cached = readActiveSessions();
            cachedAt = now;
        }
        return cached;
    }

    private List<Active> readActiveSessions() {
        List<Active> result = new ArrayList<>();
        Path dir = Recovery.defaultJournalDirectory();
        if (!Files.isDirectory(dir)) {
            return result;
        }
        try {
            for (Path p : Recovery.journals(dir)) {
                RouteJournal.Contents c;
                try {
                    c = RouteJournal.read(p);
                } catch (IOException e) {
                    continue; // an unreadable journal: classify without its session's knowledge
                }
                if (c.spec() != null && Recovery.liveOwner(p, c).isPresent()) {
                    result.add(new Active(c.sessionId(), c.spec().tunnelInterface(), c.installed(), new ConflictRule(c.spec())));
                }
            }
        } catch (IOException e) {
            return result; // an unreadable folder: classify without session knowledge
        }
        return result;
    }

    @Override
    public Optional<Classification> classify(DeviceRoute route, List<DeviceRoute> table) {
        for (Active a : activeSessions()) {
            for (DeviceRoute r : a.installed()) {
                if (r.destination().equals(route.destination()) && a.tunnelInterface().equals(route.interfaceName())
                        && EnforcementSession.CREW_PROTOCOL.equals(route.protocol())) {
                    return Optional.of(new Classification(RouteClass.PROTECTED, "protected by session " + a.sessionId()));
                }
            }
            Optional<crew.enforce.Conflict> c = a.rule().check(route);
            if (c.isPresent()) {
                return Optional.of(new Classification(RouteClass.CONFLICTING, c.get().reason() + " (session " + a.sessionId() + ")"));
            }
        }
        return Optional.empty();
    }
}
