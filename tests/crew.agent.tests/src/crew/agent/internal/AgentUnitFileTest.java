package crew.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import crew.cli.CommandException;

/** The service unit crew agent install writes: through the product's launcher, no restart loop after exit 3. */
class AgentUnitFileTest {

    @Test
    void givenAProduct_whenTheServiceUnitIsRendered_thenItStartsTheAgentThroughTheLauncherAndStopsAfterExit3() throws Exception {
        Product p = new Product(Path.of("/opt/crew"), Optional.empty(), "/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        String unit = AgentInstallCommand.render(AgentInstallCommand.unit("crew-agent.service"), p);
        List<String> lines = unit.lines().filter(l -> !l.startsWith("#")).toList();
        assertTrue(lines.contains("ExecStart=/opt/crew/crew agent"), unit);
        assertTrue(lines.contains("Environment=CREW_HOME=/var/lib/crew") && lines.contains("Environment=JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64"), unit);
        assertTrue(lines.contains("RestartPreventExitStatus=3"), unit);
        assertTrue(lines.contains("Restart=on-failure") && lines.contains("Type=notify") && lines.contains("NotifyAccess=main"), unit);
        assertEquals(1, lines.stream().filter(l -> l.startsWith("ExecStart=")).count(), unit);
        assertTrue(!unit.contains("@") && !unit.contains("-configuration ") && !unit.contains("sharedConfiguration"), unit);
    }

    @Test
    void givenAProductPathWithASpace_whenTheUnitIsRendered_thenItIsRefusedNamingThePath() {
        Product p = new Product(Path.of("/opt/my crew"), Optional.empty(), "/usr/bin/java");
        CommandException e = assertThrows(CommandException.class, () -> AgentInstallCommand.render(AgentInstallCommand.unit("crew-agent.service"), p));
        assertTrue(e.getMessage().contains("/opt/my crew"), e.getMessage());
    }
}
