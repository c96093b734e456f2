package crew.ui.endpoint.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.aws.AccountReader;
import crew.aws.ApplyReport;
import crew.aws.AwsSession;
import crew.aws.AwsTarget;
import crew.aws.CertificateImporter;
import crew.aws.DesignExport;
import crew.aws.Plan;
import crew.aws.PlanExecutor;
import crew.aws.Planner;
import crew.aws.local.LocalAccount;
import crew.aws.local.LocalAwsServer;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.CommandContext;
import crew.cli.CommandRegistry;
import crew.design.LintFinding;
import crew.model.endpoint.AuthenticationOption;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.ClientVpnRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.endpoint.TargetNetwork;
import crew.model.io.WorkspaceFile;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.pki.CertificateAuthority;
import crew.pki.IssuedCertificate;
import crew.testing.Prerequisites;
import crew.testing.Screenshots;
import crew.testing.UiWait;
import crew.ui.workspace.CrewPreferences;
import crew.ui.workspace.DesignFile;
import crew.ui.workspace.WorkbenchEditors;

/**
 * Real SWT under Xvfb: the editor saves the workspace format that {@code crew lint} reads (keeping what it does not
 * show), marks lint findings on their fields as the user types (the same findings as {@code crew lint}), and pulls,
 * plans and applies through crew.aws against the embedded local account.
 */
class EditorLintSaveAwsSwtTest {
    /** How long a lint marker may take to appear after typing (debounce + the rules, on a loaded 2-core machine). */
    static final long LINT_WAIT_MS = 3000;

    private Display display;
    private Shell shell;

    @BeforeEach
    void openShell() {
        Prerequisites.requireDisplay();
        display = Display.getDefault();
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        shell.setSize(1250, 900);
    }

    @AfterEach
    void closeShell() throws Exception {
        if (shell != null) {
            shell.dispose();
        }
        CrewPreferences.put(CrewPreferences.AWS_LOCAL, "false");
        CrewPreferences.put(CrewPreferences.AWS_LOCAL_STATE, "");
    }

    private EndpointEditorPart open(Path file) {
        EndpointEditorPart editor = new EndpointEditorPart();
        MPart part = MBasicFactory.INSTANCE.createPart();
        part.getPersistedState().put(WorkbenchEditors.FILE, file.toString());
        editor.part = part;
        editor.createControls(shell);
        shell.open();
        UiWait.until(display, () -> editor.endpoint() != null, 5000, "the design is read and shown");
        return editor;
    }

    private static Path example(String name) {
        return Path.of(System.getProperty("crew.examples"), "designs", name + WorkspaceFile.SUFFIX);
    }

    // ---- crew lint, as the headless command runs it -------------------------------------------------------------

    private record Lint(int code, JsonObject json) {
    }

    private static Lint crewLint(Path file) throws Exception {
        BundleContext context = FrameworkUtil.getBundle(EditorLintSaveAwsSwtTest.class).getBundleContext();
        ServiceTracker<CommandRegistry, CommandRegistry> tracker = new ServiceTracker<>(context, CommandRegistry.class, null);
        tracker.open();
        try {
            CommandRegistry registry = tracker.waitForService(10_000);
            assertNotNull(registry, "crew.cli's command registry");
            CliCommand lint = registry.find(List.of("lint")).orElseThrow(() -> new AssertionError("no lint command"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                    new ByteArrayInputStream(new byte[0]), file.getParent(), true);
            int code = lint.run(ctx, Arguments.parse(List.of(file.toString()), lint.options()));
            return new Lint(code, JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject());
        } finally {
            tracker.close();
        }
    }

    private static List<String> lines(JsonArray findings) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : findings) {
            JsonObject f = e.getAsJsonObject();
            out.add(f.get("severity").getAsString() + " " + f.get("ruleId").getAsString() + " " + f.get("element").getAsString() + ": "
                    + f.get("message").getAsString());
        }
        return out;
    }

    private static List<String> lines(List<LintFinding> findings) {
        return findings.stream().map(LintFinding::toString).toList();
    }

    private void waitForLint(EndpointEditorPart editor, String what) {
        UiWait.until(display, editor::lintCurrent, LINT_WAIT_MS, "lint of the current design: " + what);
    }

    // ---- 1. save in the workspace format -----------------------------------------------------------------------

    @Test
    void givenAWorkspaceFileWithFieldsTheEditorDoesNotShow_whenEditedAndSaved_thenWorkspaceFileAndCrewLintReadItAndNothingIsLost(
            @TempDir Path folder) throws Exception {
        // the example, plus what AWS prints and CREW does not model
        JsonObject doc = JsonParser.parseString(Files.readString(example("split-tunnel"))).getAsJsonObject();
        JsonObject e = doc.getAsJsonObject("ClientVpnEndpoint");
        e.addProperty("SelfServicePortalUrl", "https://self-service.clientvpn.amazonaws.com/endpoints/cvpn-endpoint-0a1b2c3d4e5f60718");
        e.addProperty("DeletionTime", "");
        e.getAsJsonObject("Status").addProperty("Message", "waiting for an association");
        e.getAsJsonObject("ClientConnectOptions").add("Status", JsonParser.parseString("{\"Code\": \"applied\"}"));
        doc.getAsJsonArray("Routes").get(0).getAsJsonObject().add("Status", JsonParser.parseString("{\"Code\": \"active\", \"Message\": \"ok\"}"));
        Path file = folder.resolve("split-tunnel" + WorkspaceFile.SUFFIX);
        Files.writeString(file, doc.toString());
        EndpointDesign before = WorkspaceFile.read(file);

        EndpointEditorPart editor = open(file);
        ((Text) editor.control("description")).setText("corp split (edited)");
        ((Text) editor.control("vpnPort")).setText("1194");
        ((Text) editor.control("clientLoginBannerOptions.bannerText")).setText("");
        Button cre = (Button) editor.control("clientRouteEnforcement");
        cre.setSelection(false);
        cre.notifyListeners(SWT.Selection, new Event());
        editor.save();
        assertFalse(editor.isDirty());

        String text = Files.readString(file);
        assertTrue(text.contains("\"Format\": \"crew-design/1\""), text);
        EndpointDesign saved = WorkspaceFile.read(file);
        assertEquals("corp split (edited)", saved.endpoint().description());
        assertEquals(1194, saved.endpoint().vpnPort());
        assertFalse(saved.endpoint().clientRouteEnforcement());
        assertEquals(null, saved.endpoint().clientLoginBannerOptions().bannerText(), "a cleared field is cleared in the file");
        assertEquals(before.routes(), saved.routes());
        assertEquals(before.targetNetworks(), saved.targetNetworks());
        assertEquals(before.authorizationRules(), saved.authorizationRules());
        assertEquals(before.endpoint().authenticationOptions(), saved.endpoint().authenticationOptions());
        assertEquals(before.name(), saved.name());

        // what the model does not hold is still there
        JsonObject after = JsonParser.parseString(text).getAsJsonObject();
        JsonObject ae = after.getAsJsonObject("ClientVpnEndpoint");
        assertEquals("https://self-service.clientvpn.amazonaws.com/endpoints/cvpn-endpoint-0a1b2c3d4e5f60718", ae.get("SelfServicePortalUrl").getAsString());
        assertTrue(ae.has("DeletionTime"));
        assertEquals("waiting for an association", ae.getAsJsonObject("Status").get("Message").getAsString());
        assertEquals("applied", ae.getAsJsonObject("ClientConnectOptions").getAsJsonObject("Status").get("Code").getAsString());
        assertEquals("ok", after.getAsJsonArray("Routes").get(0).getAsJsonObject().getAsJsonObject("Status").get("Message").getAsString());
        assertFalse(ae.getAsJsonObject("ClientLoginBannerOptions").has("BannerText"));

        // the headless command reads what the editor wrote
        Lint lint = crewLint(file);
        assertTrue(lint.code() == 0 || lint.code() == 1, "crew lint read the file: exit " + lint.code() + " " + lint.json());
        assertEquals(saved.name(), lint.json().get("design").getAsString());

        // a file in the interim form of earlier versions opens, and is saved in the workspace format
        Path old = folder.resolve("old.json");
        Files.writeString(old, "{\"name\": \"old\", \"endpoint\": {\"description\": \"old\", \"clientCidrBlock\": \"10.100.0.0/22\", \"vpnPort\": 443,"
                + " \"sessionTimeoutHours\": 24, \"serverCertificateArn\": \"arn:aws:acm:eu-west-1:123456789012:certificate/server\"}}");
        shell.dispose();
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        shell.setSize(1250, 900);
        EndpointEditorPart second = open(old);
        ((Text) second.control("description")).setText("old, now in the workspace format");
        second.save();
        assertTrue(Files.readString(old).contains("\"Format\": \"crew-design/1\""));
        assertEquals("old, now in the workspace format", WorkspaceFile.read(old).endpoint().description());
        assertEquals(Cidr.parse("10.100.0.0/22"), DesignFile.read(old).endpoint().clientCidrBlock());
    }

    // ---- 2. live lint markers ----------------------------------------------------------------------------------

    @Test
    void givenTheSplitTunnelExample_whenBadValuesAreTyped_thenMarkersWithTheRuleAppearAndGoWhenFixed_andFindingsEqualCrewLint(
            @TempDir Path folder) throws Exception {
        Path file = folder.resolve("split-tunnel" + WorkspaceFile.SUFFIX);
        Files.copy(example("split-tunnel"), file);
        EndpointEditorPart editor = open(file);
        waitForLint(editor, "the example as opened");
        Lint asOpened = crewLint(file);
        assertEquals(lines(asOpened.json().getAsJsonArray("findings")), lines(editor.lintFindings()), "the editor shows crew lint's findings");
        assertTrue(editor.lintRuleCount() >= asOpened.json().get("rules").getAsInt(),
                "the editor runs the rules crew lint runs: " + editor.lintRuleCount() + " vs " + asOpened.json().get("rules"));
        assertFalse(editor.markerShown("vpnPort"));

        // a VPN port AWS does not accept: CVPN021 on the port field, with the rule's explanation
        ((Text) editor.control("vpnPort")).setText("80");
        long ms = UiWait.until(display, () -> editor.markerShown("vpnPort") && editor.markerText("vpnPort").contains("CVPN021"), LINT_WAIT_MS,
                "a CVPN021 marker on the VPN port");
        System.out.println("LINT marker after typing: " + ms + " ms");
        assertTrue(editor.markerText("vpnPort").contains("port 80; AWS accepts 443 or 1194"), editor.markerText("vpnPort"));
        assertTrue(editor.markerText("vpnPort").contains("vpn-port: The VPN port is 443 or 1194."), editor.markerText("vpnPort"));
        assertNotNull(editor.control("vpnPort").getBackground());
        assertEquals(255, editor.control("vpnPort").getBackground().getRed(), "the field is tinted");

        // a client CIDR that overlaps the VPC's subnets: the finding names a target network, and the client CIDR field
        ((Text) editor.control("clientCidrBlock")).setText("172.16.0.0/12");
        UiWait.until(display, () -> editor.markerShown("clientCidrBlock") && editor.markerText("clientCidrBlock").contains("CVPN002"),
                LINT_WAIT_MS, "a CVPN002 marker on the client CIDR");
        waitForLint(editor, "after the two bad values");
        EndpointEditorPart.Finding port = editor.findings().stream().filter(f -> f.ruleId().equals("CVPN021")).findFirst().orElseThrow();
        assertEquals("VPN port", port.where());
        assertTrue(port.explanation().contains("443 or 1194"));
        assertTrue(editor.problems().rows().stream().anyMatch(r -> r.cells().get(1).equals("CVPN002") && r.cells().get(2).equals("Client IPv4 CIDR")),
                "the findings list names the field");
        Screenshots.save(shell, "endpoint-editor");

        // Enter on a finding focuses its field
        int row = -1;
        for (int i = 0; i < editor.problems().table().getItemCount(); i++) {
            if (editor.problems().table().getItem(i).getText(1).equals("CVPN021")) {
                row = i;
            }
        }
        assertTrue(row >= 0);
        editor.problems().table().setSelection(row);
        editor.problems().table().notifyListeners(SWT.DefaultSelection, new Event());
        UiWait.drain(display);
        if (display.getFocusControl() != null) {
            assertEquals(editor.control("vpnPort"), display.getFocusControl(), "the VPN port field has the focus");
        }

        // the same findings as crew lint for the same file
        editor.save();
        Lint saved = crewLint(file);
        assertEquals(lines(saved.json().getAsJsonArray("findings")), lines(editor.lintFindings()));
        assertEquals(1, saved.code(), "crew lint reports the errors");

        // fixed: the markers go
        ((Text) editor.control("vpnPort")).setText("443");
        ((Text) editor.control("clientCidrBlock")).setText("10.200.0.0/22");
        UiWait.until(display, () -> !editor.markerShown("vpnPort") && !editor.markerShown("clientCidrBlock") && editor.lintCurrent(), LINT_WAIT_MS,
                "the markers go once the values are fixed");
        assertTrue(editor.findings().stream().noneMatch(f -> f.ruleId().equals("CVPN021") || f.ruleId().equals("CVPN002")));
    }

    @Test
    void givenTheSplitTunnelExampleEdited_whenExportedToCloudFormation_thenTheFileIsTheTemplateOfTheEditedDesign_andLintErrorsStopIt(
            @TempDir Path folder) throws Exception {
        Path file = folder.resolve("split-tunnel" + WorkspaceFile.SUFFIX);
        Files.copy(example("split-tunnel"), file);
        EndpointEditorPart editor = open(file);
        waitForLint(editor, "the example as opened");
        ((Text) editor.control("vpnPort")).setText("1194");
        UiWait.until(display, () -> editor.isDirty() && editor.lintCurrent(), LINT_WAIT_MS, "the edit is taken");

        // unsaved edits are exported: the template is the design as the editor has it
        editor.exportDesign(DesignExport.CLOUDFORMATION);
        Path target = editor.derivedFile("cloudformation", ".template.json");
        UiWait.until(display, () -> editor.lastAwsResult().startsWith("Wrote the CloudFormation template"), 30_000,
                "the template is written: " + editor.lastAwsResult());
        assertTrue(target.toString().endsWith("cloudformation/split-tunnel.template.json"), target.toString());
        assertEquals(crew.aws.CloudFormationTemplate.text(editor.design()), Files.readString(target));
        JsonObject t = JsonParser.parseString(Files.readString(target)).getAsJsonObject();
        JsonObject endpoint = t.getAsJsonObject("Resources").getAsJsonObject("Endpoint").getAsJsonObject("Properties");
        assertEquals(1194, endpoint.get("VpnPort").getAsInt(), "the unsaved port is in the template");
        assertTrue(endpoint.getAsJsonObject("ClientRouteEnforcementOptions").get("Enforced").getAsBoolean(), "CRE is in the template");
        assertTrue(editor.planText().contains("aws cloudformation deploy --template-file"), editor.planText());
        Screenshots.save(shell, "endpoint-editor-cloudformation");

        // a value the lint rejects: no template, the finding is named, the file written before stays as it was
        String before = Files.readString(target);
        ((Text) editor.control("vpnPort")).setText("80");
        UiWait.until(display, () -> editor.markerShown("vpnPort"), LINT_WAIT_MS, "the CVPN021 marker");
        editor.exportDesign(DesignExport.CLOUDFORMATION);
        UiWait.until(display, () -> editor.lastAwsResult().startsWith("No template"), 30_000, "the export is refused: " + editor.lastAwsResult());
        assertTrue(editor.lastAwsResult().contains("CVPN021"), editor.lastAwsResult());
        assertEquals(before, Files.readString(target));
    }

    @Test
    void givenTheSplitTunnelExampleEdited_whenExportedToTerraform_thenTheFileIsTheConfigurationOfTheEditedDesign_andLintErrorsStopIt(
            @TempDir Path folder) throws Exception {
        Path file = folder.resolve("split-tunnel" + WorkspaceFile.SUFFIX);
        Files.copy(example("split-tunnel"), file);
        EndpointEditorPart editor = open(file);
        waitForLint(editor, "the example as opened");
        ((Text) editor.control("vpnPort")).setText("1194");
        UiWait.until(display, () -> editor.isDirty() && editor.lintCurrent(), LINT_WAIT_MS, "the edit is taken");
        editor.exportDesign(DesignExport.TERRAFORM);
        Path target = editor.derivedFile("terraform", ".tf.json");
        UiWait.until(display, () -> editor.lastAwsResult().startsWith("Wrote the Terraform configuration"), 30_000,
                "the configuration is written: " + editor.lastAwsResult());
        assertTrue(target.toString().endsWith("terraform/split-tunnel.tf.json"), target.toString());
        assertEquals(crew.aws.TerraformConfiguration.text(editor.design()), Files.readString(target));
        JsonObject endpoint = JsonParser.parseString(Files.readString(target)).getAsJsonObject().getAsJsonObject("resource")
                .getAsJsonObject("aws_ec2_client_vpn_endpoint").getAsJsonObject("endpoint");
        assertEquals(1194, endpoint.get("vpn_port").getAsInt(), "the unsaved port is in the configuration");
        assertTrue(endpoint.getAsJsonObject("client_route_enforcement_options").get("enforced").getAsBoolean(), "CRE is in the configuration");
        assertTrue(editor.planText().contains("terraform init && terraform plan"), editor.planText());
        Screenshots.save(shell, "endpoint-editor-terraform");
        String before = Files.readString(target);
        ((Text) editor.control("vpnPort")).setText("80");
        UiWait.until(display, () -> editor.markerShown("vpnPort"), LINT_WAIT_MS, "the CVPN021 marker");
        editor.exportDesign(DesignExport.TERRAFORM);
        UiWait.until(display, () -> editor.lastAwsResult().startsWith("No Terraform"), 30_000, "the export is refused: " + editor.lastAwsResult());
        assertTrue(editor.lastAwsResult().contains("CVPN021"), editor.lastAwsResult());
        assertEquals(before, Files.readString(target));
    }

    // ---- 3. AWS actions against the embedded local account -------------------------------------------------------

    private static String importPem(AwsSession session, Path dir, String name, IssuedCertificate cert, CertificateAuthority ca) throws Exception {
        Path certFile = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(certFile, CertificateAuthority.pem(cert.certificate()));
        Files.writeString(keyFile, CertificateAuthority.pem(cert.privateKey(), null));
        Path chain = null;
        if (ca != null) {
            chain = dir.resolve("chain.crt");
            Files.writeString(chain, CertificateAuthority.pem(ca.certificate()));
        }
        return new CertificateImporter(session).importPem(certFile, keyFile, chain);
    }

    /** Creates an endpoint in the local account stored in {@code state}; returns the design as applied, with its id. */
    private static EndpointDesign createEndpoint(Path state, Path dir) throws Exception {
        try (LocalAwsServer server = LocalAwsServer.start(LocalAccount.open(state), 0);
                AwsSession session = new AwsSession(AwsTarget.local(server.endpoint(), "us-east-1"))) {
            CertificateAuthority ca = CertificateAuthority.create("crew test ca", Duration.ofDays(2));
            String caArn = importPem(session, dir, "ca", new IssuedCertificate(ca.certificate(), ca.privateKey()), null);
            String serverArn = importPem(session, dir, "server", ca.issueServer("vpn.crew.test", Duration.ofDays(2)), ca);
            String vpc = "vpc-0local00000000001";
            ClientVpnEndpoint e = new ClientVpnEndpoint(null, "corp", null, null, null, Cidr.parse("172.16.0.0/22"), serverArn,
                    List.of(AuthenticationOption.certificate(caArn)), null, List.of(IpAddress.parse("10.0.0.2")), null, 443, true, null, vpc, false,
                    null, 24, null, true, true, null, null, null, Map.of("Name", "corp"));
            List<TargetNetwork> targets = List.of(new TargetNetwork(null, "subnet-0local0000000001a", vpc, null, null, null, 0),
                    new TargetNetwork(null, "subnet-0local0000000001b", vpc, null, null, null, 0));
            List<ClientVpnRoute> routes = List.of(new ClientVpnRoute(Cidr.parse("192.168.10.0/24"), "subnet-0local0000000001a", null, null, "on-prem", null));
            List<AuthorizationRule> rules = List.of(AuthorizationRule.allUsers(Cidr.parse("192.168.10.0/24"), "on-prem"),
                    AuthorizationRule.allUsers(Cidr.parse("10.0.0.0/16"), "vpc"));
            EndpointDesign design = new EndpointDesign("corp", e, targets, routes, rules);
            Plan plan = new Planner().plan(design, (EndpointDesign) null);
            ApplyReport report = new PlanExecutor(session, new PrintStream(new ByteArrayOutputStream()))
                    .waiting(Duration.ofMillis(10), Duration.ofSeconds(30)).apply(plan, dir.resolve("setup.apply-state"));
            assertTrue(report.succeeded(), report.render());
            return new AccountReader(session).design(report.endpointId());
        }
    }

    private void waitForAws(EndpointEditorPart editor, String what) {
        UiWait.until(display, () -> !editor.awsBusy(), 60_000, what);
    }

    @Test
    void givenTheLocalAccount_whenPulledChangedPlannedAndApplied_thenThePlanShowsTheChangeAndThenNoChanges(@TempDir Path folder) throws Exception {
        Path state = folder.resolve("aws-local.json");
        EndpointDesign inAccount = createEndpoint(state, folder);
        String id = inAccount.endpoint().endpointId();
        CrewPreferences.put(CrewPreferences.AWS_LOCAL, "true");
        CrewPreferences.put(CrewPreferences.AWS_LOCAL_STATE, state.toString());

        // a design that names the endpoint but holds nothing else of it yet
        ClientVpnEndpoint stub = RecordEdit.with(RecordEdit.with(inAccount.endpoint(), "description", "stale"), "vpnPort", 1194);
        Path file = folder.resolve("corp" + WorkspaceFile.SUFFIX);
        DesignFile.write(file, new EndpointDesign("corp design", stub, List.of(), List.of(), List.of()));
        EndpointEditorPart editor = open(file);
        assertTrue(editor.planText().startsWith("Plan:"), editor.planText());

        // pull fills the editor
        assertEquals(6, editor.enabledAwsActions().size(), "crew.aws is installed: every action is offered");
        editor.pullFromAws();
        assertTrue(editor.enabledAwsActions().isEmpty(), "one AWS job at a time");
        waitForAws(editor, "the pull");
        assertTrue(editor.lastAwsResult().startsWith("Pulled " + id), editor.lastAwsResult());
        assertEquals("corp", ((Text) editor.control("description")).getText());
        assertEquals("443", ((Text) editor.control("vpnPort")).getText());
        assertEquals(2, editor.design().targetNetworks().size());
        assertEquals("corp design", editor.design().name(), "the design keeps its name");
        assertTrue(editor.isDirty());

        // nothing to change right after the pull
        editor.plan();
        waitForAws(editor, "the first plan");
        assertTrue(editor.planText().contains("No changes: the account matches the design."), editor.planText());

        // a change that resets connections, and a create-only one
        ((Text) editor.control("vpnPort")).setText("1194");
        ((Text) editor.control("clientCidrBlock")).setText("172.16.4.0/22");
        editor.plan();
        waitForAws(editor, "the plan with changes");
        String plan = editor.planText();
        assertTrue(plan.contains("~ endpoint " + id), plan);
        assertTrue(plan.contains("vpnPort: 443 -> 1194   [resets client connections]"), plan);
        assertTrue(plan.contains("CREATE-ONLY clientCidrBlock"), plan);
        assertTrue(plan.contains("cannot be applied"), plan);
        assertEquals(List.of("Pull from AWS", "Plan", "Apply", "Export client profile", EndpointEditorPart.EXPORT_TEMPLATE,
                EndpointEditorPart.EXPORT_TERRAFORM), editor.enabledAwsActions(), "buttons usable again");
        Screenshots.save(shell, "endpoint-editor-plan");

        // without the create-only change it applies (after confirmation), and then nothing is left
        editor.undo();
        assertEquals(Cidr.parse("172.16.0.0/22"), editor.endpoint().clientCidrBlock());
        List<String> asked = new ArrayList<>();
        editor.confirmApply = text -> {
            asked.add(text);
            return true;
        };
        editor.apply();
        UiWait.until(display, () -> !editor.awsBusy() && editor.planText().contains("No changes: the account matches the design."), 90_000,
                "apply, then a plan with no changes: " + editor.planText());
        assertEquals(1, asked.size(), "apply asked once");
        assertTrue(asked.get(0).contains("vpnPort: 443 -> 1194"), asked.get(0));
        editor.plan();
        waitForAws(editor, "the plan after apply");
        assertTrue(editor.planText().contains("No changes: the account matches the design."), editor.planText());

        // the account has the change
        try (LocalAwsServer server = LocalAwsServer.start(LocalAccount.open(state), 0);
                AwsSession session = new AwsSession(AwsTarget.local(server.endpoint(), "us-east-1"))) {
            assertEquals(1194, new AccountReader(session).endpoint(id).vpnPort());
        }

        // export profile into the workspace
        editor.exportProfile();
        waitForAws(editor, "the export");
        Path profile = editor.profileFile();
        assertTrue(Files.isRegularFile(profile), editor.lastAwsResult());
        assertTrue(Files.readString(profile).contains("remote"), Files.readString(profile));
        assertTrue(profile.toString().endsWith("profiles/corp.ovpn"), profile.toString());
    }

    @Test
    void givenAnEndpointMadeFromTheDesign_whenTheDesignWithoutItsIdIsPlannedAndApplied_thenThePlanAndTheConfirmationNameThatEndpoint(
            @TempDir Path folder) throws Exception {
        Path state = folder.resolve("aws-local.json");
        EndpointDesign inAccount = createEndpoint(state, folder);
        String id = inAccount.endpoint().endpointId();
        CrewPreferences.put(CrewPreferences.AWS_LOCAL, "true");
        CrewPreferences.put(CrewPreferences.AWS_LOCAL_STATE, state.toString());
        // the same design again, as a file that never learnt its endpoint's id (Name tag "corp")
        Path file = folder.resolve("corp-again" + WorkspaceFile.SUFFIX);
        DesignFile.write(file, new EndpointDesign("corp", inAccount.endpoint().withEndpointId(null), inAccount.targetNetworks(),
                inAccount.routes(), inAccount.authorizationRules()));
        EndpointEditorPart editor = open(file);
        editor.plan();
        waitForAws(editor, "the plan of a new endpoint");
        String plan = editor.planText();
        assertTrue(plan.contains("+ endpoint corp"), plan);
        assertTrue(plan.contains("this design was already applied: the account has endpoint " + id + " (Name tag \"corp\")"), plan);
        UiWait.drain(display);
        Screenshots.save(shell, "endpoint-editor-plan-duplicate");
        List<String> asked = new ArrayList<>();
        editor.confirmApply = text -> {
            asked.add(text);
            return false;
        };
        editor.apply();
        UiWait.until(display, () -> !editor.awsBusy() && !asked.isEmpty(), 60_000, "the confirmation");
        assertTrue(asked.get(0).contains("already applied") && asked.get(0).contains(id), asked.get(0));
    }
}
