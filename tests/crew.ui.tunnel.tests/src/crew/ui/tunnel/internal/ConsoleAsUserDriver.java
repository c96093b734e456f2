package crew.ui.tunnel.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;

import crew.testing.Screenshots;
import crew.testing.UiWait;

/**
 * The tunnel console driven as a user would, inside the workbench process {@link TunnelConsoleAsUserTest} runs as
 * an ordinary user (loaded by {@link ConsoleAsUserMain}): it presses the buttons, waits for what a user waits for,
 * and reports each step on stdout ({@code STEP name: text}, {@code WAIT what} before it reads a line from stdin,
 * {@code FAIL why}). The test checks the steps and, independently, what the agent says.
 *
 * <p>Scripts: {@code member} (no agent: the console says how to start one; then, with the agent, a lab, connect,
 * attack, disconnect, lab down), {@code outsider} (reads the agent's status, its connect and lab are refused).
 */
public final class ConsoleAsUserDriver {
    private static final BufferedReader IN = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    private final Display display;
    private final Shell shell;
    private final TunnelPart part;

    private ConsoleAsUserDriver() {
        display = Display.getDefault();
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setText("CREW tunnel console as " + System.getProperty("user.name"));
        shell.setLayout(new FillLayout());
        shell.setSize(1300, 760);
        part = new TunnelPart();
        part.createControls(shell);
        shell.open();
    }

    public static int run(String[] args) {
        ConsoleAsUserDriver d = null;
        try {
            d = new ConsoleAsUserDriver();
            switch (args[0]) {
                case "member" -> d.member(args[1]);
                case "outsider" -> d.outsider(args[1]);
                default -> throw new IllegalArgumentException("no script " + args[0]);
            }
            System.out.println("DONE");
            return 0;
        } catch (Throwable t) {
            System.out.println("FAIL " + String.valueOf(t.getMessage()).replace('\n', ' '));
            t.printStackTrace(System.out);
            if (d != null) {
                try {
                    Screenshots.save(d.shell, "tunnel-console-as-user-failure-" + args[0]);
                } catch (IOException | RuntimeException e) {
                    // the failure is reported already
                }
            }
            return 1;
        } finally {
            System.out.flush();
        }
    }

    /** A member of the agent's group: no agent first, then a lab, a connect, an attack, a disconnect, lab down. */
    private void member(String group) throws Exception {
        wait(() -> part.agentLine().startsWith("No CREW agent runs at "), 20_000, "the console says no agent runs: " + part.agentLine());
        check(part.agentLine().contains("sudo ./crew agent") && !part.agentLine().contains("as root"), "how to start one: " + part.agentLine());
        step("no-agent", part.agentLine());
        wait(() -> part.designCombo().getItemCount() == 1 && part.profiles().size() == 1, 10_000, "the workspace's design and profile are listed");
        press(part.startLabButton());
        wait(() -> !part.busy() && part.labStatus().startsWith("No CREW agent runs"), 10_000, "Start lab says no agent runs: " + part.labStatus());
        check(part.labStatus().contains("sudo ./crew agent"), "Start lab says how to start one: " + part.labStatus());
        step("no-agent-lab", part.labStatus());
        press(part.connectButton());
        wait(() -> !part.busy() && part.detail().startsWith("No CREW agent runs"), 10_000, "Connect says no agent runs: " + part.detail());
        check(part.detail().contains("sudo ./crew agent"), "Connect says how to start one: " + part.detail());
        step("no-agent-connect", part.detail());
        screenshot("tunnel-console-as-user-no-agent");

        await("agent");
        part.refresh();
        wait(() -> part.agentLine().contains("may control it"), 20_000, "the console sees the agent and this user's role: " + part.agentLine());
        check(part.agentLine().contains("members of group '" + group + "' may control the agent"), "the rule: " + part.agentLine());
        step("agent-control", part.agentLine());
        press(part.startLabButton());
        wait(() -> !part.busy() && part.profiles().stream().anyMatch(p -> p.lab() && p.label().endsWith(", agent)")), 120_000,
                "the agent's lab is up and its profiles are listed: " + part.labStatus());
        check(part.labStatus().contains("in the CREW agent"), part.labStatus());
        check(part.labs().isEmpty(), "the workbench runs no lab itself");
        check(part.selectProfile(p -> p.lab() && p.client().equals("lab-user") && p.label().endsWith(", agent)")), "the lab user's profile");
        step("lab-up", part.labStatus());

        press(part.connectButton());
        wait(() -> !part.busy() && part.state().startsWith("CONNECTED"), 90_000, "connected: " + part.state() + " / " + part.detail());
        List<String> destinations = part.routesTable().rows().stream().map(r -> r.cells().get(0)).toList();
        check(destinations.contains("172.31.0.0/16"), "protected routes listed: " + destinations);
        step("connected", part.state() + " / " + part.detail());
        wait(() -> part.agentLine().contains("CONNECTED (" + System.getProperty("user.name")), 20_000,
                "the agent line shows this user's session: " + part.agentLine());
        wait(() -> part.attackButton().isEnabled(), 5000, "Attack enabled once connected");
        press(part.attackButton());
        wait(() -> !part.attackResult().isEmpty(), 20_000, "the attack's result");
        check(part.attackResult().contains("removed by the enforcement engine after"), part.attackResult());
        wait(() -> part.auditTable().rows().stream().anyMatch(r -> r.cells().get(2).equals("conflict detected")), 5000,
                "the agent's enforcement events reach the audit log");
        step("attacked", part.attackResult());
        screenshot("tunnel-console-as-user");

        await("outsider");
        press(part.disconnectButton());
        wait(() -> part.state().startsWith("DISCONNECTED") && !part.busy(), 60_000, "disconnected: " + part.state());
        step("disconnected", part.state() + " / " + part.detail());
        press(part.stopLabButton());
        wait(() -> part.labStatus().contains("stopped") && !part.busy(), 90_000, "the lab is stopped: " + part.labStatus());
        step("lab-down", part.labStatus());
        part.dispose();
    }

    /** A user outside the agent's group: it sees the agent's status; Connect and Start lab are refused, naming the rule. */
    private void outsider(String group) throws Exception {
        wait(() -> part.agentLine().contains("may read status and events only"), 20_000, "the console sees the agent, read only: " + part.agentLine());
        check(part.agentLine().contains("only root and members of group '" + group + "' may connect"), "the rule: " + part.agentLine());
        check(part.agentLine().contains("CONNECTED"), "the member's session is in the status: " + part.agentLine());
        step("agent-read", part.agentLine());
        wait(() -> part.profiles().size() == 1 && part.designCombo().getItemCount() == 1, 10_000, "the workspace's profile and design are listed");
        press(part.connectButton());
        wait(() -> !part.busy() && part.detail().startsWith("The CREW agent refused"), 20_000, "the agent refuses the connect: " + part.detail());
        check(part.detail().contains("tunnel.connect refused for " + System.getProperty("user.name")), part.detail());
        check(part.detail().contains("only root and members of group '" + group + "' may connect"), "the refusal names the rule: " + part.detail());
        check(part.detail().contains("sudo usermod -aG " + group + " $USER"), "the refusal says which group to join: " + part.detail());
        check(part.session() == null, "no session is kept for a refused connect");
        step("connect-refused", part.detail());
        press(part.startLabButton());
        wait(() -> !part.busy() && part.labStatus().startsWith("The CREW agent refused"), 20_000, "the agent refuses the lab: " + part.labStatus());
        check(part.labStatus().contains("lab.up refused for " + System.getProperty("user.name")), part.labStatus());
        step("lab-refused", part.labStatus());
        screenshot("tunnel-console-as-outsider");
        part.dispose();
    }

    /** Lays the shell out and paints it, then saves what it shows. */
    private void screenshot(String name) throws IOException {
        shell.layout(true, true);
        shell.redraw();
        shell.update();
        UiWait.drain(display);
        Screenshots.save(shell, name);
    }

    private static void step(String name, String text) {
        System.out.println("STEP " + name + ": " + text.replace('\n', ' '));
        System.out.flush();
    }

    /** Tells the test what this script waits for and reads the test's go-ahead from stdin. */
    private void await(String what) throws IOException {
        System.out.println("WAIT " + what);
        System.out.flush();
        UiWait.drain(display);
        String line = IN.readLine();
        if (line == null) {
            throw new IOException("the test ended before '" + what + "'");
        }
    }

    private void wait(BooleanSupplier condition, long millis, String what) {
        UiWait.until(display, condition, millis, what);
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private void press(Button b) {
        check(b.isEnabled(), b.getText() + " is enabled");
        b.notifyListeners(SWT.Selection, new Event());
    }
}
