package crew.plugins.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
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
import crew.plugins.PluginManager;
import crew.plugins.TrustStore;

/** {@code crew plugin trust}: the signers whose plugins install (list, add, remove). */
@Component(service = CliCommand.class)
@Command(name = "plugin trust", summary = "list the trusted plugin signers, or trust a signer's certificate (a PEM/DER file, or a signed jar's signer)")
public class PluginTrustCommand implements CliCommand {

    @Override
    public String name() {
        return "plugin trust";
    }

    @Override
    public String summary() {
        return "list the trusted plugin signers, or trust a signer's certificate (a PEM/DER file, or a signed jar's signer)";
    }

    @Override
    public String synopsis() {
        return "[options] [CERTIFICATE-OR-SIGNED-JAR]";
    }

    @Override
    public String description() {
        return """
                Without an argument, lists the trusted signers: the product's (configuration/crew.plugins/trusted/, for \
                every user of this product) and yours ($CREW_HOME/plugins/trusted/). With a certificate file, trusts it \
                as a plugin signer; with a signed jar, trusts the jar's signers (the jar is verified first). Compare the \
                printed SHA-256 fingerprint with the one the plugin's publisher gives you before you rely on it.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.flag("product", "the product's trust (all its users) instead of yours; needs write access to the product"),
                Option.value("remove", "FINGERPRINT", "stop trusting the signer whose SHA-256 fingerprint starts with this (8 hex digits or more)"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        PluginManager plugins = Installer.get();
        arguments.expectAtMostPositionals(1);
        TrustStore store = plugins.trustStore();
        boolean product = arguments.has("product");
        List<String> problems = new ArrayList<>();
        try {
            if (arguments.value("remove").isPresent()) {
                String prefix = arguments.value("remove").get().replace(":", "");
                if (prefix.length() < 8 || !prefix.matches("[0-9a-fA-F]+")) {
                    throw CommandException.badInput("--remove needs 8 or more hex digits of a fingerprint, not '" + prefix + "'");
                }
                List<TrustStore.Signer> removed = store.remove(prefix, product);
                if (removed.isEmpty()) {
                    throw CommandException.badInput("no " + (product ? "product" : "user") + " signer's fingerprint starts with " + prefix + " (crew plugin trust lists them)");
                }
                return print(context, removed, "no longer trusted");
            }
            if (!arguments.positionals().isEmpty()) {
                Path source = context.resolve(arguments.positionals().get(0));
                List<TrustStore.Signer> added = new ArrayList<>();
                for (X509Certificate c : TrustStore.certificatesIn(source)) {
                    added.add(store.add(c, product));
                }
                return print(context, added, "trusted");
            }
        } catch (IOException e) {
            throw new CommandException(ExitCode.BAD_INPUT, e.getMessage(), e);
        }
        List<TrustStore.Signer> signers = store.signers(problems);
        int code = print(context, signers, null);
        for (String p : problems) {
            context.err().println("crew: " + p);
        }
        return problems.isEmpty() ? code : ExitCode.FINDINGS;
    }

    private static int print(CommandContext context, List<TrustStore.Signer> signers, String verb) {
        if (context.json()) {
            List<Map<String, Object>> json = new ArrayList<>();
            for (TrustStore.Signer s : signers) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("fingerprint", s.fingerprint());
                m.put("subject", s.subject());
                m.put("notAfter", s.notAfter());
                m.put("scope", s.product() ? "product" : "user");
                m.put("file", s.file().toString());
                json.add(m);
            }
            context.printJson(json);
            return ExitCode.OK;
        }
        if (signers.isEmpty() && verb == null) {
            context.out().println("no trusted plugin signers (only certificates anchored in the JDK's cacerts are trusted)");
        }
        for (TrustStore.Signer s : signers) {
            context.out().println((verb == null ? "" : verb + ": ") + s.fingerprint() + "  " + s.subject() + "  (until " + s.notAfter() + ", "
                    + (s.product() ? "product" : "user") + ")");
        }
        return ExitCode.OK;
    }
}
