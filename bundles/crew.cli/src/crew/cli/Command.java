package crew.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * A command's name and summary as properties of its {@link CliCommand} service ({@value #NAME},
 * {@value #SUMMARY}), so that {@code crew help} and the dispatch by name read them from the service registry
 * without creating the command, its references and the classes behind them; the command is created when it runs or
 * its help is shown. Put it beside the component annotation, with the same text as {@link CliCommand#name()} and
 * {@link CliCommand#summary()} (the registry checks that they agree when it creates the command):
 *
 * <pre>
 * &#64;Component(service = CliCommand.class)
 * &#64;Command(name = "version", summary = "print CREW's version and runtime")
 * public class VersionCommand implements CliCommand { ... }
 * </pre>
 *
 * A command without it still works: the registry then creates it the first time it needs its name.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Command {
    /** Prefix of the property names, as Declarative Services maps an annotation's elements to properties. */
    String PREFIX_ = "crew.command.";

    /** The service property holding {@link CliCommand#name()}. */
    String NAME = "crew.command.name";

    /** The service property holding {@link CliCommand#summary()}. */
    String SUMMARY = "crew.command.summary";

    /** {@link CliCommand#name()}: the words users type, for example {@code "aws pull"}. */
    String name();

    /** {@link CliCommand#summary()}: one line for {@code crew help}. */
    String summary();
}
