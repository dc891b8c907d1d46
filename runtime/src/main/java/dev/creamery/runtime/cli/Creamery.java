package dev.creamery.runtime.cli;

import ai.djl.engine.Engine;
import dev.creamery.engine.EngineCheck;
import dev.creamery.runtime.plugin.OptionalModules;
import dev.creamery.wiring.ComponentRegistry;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code creamery} command. Exit status: 0 on success, 1 when a run fails at run time, 2 for
 * a usage, configuration or input error; errors go to stderr as one clear sentence (one per
 * problem for an invalid job).
 */
@Command(name = "creamery", mixinStandardHelpOptions = true, versionProvider = Creamery.Version.class,
        description = "Neural architecture search and efficient vision transformers on the JVM.",
        subcommands = {ListCommand.class, DescribeCommand.class, ValidateCommand.class, RunCommand.class, TrainCommand.class,
            SaveLogitsCommand.class, ModelsCommand.class, ProfileCommand.class, PredictCommand.class, CompareCommand.class, ServeCommand.class})
public final class Creamery implements Runnable {
    /** Success. */
    public static final int OK = 0;
    /** A failure at run time. */
    public static final int FAILED = 1;
    /** A usage, configuration or input error. */
    public static final int USAGE = 2;

    @Option(names = "--debug", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    private ComponentRegistry registry;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** @return the plugins on the class path and the installation's optional modules, loaded once */
    ComponentRegistry registry() {
        if (registry == null) {
            registry = ComponentRegistry.load(OptionalModules.classLoader(Creamery.class.getClassLoader()));
        }
        return registry;
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line, for the launcher and for tests.
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @return the exit status
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Creamery root = new Creamery();
        CommandLine commandLine = new CommandLine(root);
        // Every subcommand answers --help and --version the way the top-level command does.
        for (CommandLine subcommand : commandLine.getSubcommands().values()) {
            subcommand.getCommandSpec().mixinStandardHelpOptions(true);
            subcommand.getCommandSpec().versionProvider(new Version());
        }
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExitCodeExceptionMapper(Errors::exitCode);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> Errors.report(e, err, root.debug));
        commandLine.setParameterExceptionHandler((e, args2) -> {
            err.println("error: " + e.getMessage());
            e.getCommandLine().usage(err);
            return USAGE;
        });
        int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    /** Reports the version from the jar manifest, the engine's, and how it computes convolutions on this CPU. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Creamery.class.getPackage().getImplementationVersion();
            Engine engine = Engine.getInstance();
            return new String[] {"creamery " + (version == null ? "(development build)" : version),
                "engine: " + engine.getEngineName() + " " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + ")",
                "convolutions: " + EngineCheck.verdict().explain()};
        }
    }
}
