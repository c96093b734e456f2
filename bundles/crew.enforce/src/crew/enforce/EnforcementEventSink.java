package crew.enforce;

/** Receives every audit event (an OSGi service: the audit log file, CloudWatch Logs, a SIEM...). Must not block. */
public interface EnforcementEventSink {
    void accept(EnforcementEvent event);
}
