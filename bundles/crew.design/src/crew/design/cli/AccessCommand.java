package crew.design.cli;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.design.authz.AccessDecision;
import crew.design.authz.AccessMatrix;
import crew.design.authz.AuthorizationEvaluator;
import crew.model.endpoint.EndpointDesign;
import crew.model.net.IpAddress;

/** {@code crew access}: the access matrix of a design, or the decision and its reason for one destination. */
@Component(service = CliCommand.class)
@Command(name = "access", summary = "who may reach what: the authorization matrix, or one destination's decision")
public final class AccessCommand implements CliCommand {

    @Override
    public String name() {
        return "access";
    }

    @Override
    public String summary() {
        return "who may reach what: the authorization matrix, or one destination's decision";
    }

    @Override
    public String synopsis() {
        return "[--example NAME | DESIGN.crew.json | AWS-CLI-DIR [--endpoint ID]] [--destination IP [--group GROUP]...]";
    }

    @Override
    public String description() {
        return "Without --destination: the access matrix (rule ranges x groups; '(any user)' is a user in no listed group).\n"
                + "With --destination: allowed or denied for a user in the given groups, and why (longest prefix match over the\n"
                + "rule CIDRs; rules on the same CIDR combine their groups; default deny). Exit 0 allowed/matrix, 1 denied, 2 bad input.";
    }

    @Override
    public List<Option> options() {
        return List.of(DesignInputs.EXAMPLE, DesignInputs.ENDPOINT, Option.value("destination", "IP", "the destination address to decide for"),
                Option.repeatable("group", "GROUP", "a group the user belongs to (repeatable)"));
    }

    @Override
    public int run(CommandContext ctx, Arguments args) throws CommandException {
        args.expectAtMostPositionals(1);
        EndpointDesign design = DesignInputs.design(ctx, args, 0);
        AuthorizationEvaluator evaluator = new AuthorizationEvaluator(design.authorizationRules());
        if (args.has("destination")) {
            IpAddress dest = DesignInputs.address(args, "destination", null);
            Set<String> groups = new HashSet<>(args.values("group"));
            AccessDecision d = evaluator.evaluate(dest, groups);
            if (ctx.json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("destination", dest.toString());
                m.put("groups", args.values("group"));
                m.put("allowed", d.allowed());
                m.put("matchedCidr", d.matchedCidr() == null ? null : d.matchedCidr().toString());
                m.put("reason", d.reason());
                ctx.printJson(m);
            } else {
                ctx.out().println((d.allowed() ? "ALLOWED " : "DENIED ") + dest + " for " + (groups.isEmpty() ? "a user in no group" : groups));
                ctx.out().println("  " + d.reason());
            }
            return d.allowed() ? ExitCode.OK : ExitCode.FINDINGS;
        }
        AccessMatrix matrix = evaluator.matrix();
        if (ctx.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("groups", matrix.groups());
            m.put("rows", matrix.rows().stream().map(r -> Map.of("range", r.range().toString(),
                    "except", r.except().stream().map(Object::toString).toList(), "allowed", r.allowedByGroup())).toList());
            ctx.printJson(m);
            return ExitCode.OK;
        }
        ctx.out().println(design.name() + ": access matrix (" + matrix.rows().size() + " ranges x " + matrix.groups().size() + " groups)");
        StringBuilder head = new StringBuilder(String.format("%-34s", "range"));
        matrix.groups().forEach(g -> head.append(String.format(" %-14s", g.length() > 14 ? g.substring(0, 14) : g)));
        ctx.out().println(head);
        for (AccessMatrix.Row r : matrix.rows()) {
            String range = r.range() + (r.except().isEmpty() ? "" : " except " + r.except().size());
            StringBuilder line = new StringBuilder(String.format("%-34s", range));
            matrix.groups().forEach(g -> line.append(String.format(" %-14s", r.allowedByGroup().get(g) ? "allow" : "-")));
            ctx.out().println(line);
        }
        ctx.out().println("Everything else: denied (default deny).");
        return ExitCode.OK;
    }
}
