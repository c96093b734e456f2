package crew.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;

/** {@code crew agent install}: the systemd units and the control group. */
@Component(service = CliCommand.class)
@Command(name = "agent install", summary = "install the agent as a systemd service (crew-agent.socket and .service) and create group crew")
public class AgentInstallCommand implements CliCommand {

    @Override
    public String name() {
        return "agent install";
    }

    @Override
    public String summary() {
        return "install the agent as a systemd service (crew-agent.socket and .service) and create group crew";
    }

    @Override
    public String description() {
        return """
                Writes crew-agent.socket (/run/crew/agent.sock, mode 0660, group crew) and crew-agent.service
                (Type=notify, Restart=on-failure but not after exit 3, state in /var/lib/crew) for this product: it
                starts the agent through the product's crew launcher, from its agent configuration. It creates the
                system group crew when it is missing, and, where systemd runs, reloads it and enables the socket. Add users who may
                control tunnels and labs to the group: sudo usermod -aG crew USER. The units ship in the product
                (bundle crew.agent, folder systemd/). --dry-run prints them.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("unit-dir", "DIR", "where to write the units (default /etc/systemd/system)"),
                Option.flag("dry-run", "print the units, change nothing"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(0);
        String socketUnit = unit("crew-agent.socket");
        String serviceUnit = render(unit("crew-agent.service"));
        if (arguments.has("dry-run")) {
            context.out().println("# crew-agent.socket\n" + socketUnit + "\n# crew-agent.service\n" + serviceUnit);
            return ExitCode.OK;
        }
        if (!crew.agent.api.AgentClient.callerIsRoot()) {
            throw new CommandException(ExitCode.UNAVAILABLE, "installing the agent needs root: sudo crew agent install");
        }
        Path dir = arguments.value("unit-dir").map(context::resolve).orElse(Path.of("/etc/systemd/system"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("crew-agent.socket"), socketUnit);
            Files.writeString(dir.resolve("crew-agent.service"), serviceUnit);
            context.out().println("wrote " + dir.resolve("crew-agent.socket") + " and " + dir.resolve("crew-agent.service"));
            if (!Files.isExecutable(Product.current().directory().resolve("crew"))) {
                context.err().println("crew agent install: warning: " + Product.current().directory().resolve("crew")
                        + " is missing: the unit starts the agent through the product's launcher, so install it from a CREW product");
            }
            if (Posix.groupId("crew").isEmpty()) {
                run(context, "groupadd", "--system", "crew");
                context.out().println("created group crew; add users with: sudo usermod -aG crew USER");
            }
            if (Files.isDirectory(Path.of("/run/systemd/system"))) {
                run(context, "systemctl", "daemon-reload");
                run(context, "systemctl", "enable", "--now", "crew-agent.socket");
                context.out().println("crew-agent.socket enabled: the agent starts at the first connection");
            } else {
                context.out().println("systemd does not run here: start the agent with 'sudo crew agent'");
            }
            return ExitCode.OK;
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        }
    }

    private static void run(CommandContext context, String... command) throws CommandException, IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new CommandException(ExitCode.FAILED, String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(ExitCode.FAILED, "interrupted");
        }
    }

    /** A unit as shipped in this bundle (systemd/NAME). */
    static String unit(String name) throws CommandException {
        try (InputStream in = AgentInstallCommand.class.getResourceAsStream("/systemd/" + name)) {
            if (in == null) {
                throw new CommandException(ExitCode.INTERNAL, "the unit " + name + " is missing from bundle crew.agent");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandException(ExitCode.INTERNAL, "reading the unit " + name + ": " + e.getMessage());
        }
    }

    /** The service unit for this product: its launcher script (crew, in the product folder) and the Java running it. */
    static String render(String template) throws CommandException {
        return render(template, Product.current());
    }

    /** The service unit for a product. */
    static String render(String template, Product p) throws CommandException {
        String java = p.java();
        String javaHome = java.endsWith("/bin/java") ? java.substring(0, java.length() - "/bin/java".length()) : "";
        if (javaHome.isEmpty() || javaHome.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\' || c == '%' || c == '$')
                || p.directory().toString().chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\' || c == '%' || c == '$')) {
            throw new CommandException(ExitCode.UNAVAILABLE, "cannot write a unit for the product at " + p.directory() + " run by " + java
                    + ": the unit needs paths without spaces, quotes, backslashes, % or $, and a Java at JAVA_HOME/bin/java");
        }
        return template.replace("@JAVA_HOME@", javaHome).replace("@PRODUCT@", p.directory().toString());
    }
}
