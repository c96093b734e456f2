package crew.ui.tunnel.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentException;
import crew.agent.api.AgentProtocol;
import crew.enforce.EnforcementEventSink;
import crew.enforce.EnforcementMode;
import crew.enforce.EnforcementPolicy;
import crew.routing.api.RoutingException;
import crew.tunnel.RouteAttack;
import crew.tunnel.TunnelException;
import crew.tunnel.TunnelListener;
import crew.tunnel.TunnelState;
import crew.tunnel.TunnelStatus;

/**
 * The console's session controls: Connect, Disconnect and Attack, the session's state (bold), its detail and the
 * attack's outcome. The session runs in the privileged agent when one runs, in this process only as root.
 */
final class SessionArea {
    private final TunnelPart console;
    private final Button connectButton;
    private final Button disconnectButton;
    private final Button attackButton;
    private final Label stateLabel;
    private final Label detailLabel;
    private final Label attackLabel;
    private String lastAttack = "";

    SessionArea(Composite parent, TunnelPart console) {
        this.console = console;
        Composite sessionRow = TunnelPart.row(parent, 5);
        connectButton = TunnelPart.button(sessionRow, "&Connect", this::connect);
        disconnectButton = TunnelPart.button(sessionRow, "&Disconnect", this::disconnect);
        attackButton = TunnelPart.button(sessionRow, "&Attack", this::attack);
        attackButton.setToolTipText("Lab sessions: add a route more specific than a protected one through the LAN gateway, as a user with admin"
                + " rights would, and show whether and how fast the enforcement engine removes it");
        stateLabel = new Label(sessionRow, SWT.NONE);
        FontData[] data = stateLabel.getFont().getFontData();
        for (FontData d : data) {
            d.setStyle(SWT.BOLD);
            d.setHeight(d.getHeight() + 2);
        }
        Font bold = new Font(parent.getDisplay(), data);
        stateLabel.setFont(bold);
        stateLabel.addListener(SWT.Dispose, e -> bold.dispose());
        stateLabel.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        detailLabel = new Label(parent, SWT.WRAP);
        detailLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        attackLabel = new Label(parent, SWT.WRAP);
        attackLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    }

    boolean isDisposed() {
        return stateLabel.isDisposed();
    }

    /** Connects the chosen profile in a job (cancel disconnects). */
    void connect() {
        Optional<ProfileEntry> chosen = console.profileArea().selected();
        ConsoleTunnel live = console.session();
        if (chosen.isEmpty() || console.busy() || (live != null && !live.status().state().isFinal())) {
            return;
        }
        ProfileEntry entry = chosen.get();
        Optional<ProfileArea.Credentials> credentials = console.profileArea().takeCredentials();
        if (credentials.isEmpty()) {
            return;
        }
        String user = credentials.get().username();
        char[] pass = credentials.get().password();
        char[] keyPass = credentials.get().keyPassphrase();
        console.clearSession();
        attackLabel.setText("");
        lastAttack = "";
        showError("");
        Path openvpn = TunnelPart.openvpnPath();
        EnforcementMode mode = TunnelPart.enforcementMode();
        EnforcementPolicy policy = TunnelPart.service(EnforcementPolicy.class);
        TunnelListener listener = new TunnelListener() {
            @Override
            public void stateChanged(TunnelStatus status) {
                console.ui(() -> console.showStatus(status));
            }

            @Override
            public void log(String line) {
                console.ui(() -> console.appendLog(line));
            }
        };
        Job job = new Job("Connecting " + entry.label()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                ConsoleTunnel s;
                EnforcementEventSink events = TunnelPart.withRegisteredSinks(e -> console.ui(() -> console.addEvent(e)));
                try {
                    // the agent runs it when one runs (the workbench is an ordinary user); in this process only as root
                    Optional<AgentClient> agent = ConsoleAgent.find();
                    if (agent.isPresent()) {
                        s = AgentConsoleSession.create(entry, agent.get(), mode, listener, events, user, pass, keyPass);
                    } else if (!NetworkPrivileges.canAdministerNetwork()) {
                        console.ui(() -> showError(NetworkPrivileges.needed()));
                        return Status.OK_STATUS;
                    } else {
                        s = ConsoleSession.create(entry, console.backends(), openvpn, mode, policy, listener, events, user,
                                pass, keyPass);
                    }
                } catch (ConsoleAgent.Unavailable e) {
                    console.ui(() -> showError(e.getMessage()));
                    return Status.OK_STATUS;
                } catch (AgentException e) {
                    String text = e.code() == AgentProtocol.REFUSED ? ConsoleAgent.refused(e) : "The agent did not start the tunnel: " + e.getMessage();
                    console.ui(() -> showError(text));
                    return Status.OK_STATUS;
                } catch (IOException e) {
                    console.ui(() -> showError("The agent did not start the tunnel: " + e.getMessage()));
                    return Status.OK_STATUS;
                } catch (TunnelException e) {
                    console.ui(() -> showError(message(e)));
                    return Status.OK_STATUS;
                } catch (RoutingException e) {
                    console.ui(() -> showError(e.isPermissionDenied() ? NetworkPrivileges.needed() : "Cannot reach the device's routing table: "
                            + e.getMessage()));
                    return Status.OK_STATUS;
                } catch (RuntimeException e) {
                    console.ui(() -> showError("Cannot start the tunnel: " + e.getMessage()));
                    return Status.error("Cannot start the tunnel for " + entry.label(), e);
                }
                if (s instanceof AgentConsoleSession a && !a.mayControl()) {
                    // the agent decides; a read-only caller's connect is refused there and the refusal names the rule
                    try {
                        a.connect();
                    } catch (TunnelException e) {
                        console.ui(() -> showError(a.refusal().orElse(message(e))));
                    }
                    a.close();
                    return Status.OK_STATUS;
                }
                console.setSession(s);
                console.ensureShutdownHook();
                console.ui(() -> console.showStatus(s.status()));
                try {
                    s.connect();
                    console.status("Tunnel " + entry.label() + " connected in " + s.connectTime().map(d -> d.toMillis() + " ms").orElse("?"));
                } catch (TunnelException e) {
                    String text = s instanceof AgentConsoleSession a ? a.refusal().orElse(message(e)) : message(e);
                    console.ui(() -> showError(text));
                }
                console.ui(() -> console.showStatus(s.status()));
                return Status.OK_STATUS;
            }

            @Override
            protected void canceling() {
                ConsoleTunnel s = console.session();
                if (s != null) {
                    Thread t = new Thread(s::disconnect, "crew-ui-tunnel-cancel");
                    t.setDaemon(true);
                    t.start();
                }
            }
        };
        console.runJob(job);
    }

    static String message(TunnelException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("Operation not permitted") || m.contains("EPERM") || m.contains("permission")) {
            return e.reason() + ": " + m + "\n" + NetworkPrivileges.needed();
        }
        return e.reason() + ": " + m;
    }

    /** Disconnects the workbench's session in a job. */
    void disconnect() {
        ConsoleTunnel s = console.session();
        if (s == null || s.status().state().isFinal()) {
            return;
        }
        Job job = Job.create("Disconnecting " + s.entry().label(), monitor -> {
            List<String> problems = s.disconnect();
            console.ui(() -> {
                console.showStatus(s.status());
                if (!problems.isEmpty()) {
                    showError("The table was not fully restored: " + String.join("; ", problems));
                }
            });
            console.status("Tunnel " + s.entry().label() + " disconnected; routing table restored");
            return Status.OK_STATUS;
        });
        // not through runJob: Disconnect must work while Connect's job waits
        job.schedule();
    }

    /** The lab session's attack in a job: add a conflicting route, watch the engine's response, clean up. */
    void attack() {
        ConsoleTunnel s = console.session();
        if (s == null || !s.canAttack() || console.busy()) {
            return;
        }
        attackLabel.setText("Attack: adding a conflicting route in " + s.entry().namespace() + " ...");
        console.runJob(Job.create("Attacking the routes of " + s.entry().label(), monitor -> {
            String text;
            boolean good;
            try {
                RouteAttack.Result r = s.attack();
                String added = "Attack: added " + r.route() + " in " + s.entry().namespace() + ": ";
                if (r.removedByEngine()) {
                    text = added + String.format(Locale.ROOT, "removed by the enforcement engine after %.3f ms.",
                            r.removalTime().orElseThrow().toNanos() / 1e6);
                    good = true;
                } else {
                    text = added + "NOT removed within " + r.waited().toMillis() + " ms: this session does not enforce, so traffic to "
                            + r.route().destination() + " would leave outside the tunnel." + (r.removedAgain() ? " The console removed the route again." : "");
                    good = false;
                }
            } catch (RoutingException e) {
                text = "Attack failed: " + (e.isPermissionDenied() ? NetworkPrivileges.needed() : e.getMessage());
                good = false;
            } catch (IllegalStateException e) {
                text = "Attack not possible: " + e.getMessage();
                good = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Status.CANCEL_STATUS;
            }
            String shown = text;
            boolean ok = good;
            console.ui(() -> {
                lastAttack = shown;
                attackLabel.setText(shown);
                attackLabel.setForeground(ok ? console.green() : console.red());
                console.layout();
            });
            console.status(shown);
            return Status.OK_STATUS;
        }));
    }

    /** The state line and the detail of {@code status} (null: not connected). */
    void show(TunnelStatus status, ConsoleTunnel s) {
        if (status == null) {
            stateLabel.setText("Not connected");
            stateLabel.setForeground(null);
            return;
        }
        String time = status.state() == TunnelState.CONNECTED && s != null
                ? s.connectTime().map(d -> ", connected in " + d.toMillis() + " ms").orElse("") : "";
        stateLabel.setText(status.state().name() + (status.state() == TunnelState.CONNECTED ? (status.enforced() ? ", enforced" : ", NOT enforced")
                : "") + time);
        stateLabel.setForeground(status.state() == TunnelState.CONNECTED ? console.green() : status.state() == TunnelState.FAILED ? console.red() : null);
        detailLabel.setText((s == null ? "" : s.entry().label() + ": ") + (status.openvpnState().isEmpty() ? "" : "openvpn " + status.openvpnState()
                + ", ") + status.detail() + " (since " + AuditTab.time(status.since()) + ")"
                + status.error().map(e -> "\nError: " + message(e)).orElse(""));
        detailLabel.setForeground(status.error().isPresent() ? console.red() : null);
    }

    void showError(String text) {
        detailLabel.setText(text);
        detailLabel.setForeground(text.isEmpty() ? null : console.red());
        console.layout();
    }

    /** Shows what ending another process's session did. */
    void report(String text) {
        detailLabel.setText(text);
    }

    void updateButtons(boolean busy, ConsoleTunnel s, boolean profileChosen) {
        boolean live = s != null && !s.status().state().isFinal();
        connectButton.setEnabled(!busy && !live && profileChosen);
        disconnectButton.setEnabled(live);
        attackButton.setEnabled(!busy && s != null && s.canAttack());
    }

    /** The row that holds the buttons and the state (the console lays out from its parent). */
    Composite row() {
        return stateLabel.getParent();
    }

    // ---- for tests ----

    String state() {
        return stateLabel.getText();
    }

    String detail() {
        return detailLabel.getText();
    }

    String attackResult() {
        return lastAttack;
    }

    Button connectButton() {
        return connectButton;
    }

    Button disconnectButton() {
        return disconnectButton;
    }

    Button attackButton() {
        return attackButton;
    }
}
