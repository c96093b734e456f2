package crew.tunnel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import crew.enforce.EnforcementMode;

/**
 * How to run one tunnel session.
 *
 * @param openvpn           the openvpn binary (a preference; /usr/sbin/openvpn on Debian)
 * @param namespace         network namespace the device lives in (the lab's device), or null for this host
 * @param enforcement       when the CRE engine remediates: as the server says (CREW's pushed marker), always, never
 * @param mode              enforcement mode (aws, extended, strict)
 * @param connectTimeout    from start until routes are installed; an unreachable server fails after it
 * @param username          for profiles with auth-user-pass (Active Directory), or null
 * @param password          its password, or null
 * @param keyPassphrase     passphrase of an encrypted private key in the profile, or null
 * @param runtimeDirectory  private folder for the session's files (management socket, openvpn log, state)
 * @param journalDirectory  the enforcement journal's folder (crash recovery)
 * @param sessionId         names the session in events, journal and state files
 * @param reconcileInterval the engine's safety-net reconcile period
 */
public record TunnelOptions(Path openvpn, String namespace, Enforcement enforcement, EnforcementMode mode, Duration connectTimeout,
        String username, char[] password, char[] keyPassphrase, Path runtimeDirectory, Path journalDirectory, String sessionId,
        Duration reconcileInterval) {

    /** When the CRE engine remediates conflicts. */
    public enum Enforcement {
        /** When the server pushes CREW's enforcement marker (setenv-safe CREW_CRE 1), as AWS's client follows the endpoint's setting. */
        AS_PUSHED,
        ALWAYS,
        /** Routes are installed and removed, conflicts only reported. */
        NEVER
    }

    public TunnelOptions {
        Objects.requireNonNull(openvpn, "openvpn");
        Objects.requireNonNull(runtimeDirectory, "runtimeDirectory");
        Objects.requireNonNull(sessionId, "sessionId");
        enforcement = enforcement == null ? Enforcement.AS_PUSHED : enforcement;
        mode = mode == null ? EnforcementMode.AWS : mode;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(30) : connectTimeout;
        journalDirectory = journalDirectory == null ? runtimeDirectory : journalDirectory;
        reconcileInterval = reconcileInterval == null ? Duration.ofSeconds(5) : reconcileInterval;
        if (!sessionId.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("session id '" + sessionId + "' may contain only letters, digits, '.', '_' and '-'");
        }
    }

    /** CREW's home: crew.home system property, else $CREW_HOME, else ~/.crew. */
    public static Path crewHome() {
        return crew.enforce.Recovery.crewHome();
    }

    /** Defaults for a session: openvpn from the PATH (else /usr/sbin/openvpn), files under $CREW_HOME/tunnel/SESSION. */
    public static TunnelOptions defaults(String sessionId, String namespace) {
        Path home = crewHome().resolve("tunnel");
        return new TunnelOptions(findOpenvpn(), namespace, null, null, null, null, null, null, home.resolve(sessionId),
                home.resolve("journal").resolve(namespace == null ? "host" : namespace), sessionId, null);
    }

    public TunnelOptions withOpenvpn(Path binary) {
        return new TunnelOptions(binary, namespace, enforcement, mode, connectTimeout, username, password, keyPassphrase, runtimeDirectory,
                journalDirectory, sessionId, reconcileInterval);
    }

    public TunnelOptions withEnforcement(Enforcement e, EnforcementMode m) {
        return new TunnelOptions(openvpn, namespace, e, m, connectTimeout, username, password, keyPassphrase, runtimeDirectory, journalDirectory,
                sessionId, reconcileInterval);
    }

    public TunnelOptions withConnectTimeout(Duration timeout) {
        return new TunnelOptions(openvpn, namespace, enforcement, mode, timeout, username, password, keyPassphrase, runtimeDirectory,
                journalDirectory, sessionId, reconcileInterval);
    }

    public TunnelOptions withCredentials(String user, char[] pass, char[] keyPass) {
        return new TunnelOptions(openvpn, namespace, enforcement, mode, connectTimeout, user, pass, keyPass, runtimeDirectory, journalDirectory,
                sessionId, reconcileInterval);
    }

    public TunnelOptions withDirectories(Path runtime, Path journal) {
        return new TunnelOptions(openvpn, namespace, enforcement, mode, connectTimeout, username, password, keyPassphrase, runtime, journal,
                sessionId, reconcileInterval);
    }

    public TunnelOptions withReconcileInterval(Duration interval) {
        return new TunnelOptions(openvpn, namespace, enforcement, mode, connectTimeout, username, password, keyPassphrase, runtimeDirectory,
                journalDirectory, sessionId, interval);
    }

    /** The first openvpn on the PATH, else Debian's /usr/sbin/openvpn (which may not exist: connect says so). */
    public static Path findOpenvpn() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, "openvpn");
                if (java.nio.file.Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return Path.of("/usr/sbin/openvpn");
    }
}
