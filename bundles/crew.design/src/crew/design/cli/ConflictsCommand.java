package crew.design.cli;

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

/** {@code crew conflicts}: the device routes CRE would remove, and what would leak without CRE. */
@Component(service = CliCommand.class)
@Command(name = "conflicts", summary = "device routes that conflict with the VPN's routes (CRE removes them; without CRE they leak)")
public final class ConflictsCommand implements CliCommand {

    @Override
    public String name() {
        return "conflicts";
    }

    @Override
    public String summary() {
        return "device routes that conflict with the VPN's routes (CRE removes them; without CRE they leak)";
    }

    @Override
    public String synopsis() {
        return "[--example NAME | DESIGN.crew.json | AWS-CLI-DIR [--endpoint ID]] [--device FILE|NAME] [options]";
    }

    @Override
    public String description() {
        return "A conflict is a main-table route overlapping a protected VPN route that would win (more specific, or same\n"
                + "prefix via another gateway), outside 127/8, 169.254/16, 224/4, 255.255.255.255, ::1, fe80::/10, ff00::/8 and\n"
                + "outside profile net_gateway routes. Exit 0: none; 1: conflicts; 2: bad input.";
    }

    @Override
    public List<Option> options() {
        return PredictCommand.PREDICTION_OPTIONS;
    }

    @Override
    public int run(CommandContext ctx, Arguments args) throws CommandException {
        args.expectAtMostPositionals(1);
        DesignInputs.Predicted predicted = DesignInputs.predicted(ctx, args, 0);
        DevicePrediction p = predicted.prediction();
        if (ctx.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("enforced", p.enforced());
            m.put("protected", p.protectedRoutes().stream().map(r -> r.destination().toString()).toList());
            m.put("conflicts", p.conflicts().stream().map(DesignInputs::json).toList());
            m.put("leaksWithoutCre", p.leaks().stream().map(Object::toString).toList());
            ctx.printJson(m);
        } else {
            ctx.out().println(p.protectedRoutes().size() + " protected routes, " + p.conflicts().size() + " conflicting device route"
                    + (p.conflicts().size() == 1 ? "" : "s"));
            predicted.note(ctx);
            p.conflicts().forEach(c -> ctx.out().println("  " + (p.enforced() ? "CRE removes " : "conflict ") + c.route() + "  (" + c.reason() + ")"));
            if (!p.leaks().isEmpty()) {
                ctx.out().println("Without CRE this traffic leaves outside the tunnel:");
                p.leaks().forEach(l -> ctx.out().println("  " + l));
            }
        }
        return p.conflicts().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
    }
}
