package crew.design.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import crew.cli.Arguments;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.Option;
import crew.design.device.Conflict;
import crew.design.device.DevicePrediction;
import crew.design.device.DevicePredictor;
import crew.design.device.PredictionDefaults;
import crew.design.device.PredictionRequest;
import crew.model.device.DeviceRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.AwsCliImport;
import crew.model.io.OvpnProfile;
import crew.model.io.OvpnProfileText;
import crew.model.io.RouteSnapshot;
import crew.model.io.SourceFormatException;
import crew.model.io.TextFiles;
import crew.model.io.WorkspaceFile;
import crew.model.net.AddressFormatException;
import crew.model.net.IpAddress;

/**
 * How the design commands find their inputs: a design file argument or {@code --example NAME} (the example
 * workspace shipped in bundle crew.examples, found through the {@code crew.examples} system property), a device
 * snapshot file or example name, an .ovpn profile. Every load error is bad input with the file and line.
 */
final class DesignInputs {
    static final String DEFAULT_EXAMPLE = "split-tunnel";

    static final Option EXAMPLE = Option.value("example", "NAME", "use an example design: split-tunnel, full-tunnel, dual-stack (default when no DESIGN is given)");
    static final Option DEVICE = Option.value("device", "FILE|NAME",
            "device routing table: a file with ip route / netstat -rn / route print text, or an example name (linux, macos, windows, cre-example)");
    static final Option CLIENT_IP = Option.value("client-ip", "IP", "the client's tunnel address (default: the client CIDR's third address)");
    static final Option CLIENT_IPV6 = Option.value("client-ipv6", "IP", "the client's IPv6 tunnel address, for IPv6/dual-stack traffic (default "
            + PredictionDefaults.CLIENT_IPV6 + ", a documentation address, when the design's traffic carries IPv6)");
    static final Option ENDPOINT_IP = Option.value("endpoint-ip", "IP", "the endpoint's public address (default " + PredictionDefaults.ENDPOINT_ADDRESS
            + ", a documentation address)");
    static final Option TUNNEL = Option.value("tunnel", "IFACE", "the tunnel interface name (default " + PredictionDefaults.TUNNEL + ")");
    static final Option ENDPOINT = Option.value("endpoint", "ID",
            "with AWS CLI describe-client-vpn-* output as DESIGN (a directory or a file): the endpoint to use when it describes several");
    static final Option PROFILE = Option.value("profile", "FILE", "an .ovpn profile whose route lines (net_gateway too) apply");

    private DesignInputs() {
    }

    static Path examples() throws CommandException {
        String p = System.getProperty("crew.examples");
        if (p == null || p.isBlank() || !Files.isDirectory(Path.of(p))) {
            throw CommandException.badInput("no example workspace here (crew.examples is not set); give a design file instead");
        }
        return Path.of(p);
    }

    /** A text input, UTF-8; why it cannot be read (no such file, UTF-16, ...) is bad input naming the file. */
    static String read(Path file) throws CommandException {
        try {
            return TextFiles.read(file);
        } catch (IOException e) {
            throw CommandException.badInput("cannot read " + file + ": " + TextFiles.reason(e));
        } catch (SourceFormatException e) {
            throw CommandException.badInput(e.getMessage());
        }
    }

    static Path designPath(CommandContext ctx, Arguments args, int positional) throws CommandException {
        if (args.positionals().size() > positional) {
            if (args.has("example")) {
                throw CommandException.badInput("give a DESIGN file or --example, not both");
            }
            return ctx.resolve(args.positionals().get(positional));
        }
        String name = args.value("example", DEFAULT_EXAMPLE);
        Path p = examples().resolve("designs").resolve(name + WorkspaceFile.SUFFIX);
        if (!Files.isRegularFile(p)) {
            throw CommandException.badInput("no example design '" + name + "' (try split-tunnel, full-tunnel, dual-stack)");
        }
        return p;
    }

    static EndpointDesign design(CommandContext ctx, Arguments args, int positional) throws CommandException {
        return located(ctx, args, positional).design();
    }

    /**
     * The design and where its values are in its file (for SARIF regions). DESIGN may also be a directory or a file of
     * AWS CLI describe-client-vpn-* output ({@link AwsCliImport}): one endpoint's, or the one --endpoint names.
     */
    static WorkspaceFile.Located located(CommandContext ctx, Arguments args, int positional) throws CommandException {
        Path p = designPath(ctx, args, positional);
        if (Files.isDirectory(p)) {
            try {
                if (AwsCliImport.expand(List.of(p)).isEmpty()) {
                    throw CommandException.badInput("cannot read " + p + ": is a directory with no .json files (AWS CLI describe-client-vpn-* output);"
                            + " a design is a NAME" + WorkspaceFile.SUFFIX + " file");
                }
            } catch (IOException e) {
                throw CommandException.badInput("cannot read " + p + ": " + TextFiles.reason(e));
            }
            return WorkspaceFile.Located.unlocated(imported(List.of(p), args.value("endpoint").orElse(null)));
        }
        String text = read(p);
        if (!p.getFileName().toString().endsWith(WorkspaceFile.SUFFIX) && AwsCliImport.isAwsCliOutput(text)) {
            return WorkspaceFile.Located.unlocated(imported(List.of(p), args.value("endpoint").orElse(null)));
        }
        if (args.has("endpoint")) {
            throw CommandException.badInput("--endpoint chooses among the endpoints of AWS CLI output; " + p + " is a design file");
        }
        try {
            return WorkspaceFile.readLocated(p.toString(), text);
        } catch (SourceFormatException e) {
            throw CommandException.badInput(e.getMessage());
        }
    }

    /** The one design of AWS CLI output files and directories, or the endpoint {@code endpointId}'s. */
    static EndpointDesign imported(List<Path> inputs, String endpointId) throws CommandException {
        AwsCliImport.Result r;
        try {
            r = AwsCliImport.read(inputs);
        } catch (IOException e) {
            throw CommandException.badInput("cannot read " + inputs.get(0) + ": " + TextFiles.reason(e));
        } catch (SourceFormatException e) {
            throw CommandException.badInput(e.getMessage());
        }
        return choose(r, endpointId, inputs.get(0).toString());
    }

    /** One design of an import: the only one, or the one named; else bad input listing the endpoints. */
    static EndpointDesign choose(AwsCliImport.Result r, String endpointId, String where) throws CommandException {
        List<String> ids = r.designs().stream().map(d -> d.endpoint().endpointId()).toList();
        if (endpointId != null) {
            EndpointDesign d = r.design(endpointId);
            if (d == null) {
                throw CommandException.badInput("--endpoint " + endpointId + ": " + where + " describes " + (ids.isEmpty() ? "no endpoint" : String.join(", ", ids)));
            }
            return d;
        }
        if (r.designs().size() != 1) {
            throw CommandException.badInput(where + " describes " + (ids.isEmpty() ? "no endpoint" : ids.size() + " endpoints (" + String.join(", ", ids)
                    + "): choose one with --endpoint ID"));
        }
        return r.designs().get(0);
    }

    static List<DeviceRoute> device(CommandContext ctx, Arguments args) throws CommandException {
        String d = args.value("device").orElse(null);
        Path p;
        if (d == null) {
            p = examples().resolve("devices").resolve("linux-ip-route.txt");
        } else if (Files.isRegularFile(ctx.resolve(d))) {
            p = ctx.resolve(d);
        } else {
            Path ex;
            try {
                ex = examples().resolve("devices");
            } catch (CommandException e) {
                throw CommandException.badInput("no device table file " + d);
            }
            p = switch (d) {
                case "linux" -> ex.resolve("linux-ip-route.txt");
                case "macos" -> ex.resolve("macos-netstat-rn.txt");
                case "windows" -> ex.resolve("windows-route-print.txt");
                case "cre-example" -> ex.resolve("cre-example-ip-route.txt");
                default -> throw CommandException.badInput("no device table file or example named '" + d + "'");
            };
        }
        try {
            return RouteSnapshot.parse(p.toString(), read(p));
        } catch (SourceFormatException e) {
            throw CommandException.badInput(e.getMessage());
        }
    }

    static IpAddress address(Arguments args, String option, IpAddress dflt) throws CommandException {
        String v = args.value(option).orElse(null);
        if (v == null) {
            return dflt;
        }
        try {
            return IpAddress.parse(v);
        } catch (AddressFormatException e) {
            throw CommandException.badInput("--" + option + ": " + e.getMessage());
        }
    }

    /**
     * A prediction and the client's IPv6 tunnel address it was made with (null: no IPv6 in the tunnel).
     *
     * @param ipv6Defaulted whether that address is {@link PredictionDefaults#CLIENT_IPV6} rather than --client-ipv6
     */
    record Predicted(DevicePrediction prediction, IpAddress clientIpv6, boolean ipv6Defaulted) {
        /** A line that says which IPv6 address the tunnel got when the user did not choose it, so that it is never silent. */
        void note(CommandContext ctx) {
            if (ipv6Defaulted && clientIpv6 != null) {
                ctx.out().println("Client IPv6 " + clientIpv6 + " (the default; --client-ipv6 sets it)");
            }
        }
    }

    /** The prediction for the inputs; where an option is absent, {@link PredictionDefaults} as the designer uses them. */
    static Predicted predicted(CommandContext ctx, Arguments args, int positional) throws CommandException {
        return predicted(ctx, args, design(ctx, args, positional), device(ctx, args));
    }

    /** The prediction of {@code design} for one device table, the other inputs from the options. */
    static Predicted predicted(CommandContext ctx, Arguments args, EndpointDesign design, List<DeviceRoute> table) throws CommandException {
        IpAddress client = address(args, "client-ip", null);
        if (client == null) {
            try {
                client = PredictionDefaults.clientAddress(design);
            } catch (IllegalArgumentException e) {
                throw CommandException.badInput(e.getMessage() + " (--client-ip)");
            }
        }
        IpAddress given = address(args, "client-ipv6", null);
        IpAddress ipv6 = given != null ? given : PredictionDefaults.clientIpv6(design);
        OvpnProfile profile = null;
        if (args.has("profile")) {
            Path p = ctx.resolve(args.value("profile").get());
            try {
                profile = OvpnProfileText.parse(p.toString(), read(p));
            } catch (SourceFormatException e) {
                throw CommandException.badInput(e.getMessage());
            }
        }
        try {
            return new Predicted(DevicePredictor.predict(new PredictionRequest(design, client, ipv6,
                    address(args, "endpoint-ip", PredictionDefaults.ENDPOINT_ADDRESS), tunnel(args), table, profile)), ipv6, given == null);
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput(e.getMessage());
        }
    }

    /** --tunnel, else {@link PredictionDefaults#TUNNEL}. */
    static String tunnel(Arguments args) {
        return args.value("tunnel", PredictionDefaults.TUNNEL);
    }

    // ---- JSON shapes: plain maps of strings, so scripts see "10.0.0.0/8", not object internals ----

    static Map<String, Object> json(DeviceRoute r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", r.destination().toString());
        m.put("gateway", r.gateway() == null ? null : r.gateway().toString());
        m.put("interface", r.interfaceName());
        m.put("metric", r.metric());
        m.put("table", r.table());
        m.put("type", r.type().name().toLowerCase());
        m.put("text", r.toString());
        return m;
    }

    static List<Object> json(List<DeviceRoute> routes) {
        List<Object> out = new ArrayList<>();
        routes.forEach(r -> out.add(json(r)));
        return out;
    }

    static Map<String, Object> json(Conflict c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", json(c.route()));
        m.put("protectedRoute", c.protectedRoute().destination().toString());
        m.put("reason", c.reason());
        return m;
    }
}
