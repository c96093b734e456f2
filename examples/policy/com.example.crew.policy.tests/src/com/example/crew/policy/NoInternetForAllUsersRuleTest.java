package com.example.crew.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import crew.cli.CommandContext;
import crew.cli.CommandLine;
import crew.cli.CommandRegistry;
import crew.cli.ExitCode;
import crew.design.LintFinding;
import crew.model.endpoint.AuthorizationRule;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.Cidr;

class NoInternetForAllUsersRuleTest {

    private final NoInternetForAllUsersRule rule = new NoInternetForAllUsersRule();

    private static EndpointDesign design(AuthorizationRule... rules) {
        return new EndpointDesign("test", null, List.of(), List.of(), List.of(rules));
    }

    @Test
    void givenTheWholeAddressSpaceForAllUsers_whenChecked_thenOneErrorPerRule() {
        List<LintFinding> findings = rule.check(design(
                AuthorizationRule.group(Cidr.parse("0.0.0.0/0"), "internet-users", "internet for a group"),
                AuthorizationRule.allUsers(Cidr.parse("10.0.0.0/16"), "the VPC"),
                AuthorizationRule.allUsers(Cidr.parse("0.0.0.0/0"), "internet for everyone"),
                AuthorizationRule.allUsers(Cidr.parse("::/0"), "IPv6 internet for everyone")));
        assertEquals(2, findings.size(), findings.toString());
        assertEquals("EXAMPLE001", findings.get(0).ruleId());
        assertEquals("authorizationRules[2] 0.0.0.0/0 (all users)", findings.get(0).element());
        assertTrue(findings.get(0).message().contains("authorize a group"), findings.get(0).message());
        assertEquals("authorizationRules[3] ::/0 (all users)", findings.get(1).element());
    }

    @Test
    void givenGroupsOnly_whenChecked_thenClean() {
        assertTrue(rule.check(design(AuthorizationRule.group(Cidr.parse("0.0.0.0/0"), "g", null))).isEmpty());
    }

    private static String crew(String... args) throws Exception {
        BundleContext context = FrameworkUtil.getBundle(NoInternetForAllUsersRuleTest.class).getBundleContext();
        ServiceTracker<CommandRegistry, CommandRegistry> t = new ServiceTracker<>(context, CommandRegistry.class, null);
        t.open();
        CommandRegistry registry = t.waitForService(10_000);
        assertNotNull(registry, "no CommandRegistry: are crew.cli and Felix SCR started?");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = new CommandLine(registry).run(List.of(args),
                new CommandContext(ps, ps, new ByteArrayInputStream(new byte[0]), Path.of("."), false));
        t.close();
        return code + "\n" + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void givenTheBundleInEquinox_whenCrewLintRuns_thenItListsAndAppliesTheRule() throws Exception {
        String rules = crew("lint", "--rules");
        assertTrue(rules.startsWith(ExitCode.OK + "\n"), rules);
        assertTrue(rules.contains("EXAMPLE001") && rules.contains("no-internet-for-all-users"), rules);
        // CREW's full-tunnel example design (bundle crew.examples) authorizes 0.0.0.0/0 for all users
        Bundle examples = Arrays.stream(FrameworkUtil.getBundle(NoInternetForAllUsersRuleTest.class).getBundleContext()
                .getBundles()).filter(b -> b.getSymbolicName().equals("crew.examples")).findFirst().orElseThrow();
        Path design = Files.createTempFile("full-tunnel", ".crew.json");
        try (InputStream in = examples.getEntry("workspace/designs/full-tunnel.crew.json").openStream()) {
            Files.write(design, in.readAllBytes());
        }
        String lint = crew("lint", design.toString());
        Files.delete(design);
        assertTrue(lint.startsWith(ExitCode.FINDINGS + "\n"), lint);
        assertTrue(lint.contains("EXAMPLE001"), lint);
    }
}
