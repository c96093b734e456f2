package crew.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher on its own: a registry filled by hand, no DS. */
class CommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private CommandRegistry registry;
    private CommandContext context;

    /** A command that echoes its options, declared with a value option and a flag. */
    static final class EchoCommand implements CliCommand {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public String summary() {
            return "echo the arguments";
        }

        @Override
        public List<Option> options() {
            return List.of(Option.value("format", "FORMAT", "text or upper"), Option.flag("fail", "fail with findings"));
        }

        @Override
        public int run(CommandContext ctx, Arguments args) throws CommandException {
            if (args.value("format", "text").equals("bad")) {
                throw CommandException.badInput("format 'bad' is not text or upper");
            }
            String text = String.join(" ", args.positionals());
            ctx.out().println(args.value("format", "text").equals("upper") ? text.toUpperCase() : text);
            return args.has("fail") ? ExitCode.FINDINGS : ExitCode.OK;
        }
    }

    @BeforeEach
    void setUp() {
        registry = new CommandRegistry();
        registry.addCommand(new EchoCommand());
        context = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), Path.of("."), false);
    }

    private int run(String... words) {
        return new CommandLine(registry).run(List.of(words), context);
    }

    @Test
    void givenOptionsInBothForms_whenRun_thenParsed() {
        assertEquals(ExitCode.OK, run("echo", "--format", "upper", "a", "b"));
        assertEquals(ExitCode.FINDINGS, run("echo", "--format=upper", "--fail", "c"));
        assertEquals("A B\nC\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void givenUnknownOption_whenRun_thenBadInputNamingIt() {
        assertEquals(ExitCode.BAD_INPUT, run("echo", "--formt", "x"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("unknown option '--formt'"), e);
        assertTrue(e.contains("did you mean --format?"), e);
    }

    @Test
    void givenMissingValue_whenRun_thenBadInput() {
        assertEquals(ExitCode.BAD_INPUT, run("echo", "--format"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("needs a value (FORMAT)"));
    }

    @Test
    void givenCommandError_whenRun_thenMessageAndItsExitCode() {
        assertEquals(ExitCode.BAD_INPUT, run("echo", "--format", "bad"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("crew echo: format 'bad' is not text or upper"));
    }

    @Test
    void givenHelpOption_whenRun_thenUsageWithOptionsAndExitCodes() {
        assertEquals(ExitCode.OK, run("echo", "--help"));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.startsWith("Usage: crew echo [options]"), o);
        assertTrue(o.contains("--format FORMAT"), o);
        assertTrue(o.contains("--json"), o);
        assertTrue(o.contains("Exit codes:"), o);
    }

    @Test
    void givenUnknownCommand_whenRun_thenBadInput() {
        assertEquals(ExitCode.BAD_INPUT, run("frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"));
    }

    @Test
    void givenRuntimeFailure_whenRun_thenInternalErrorCode() {
        registry.addCommand(new CliCommand() {
            @Override
            public String name() {
                return "boom";
            }

            @Override
            public String summary() {
                return "fails";
            }

            @Override
            public int run(CommandContext ctx, Arguments args) {
                throw new IllegalStateException("bug");
            }
        });
        assertEquals(ExitCode.INTERNAL, run("boom"));
    }

    /** A command that fails as a bug deep in a reader would: a real stack overflow, an Error, not an exception. */
    static final class OverflowCommand implements CliCommand {
        @Override
        public String name() {
            return "overflow";
        }

        @Override
        public String summary() {
            return "recurses without end";
        }

        private static int down(int n) {
            return down(n + 1) + 1;
        }

        @Override
        public int run(CommandContext ctx, Arguments args) {
            return down(0);
        }
    }

    @Test
    void givenACommandThatOverflowsTheStack_whenRun_thenInternalErrorWithAMessageNeverExit0() {
        registry.addCommand(new OverflowCommand());
        assertEquals(ExitCode.INTERNAL, run("overflow"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("crew overflow: internal error (a bug in CREW; please report it with what follows): java.lang.StackOverflowError"), e);
        assertTrue(e.contains("at crew.cli.CommandLineTest$OverflowCommand.down"), "stack trace printed");
    }

    @Test
    void givenAnErrorThrownByACommand_whenRun_thenInternalError() {
        registry.addCommand(new CliCommand() {
            @Override
            public String name() {
                return "assert";
            }

            @Override
            public String summary() {
                return "throws an Error";
            }

            @Override
            public int run(CommandContext ctx, Arguments args) {
                throw new AssertionError("invariant broken");
            }
        });
        assertEquals(ExitCode.INTERNAL, run("assert"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("java.lang.AssertionError: invariant broken"));
    }

    @Test
    void givenControlAndBidiCharactersInUserText_whenPrinted_thenEscapedNotSentToTheTerminal() {
        assertEquals(ExitCode.OK, run("echo", "\u001b[31mred\u001b[0m", "\u202egnp.exe", "tab\there", "caf\u00e9", "\ud83d\ude00", "\u0085\u007f\r"));
        assertEquals("\\u001b[31mred\\u001b[0m \\u202egnp.exe tab\there caf\u00e9 \ud83d\ude00 \\u0085\\u007f\\u000d\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(ExitCode.BAD_INPUT, run("\u001b]0;owned\u0007"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("unknown command '\\u001b]0;owned\\u0007'"), e);
        assertFalse(e.contains("\u001b"), e);
    }

    @Test
    void givenRepeatedSingleOption_whenParsed_thenRejected() {
        CommandException e = assertThrows(CommandException.class,
                () -> Arguments.parse(List.of("--format", "a", "--format", "b"), List.of(Option.value("format", "F", ""))));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("more than once"));
    }

    @Test
    void givenDoubleDash_whenParsed_thenRestArePositionals() throws CommandException {
        Arguments a = Arguments.parse(List.of("--", "--not-an-option", "-"), List.of());
        assertEquals(List.of("--not-an-option", "-"), a.positionals());
    }
}
