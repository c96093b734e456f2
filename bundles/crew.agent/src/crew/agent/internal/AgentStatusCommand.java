package crew.agent.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentException;
import crew.agent.api.AgentProtocol;
import crew.agent.api.AgentTransport;
import crew.agent.api.AgentUnavailableException;
import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;

/** {@code crew agent status}: whether an agent runs, what this user may do with it, and what it runs. */
@Component(service = CliCommand.class)
@Command(name = "agent status", summary = "whether the agent runs, this user's role, and its sessions and labs")
public class AgentStatusCommand implements CliCommand {

    @Override
    public String name() {
        return "agent status";
    }

    @Override
    public String summary() {
        return "whether the agent runs, this user's role, and its sessions and labs";
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        arguments.expectAtMostPositionals(0);
        AgentTransport transport = AgentTransport.system();
        try (AgentClient c = AgentClient.connect(transport, "crew agent status")) {
            JsonElement status = c.call(AgentProtocol.STATUS, new JsonObject());
            if (context.json()) {
                JsonObject o = new JsonObject();
                o.add("hello", c.hello());
                o.add("status", status);
                context.out().println(o);
                return ExitCode.OK;
            }
            JsonObject h = c.hello();
            context.out().println("agent pid " + h.get("agentPid").getAsLong() + " at " + transport.address() + ", protocol " + h.get("protocol").getAsInt());
            context.out().println("you: " + h.get("user").getAsString() + ", role " + h.get("role").getAsString() + " (" + h.get("rule").getAsString() + ")");
            JsonObject s = status.getAsJsonObject();
            s.getAsJsonArray("sessions").forEach(e -> {
                JsonObject o = e.getAsJsonObject();
                context.out().println("session " + o.get("sessionId").getAsString() + ": " + o.get("state").getAsString().toLowerCase()
                        + (o.get("namespace").getAsString().isEmpty() ? "" : " in " + o.get("namespace").getAsString()));
            });
            s.getAsJsonArray("labs").forEach(e -> context.out().println("lab " + e.getAsJsonObject().get("id").getAsString()));
            s.getAsJsonObject("agent").getAsJsonArray("problems").forEach(p -> context.out().println("problem: " + p.getAsString()));
            return ExitCode.OK;
        } catch (AgentUnavailableException e) {
            throw new CommandException(ExitCode.UNAVAILABLE, e.getMessage() + (e.notRunning() ? "; " + AgentUnavailableException.HOW_TO_START : ""));
        } catch (AgentException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage());
        } catch (IOException e) {
            throw new CommandException(ExitCode.FAILED, e.getMessage(), e);
        }
    }
}
