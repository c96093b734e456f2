package crew.design.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.design.device.DevicePrediction;
import crew.design.trace.RouteTrace;
import crew.design.trace.TraceResult;
import crew.model.net.IpAddress;

/** {@code crew trace}: one destination from one user, step by step. */
@Component(service = CliCommand.class)
@Command(name = "trace", summary = "follow one destination: device route, tunnel, endpoint route and subnet, authorization, verdict")
public final class TraceCommand implements CliCommand {

    @Override
    public String name() {
        return "trace";
    }

    @Override
    public String summary() {
        return "follow one destination: device route, tunnel, endpoint route and subnet, authorization, verdict";
    }

    @Override
    public String synopsis() {
        return "DESTINATION [DESIGN.crew.json | AWS-CLI-DIR [--endpoint ID]] [--example NAME] [--group GROUP]... [--device FILE|NAME] [options]";
    }

    @Override
    public String description() {
        return "Exit 0: reachable through the tunnel; 1: not (outside the tunnel, no route, denied); 2: bad input.";
    }

    @Override
    public List<Option> options() {
        List<Option> o = new ArrayList<>(PredictCommand.PREDICTION_OPTIONS);
        o.add(Option.repeatable("group", "GROUP", "a group the user belongs to (repeatable)"));
        return o;
    }

    @Override
    public int run(CommandContext ctx, Arguments args) throws CommandException {
        args.expectAtMostPositionals(2);
        IpAddress dest;
        try {
            dest = IpAddress.parse(args.positional(0, "DESTINATION (an IP address)"));
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput("DESTINATION: " + e.getMessage());
        }
        DesignInputs.Predicted predicted = DesignInputs.predicted(ctx, args, 1);
        DevicePrediction p = predicted.prediction();
        TraceResult t = RouteTrace.trace(DesignInputs.design(ctx, args, 1), p, DesignInputs.tunnel(args), dest, new HashSet<>(args.values("group")));
        if (ctx.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("destination", t.destination());
            m.put("verdict", t.verdict().name());
            m.put("viaTunnel", t.viaTunnel());
            m.put("deviceRoute", t.deviceRoute() == null ? null : t.deviceRoute().toString());
            m.put("endpointRoutes", t.endpointRoutes().stream().map(r -> r.destinationCidr() + " -> " + r.targetSubnet()).toList());
            m.put("authorization", t.authorization() == null ? null : t.authorization().targetNetworkCidr().toString());
            m.put("steps", t.steps());
            ctx.printJson(m);
        } else {
            predicted.note(ctx);
            for (int i = 0; i < t.steps().size(); i++) {
                ctx.out().println((i + 1) + ". " + t.steps().get(i));
            }
        }
        return t.verdict() == TraceResult.Verdict.REACHABLE ? ExitCode.OK : ExitCode.FINDINGS;
    }
}
