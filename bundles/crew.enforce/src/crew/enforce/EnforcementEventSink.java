package crew.enforce;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives every audit event (an OSGi service: the audit log file, CloudWatch Logs, a SIEM...). Must not block. */
@ConsumerType
public interface EnforcementEventSink {
    void accept(EnforcementEvent event);
}
