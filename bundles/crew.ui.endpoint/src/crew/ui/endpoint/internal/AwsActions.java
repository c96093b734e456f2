package crew.ui.endpoint.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import crew.aws.AccountReader;
import crew.aws.AppliedEndpoints;
import crew.aws.ApplyReport;
import crew.aws.AwsErrors;
import crew.aws.AwsSession;
import crew.aws.AwsTarget;
import crew.aws.DesignExport;
import crew.aws.Plan;
import crew.aws.PlanExecutor;
import crew.aws.PlanStep;
import crew.aws.Planner;
import crew.aws.PreflightCheck;
import crew.aws.PreflightProblem;
import crew.aws.local.LocalAccount;
import crew.aws.local.LocalAwsServer;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.EndpointDesign;
import crew.ui.workspace.CrewPreferences;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The editor's only use of crew.aws: a session for the account the preferences name (profile and region, or the
 * embedded local account as {@code crew aws --local} does), pull, plan rendered as a diff, apply, export profile.
 * Every method blocks; the editor calls them from jobs.
 */
final class AwsActions implements AutoCloseable {

    /** One line of a rendered plan: {@code kind} is '!', '+', '~', '-', ' ' (detail) or '=' (summary). */
    record PlanLine(char kind, String text, boolean resets, boolean createOnly) {
    }

    /** A plan and the account's endpoint it was computed against (null: the plan creates one). */
    record Planned(Plan plan, EndpointDesign current, List<PlanLine> lines) {
        String text() {
            StringBuilder b = new StringBuilder();
            lines.forEach(l -> b.append(l.text()).append('\n'));
            return b.toString();
        }
    }

    /** What an apply did: the endpoint (new after a create), whether every step ran, the report as text. */
    record Applied(String endpointId, boolean succeeded, String text) {
    }

    private final LocalAwsServer server;
    private final AwsSession session;
    private final String description;

    private AwsActions(LocalAwsServer server, AwsSession session, String description) {
        this.server = server;
        this.session = session;
        this.description = description;
    }

    /** What the preferences point at, for the editor's action bar. */
    static String targetDescription() {
        if (Boolean.parseBoolean(CrewPreferences.get(CrewPreferences.AWS_LOCAL, "false"))) {
            return "local account (" + CrewPreferences.localAccountState() + ")";
        }
        String profile = CrewPreferences.get(CrewPreferences.AWS_PROFILE, "").trim();
        String region = CrewPreferences.get(CrewPreferences.AWS_REGION, "").trim();
        return "AWS " + (profile.isEmpty() ? "default credentials" : "profile " + profile) + ", "
                + (region.isEmpty() ? "the profile's region" : region);
    }

    /** Opens a session as the preferences say; the embedded local account is started for it and stopped on close. */
    static AwsActions open() throws IOException {
        String region = CrewPreferences.get(CrewPreferences.AWS_REGION, "").trim();
        if (Boolean.parseBoolean(CrewPreferences.get(CrewPreferences.AWS_LOCAL, "false"))) {
            Path state = CrewPreferences.localAccountState();
            LocalAwsServer server;
            try {
                server = LocalAwsServer.start(LocalAccount.open(state), 0);
            } catch (RuntimeException e) {
                throw new IOException("cannot start the local account (" + state + "): " + e.getMessage(), e);
            }
            try {
                return new AwsActions(server, new AwsSession(AwsTarget.local(server.endpoint(), region.isEmpty() ? null : region)),
                        targetDescription());
            } catch (RuntimeException e) {
                server.close();
                throw new IOException("cannot set up the AWS clients: " + e.getMessage(), e);
            }
        }
        String profile = CrewPreferences.get(CrewPreferences.AWS_PROFILE, "").trim();
        try {
            return new AwsActions(null, new AwsSession(new AwsTarget(profile.isEmpty() ? null : profile, region.isEmpty() ? null : region, null)),
                    targetDescription());
        } catch (RuntimeException e) {
            throw new IOException("cannot set up the AWS clients: " + e.getMessage(), e);
        }
    }

    String description() {
        return description;
    }

    List<ClientVpnEndpoint> endpoints() {
        return new AccountReader(session).endpoints();
    }

    /** The endpoint as a design (settings, target networks, routes, rules). */
    EndpointDesign pull(String endpointId) {
        return new AccountReader(session).design(endpointId);
    }

    /**
     * Plans {@code design} against the endpoint it names (or a new one), with the registered preflight checks. A plan
     * that creates an endpoint says which endpoints the design was already applied to (as {@code crew aws apply}
     * refuses them), so that the confirmation shows it before a second endpoint is made.
     */
    Planned plan(EndpointDesign design) {
        String id = design.endpoint().endpointId();
        AccountReader reader = new AccountReader(session);
        EndpointDesign current = id == null ? null : reader.design(id);
        Plan plan = new Planner(preflightChecks()).plan(design, current);
        List<PlanLine> lines = render(plan, current);
        List<AppliedEndpoints.Found> applied = current == null ? AppliedEndpoints.find(design, null, null, reader.endpoints()) : List.of();
        if (!applied.isEmpty()) {
            lines.add(1, new PlanLine('!', "! " + AppliedEndpoints.describe(applied) + " Applying creates another endpoint; to update that one,"
                    + " pull it (Pull from AWS) and apply.", false, false));
        }
        return new Planned(plan, current, lines);
    }

    /** Applies {@code plan}, one step at a time; a cancel stops after the step that is running (recorded in {@code stateFile}). */
    Applied apply(Plan plan, Path stateFile, IProgressMonitor monitor) throws IOException {
        monitor.beginTask("Applying " + plan.steps().size() + " changes to " + description, plan.steps().size());
        PrintStream progress = new PrintStream(new MonitorStream(monitor), true, StandardCharsets.UTF_8);
        PlanExecutor executor = new PlanExecutor(session, progress);
        if (server != null) {
            executor.waiting(Duration.ofMillis(100), Duration.ofMinutes(5)); // the local account settles at once
        }
        ApplyReport report = executor.apply(plan, stateFile);
        return new Applied(report.endpointId(), report.succeeded(), report.render());
    }

    /** The endpoint's client configuration (.ovpn) as AWS exports it. */
    String exportProfile(String endpointId) {
        return new AccountReader(session).clientConfiguration(endpointId);
    }

    /**
     * The design in {@code format} ({@code crew aws export-template}, {@code export-terraform}); no account is needed.
     *
     * @throws IllegalStateException listing why it gets none ({@link DesignExport#blockers}: AWS rules, the lint, what
     *         the format cannot express)
     */
    static String export(DesignExport format, EndpointDesign design) {
        return format.checkedText(design, preflightChecks());
    }

    /** A message for a failure of any of the above. */
    static String describe(Throwable e) {
        if (e instanceof SdkException s) {
            return AwsErrors.describe(s);
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** The plan as a readable diff: problems and create-only blockers first, then each change, resets flagged. */
    static List<PlanLine> render(Plan plan, EndpointDesign current) {
        List<PlanLine> lines = new ArrayList<>();
        lines.add(new PlanLine('=', "Plan for " + plan.designName() + " against "
                + (plan.endpointId() == null ? "a new endpoint" : plan.endpointId()), false, false));
        for (PreflightProblem p : plan.problems()) {
            lines.add(new PlanLine('!', "! " + p, false, false));
        }
        for (String blocker : plan.blockers()) {
            lines.add(new PlanLine('!', "! CREATE-ONLY " + blocker, false, true));
        }
        for (PlanStep s : plan.steps()) {
            if (s.action() == PlanStep.Action.MODIFY_ENDPOINT && current != null) {
                lines.add(new PlanLine('~', "~ endpoint " + plan.endpointId() + ": " + s.changedFields().size() + " setting"
                        + (s.changedFields().size() == 1 ? "" : "s") + (s.resetsConnections() ? "   [resets client connections]" : ""),
                        s.resetsConnections(), false));
                for (String field : s.changedFields()) {
                    boolean resets = ClientVpnEndpoint.CONNECTION_RESETTING_FIELDS.contains(field);
                    lines.add(new PlanLine(' ', "      " + field + ": " + value(current.endpoint(), field) + " -> " + value(s.endpoint(), field)
                            + (resets ? "   [resets client connections]" : ""), resets, false));
                }
            } else {
                lines.add(new PlanLine(s.action().sign(), s.action().sign() + " " + s.summary()
                        + (s.resetsConnections() ? "   [resets client connections]" : ""), s.resetsConnections(), false));
            }
        }
        long resets = plan.steps().stream().filter(PlanStep::resetsConnections).count();
        if (plan.steps().isEmpty()) {
            lines.add(new PlanLine('=', "No changes: the account matches the design.", false, false));
        } else {
            lines.add(new PlanLine('=', String.format("%d to add, %d to change, %d to remove; %d reset client connections.", plan.count('+'),
                    plan.count('~'), plan.count('-'), resets), false, false));
        }
        if (!plan.canApply()) {
            lines.add(new PlanLine('!', "This plan cannot be applied: fix the findings marked ! first"
                    + (plan.blockers().isEmpty() ? "." : " (create-only settings need a new endpoint)."), false, !plan.blockers().isEmpty()));
        }
        return lines;
    }

    private static String value(ClientVpnEndpoint e, String field) {
        try {
            return String.valueOf(RecordEdit.get(e, field));
        } catch (RuntimeException ex) {
            return "?";
        }
    }

    private static List<PreflightCheck> preflightChecks() {
        List<PreflightCheck> checks = new ArrayList<>();
        Bundle bundle = FrameworkUtil.getBundle(AwsActions.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) {
            return checks;
        }
        try {
            for (ServiceReference<PreflightCheck> ref : context.getServiceReferences(PreflightCheck.class, null)) {
                PreflightCheck check = context.getService(ref);
                if (check != null) {
                    checks.add(check);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return checks;
    }

    @Override
    public void close() {
        session.close();
        if (server != null) {
            server.close();
        }
    }

    /** The executor's progress lines as the job's subtasks; a cancelled job stops at the next line. */
    private static final class MonitorStream extends OutputStream {
        private final IProgressMonitor monitor;
        private final StringBuilder line = new StringBuilder();

        MonitorStream(IProgressMonitor monitor) {
            this.monitor = Objects.requireNonNull(monitor);
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                String text = line.toString().trim();
                line.setLength(0);
                monitor.subTask(text);
                monitor.worked(1);
                if (monitor.isCanceled()) {
                    // after "done <step>": the state file already records it, so the next apply plans the rest
                    throw new OperationCanceledException("apply cancelled after: " + text);
                }
            } else {
                line.append((char) b);
            }
        }
    }
}
