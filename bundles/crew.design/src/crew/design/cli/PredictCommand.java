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

    static final List<Option> PREDICTION_OPTIONS = List.of(DesignInputs.EXAMPLE, DesignInputs.ENDPOINT, DesignInputs.DEVICE, DesignInputs.CLIENT_IP,
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
        return "[--example NAME | DESIGN.crew.json | AWS-CLI-DIR [--endpoint ID]] [--device FILE|NAME | --devices DIR] [--client-ip IP] [options]";
    }

    @Override
    public String description() {
        return "Split tunnel: each endpoint route via the first host of the client's /27 (no 0.0.0.0/0). Full tunnel: 0.0.0.0/1 and\n"
                + "128.0.0.0/1 via the tunnel (::/1, 8000::/1 with IPv6), the endpoint address via the device's default gateway.\n"
                + "Then the routes CRE removes. DEVICE files: Linux ip route, macOS netstat -rn, Windows route print (detected).\n"
                + "Exit 0: no conflicts; 1: conflicting device routes; 2: bad input.";
    }

    static final Option DEVICES = Option.value("devices", "DIR",
            "every device snapshot in DIR (ip route / netstat -rn / route print, mixed): per device, what CRE removes and what would leak without it");

    @Override
    public List<Option> options() {
        List<Option> o = new java.util.ArrayList<>(PREDICTION_OPTIONS);
        o.add(DEVICES);
        return o;
    }

    @Override
    public int run(CommandContext ctx, Arguments args) throws CommandException {
        args.expectAtMostPositionals(1);
        if (args.has("devices")) {
            if (args.has("device")) {
                throw CommandException.badInput("give --device or --devices, not both");
            }
            return fleet(ctx, args);
        }
        DesignInputs.Predicted predicted = DesignInputs.predicted(ctx, args, 0);
        DevicePrediction p = predicted.prediction();
        crew.design.device.DnsPrediction dns = crew.design.device.DnsPrediction.of(DesignInputs.design(ctx, args, 0).endpoint());
        if (ctx.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tunnelGateway", p.tunnelGateway().toString());
            m.put("enforced", p.enforced());
            m.put("clientIpv6", predicted.clientIpv6() == null ? null : predicted.clientIpv6().toString());
            m.put("added", DesignInputs.json(p.added()));
            m.put("removedByCre", p.enforced() ? p.conflicts().stream().map(DesignInputs::json).toList() : List.of());
            m.put("conflicts", p.conflicts().stream().map(DesignInputs::json).toList());
            m.put("after", DesignInputs.json(p.after()));
            m.put("dns", dns.json());
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
            ctx.out().println("DNS: " + dns.describe());
        }
        return p.conflicts().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
    }

    /** {@code --devices DIR}: one prediction per snapshot file, summarised per device, then over the fleet. */
    private static int fleet(CommandContext ctx, Arguments args) throws CommandException {
        java.nio.file.Path dir = ctx.resolve(args.value("devices").get());
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw CommandException.badInput("--devices " + dir + ": not a directory");
        }
        List<java.nio.file.Path> files;
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(dir)) {
            files = s.filter(java.nio.file.Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (java.io.IOException e) {
            throw CommandException.badInput("cannot read " + dir + ": " + crew.model.io.TextFiles.reason(e));
        }
        if (files.isEmpty()) {
            throw CommandException.badInput("--devices " + dir + ": no snapshot files");
        }
        crew.model.endpoint.EndpointDesign design = DesignInputs.design(ctx, args, 0);
        List<Object> devices = new java.util.ArrayList<>();
        int affected = 0;
        int removedTotal = 0;
        if (!ctx.json()) {
            ctx.out().println(design.name() + ": " + files.size() + " device" + (files.size() == 1 ? "" : "s") + " in " + dir + ", CRE "
                    + (design.endpoint().clientRouteEnforcement() ? "enforced" : "off"));
        }
        for (java.nio.file.Path f : files) {
            String text = DesignInputs.read(f);
            crew.model.io.RouteSnapshot.Format format;
            List<DeviceRoute> table;
            try {
                format = crew.model.io.RouteSnapshot.detect(text);
                table = crew.model.io.RouteSnapshot.parse(f.toString(), text);
            } catch (crew.model.io.SourceFormatException e) {
                throw CommandException.badInput(e.getMessage());
            }
            DevicePrediction p = DesignInputs.predicted(ctx, args, design, table).prediction();
            if (!p.conflicts().isEmpty()) {
                affected++;
            }
            removedTotal += p.enforced() ? p.conflicts().size() : 0;
            if (ctx.json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("device", f.getFileName().toString());
                m.put("format", format == null ? null : format.name().toLowerCase());
                m.put("routes", table.size());
                m.put("removedByCre", p.enforced() ? p.conflicts().stream().map(DesignInputs::json).toList() : List.of());
                m.put("leaksWithoutCre", p.leaks().stream().map(l -> Map.of("range", l.range().toString(), "protected", l.protectedRange().toString(),
                        "via", l.via().toString())).toList());
                devices.add(m);
            } else {
                ctx.out().println();
                ctx.out().println(f.getFileName() + " (" + (format == null ? "?" : format.name().toLowerCase()) + ", " + table.size() + " routes): "
                        + (p.conflicts().isEmpty() ? "loses nothing, nothing would leak" : (p.enforced() ? "loses " + p.conflicts().size() + " route"
                                + (p.conflicts().size() == 1 ? "" : "s") : "CRE off: " + p.conflicts().size() + " conflicting route"
                                + (p.conflicts().size() == 1 ? "" : "s") + " kept")));
                if (p.enforced()) {
                    p.conflicts().forEach(c -> ctx.out().println("  - " + c.route() + "   (" + c.reason() + ")"));
                }
                if (!p.leaks().isEmpty()) {
                    ctx.out().println("  without CRE, traffic would leave outside the tunnel for:");
                    p.leaks().forEach(l -> ctx.out().println("    " + l.range() + " (protected " + l.protectedRange() + ") via " + l.via()));
                }
            }
        }
        if (ctx.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("design", design.name());
            m.put("enforced", design.endpoint().clientRouteEnforcement());
            m.put("devices", devices);
            m.put("devicesAffected", affected);
            m.put("routesRemoved", removedTotal);
            ctx.printJson(m);
        } else {
            ctx.out().println();
            ctx.out().println(affected + " of " + files.size() + " devices affected; " + removedTotal + " route" + (removedTotal == 1 ? "" : "s")
                    + " removed by CRE in all");
        }
        return affected == 0 ? ExitCode.OK : ExitCode.FINDINGS;
    }
}
