package crew.enforce;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What to do when a conflict is detected (an OSGi service; the engine takes the highest-ranked one, else remediates).
 */
@ConsumerType
public interface EnforcementPolicy {

    enum Decision {
        /** Remove the conflicting route and re-assert the protected one (AWS behaviour). */
        REMEDIATE,
        /** Report only; leave the route. */
        ALERT_ONLY,
        /** Report and end the session (the tunnel disconnects; the device is restored). */
        DISCONNECT
    }

    Decision onConflict(Conflict conflict);
}
