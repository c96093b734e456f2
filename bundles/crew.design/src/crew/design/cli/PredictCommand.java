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
import crew.model.device.DeviceRoute;

/** {@code crew predict}: a device's routing table after connecting to the design's endpoint. */
@Component(service = CliCommand.class)
@Command(name = "predict", summary = "predict a device's routing table after it connects")
public final class PredictCommand implements CliCommand {

    static final List<Option> PREDICTION_OPTIONS = List.of(DesignInputs.EXAMPLE, DesignInputs.DEVICE, DesignInputs.CLIENT_IP,
            DesignInputs.CLIENT_IPV6, DesignInputs.ENDPOINT_IP, DesignInputs.TUNNEL, DesignInputs.PROFILE);

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "predict a device's routing table after it connects";
    }

    @Override
    public String synopsis() {
        return "[--example NAME | DESIGN.crew.json] [--device FILE|NAME] [--client-ip IP] [options]";
    }

    @Override
    public String description() {
        return "Split tunnel: each endpoint route via the first host of the client's /27 (no 0.0.0.0/0). Full tunnel: 0.0.0.0/1 and\n"
                + "128.0.0.0/1 via the tunnel (::/1, 8000::/1 with IPv6), the endpoint address via the device's default gateway.\n"
                + "Then the routes CRE removes. DEVICE files: Linux ip route, macOS netstat -rn, Windows route print (detected).\n"
                + "Exit 0: no conflicts; 1: conflicting device routes; 2: bad input.";
    }

    @Override
    public List<Option> options() {
        return PREDICTION_OPTIONS;
    }

    @Override
    public int run(CommandContext ctx, Arguments args) throws CommandException {
        args.expectAtMostPositionals(1);
        DesignInputs.Predicted predicted = DesignInputs.predicted(ctx, args, 0);
        DevicePrediction p = predicted.prediction();
        if (ctx.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tunnelGateway", p.tunnelGateway().toString());
            m.put("enforced", p.enforced());
            m.put("clientIpv6", predicted.clientIpv6() == null ? null : predicted.clientIpv6().toString());
            m.put("added", DesignInputs.json(p.added()));
            m.put("removedByCre", p.enforced() ? p.conflicts().stream().map(DesignInputs::json).toList() : List.of());
            m.put("conflicts", p.conflicts().stream().map(DesignInputs::json).toList());
            m.put("after", DesignInputs.json(p.after()));
            ctx.printJson(m);
        } else {
            ctx.out().println("Tunnel gateway " + p.tunnelGateway() + "; CRE " + (p.enforced() ? "enforced" : "off"));
            predicted.note(ctx);
            ctx.out().println("Added by the VPN:");
            p.added().forEach(r -> ctx.out().println("  + " + r));
            if (!p.conflicts().isEmpty()) {
                ctx.out().println(p.enforced() ? "Removed by CRE:" : "Conflicting (kept: CRE is off, traffic leaks):");
                p.conflicts().forEach(c -> ctx.out().println("  - " + c.route() + "   (" + c.reason() + ")"));
            }
            ctx.out().println("Table after connecting:");
            for (DeviceRoute r : p.after()) {
                ctx.out().println("  " + r);
            }
        }
        return p.conflicts().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
    }
}
