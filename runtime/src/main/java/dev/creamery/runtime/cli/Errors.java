package dev.creamery.runtime.cli;

import dev.creamery.api.CheckpointMismatchException;
import dev.creamery.api.DataException;
import dev.creamery.api.InvalidArchitectureException;
import dev.creamery.api.UnsatisfiableConstraintsException;
import dev.creamery.runtime.io.OutputException;
import dev.creamery.runtime.job.RunFailedException;
import dev.creamery.runtime.job.RunFolderException;
import dev.creamery.wiring.ConfigProblem;
import dev.creamery.wiring.InvalidConfigException;
import dev.creamery.wiring.PluginException;
import java.io.PrintWriter;

/**
 * Maps errors to messages and exit statuses: what the user can fix is status 2, the rest 1. Every
 * bad input file is a {@link dev.creamery.runtime.io.CorruptFileException} (a {@link DataException}):
 * one sentence naming the file, status 2.
 */
final class Errors {
    private Errors() {}

    static int exitCode(Throwable e) {
        return isUsage(e) ? Creamery.USAGE : Creamery.FAILED;
    }

    static int report(Exception e, PrintWriter err, boolean debug) {
        if (e instanceof InvalidConfigException invalid) {
            if (invalid.problems().size() > 1) {
                err.println("error: the job has " + invalid.problems().size() + " problems:");
            }
            for (ConfigProblem problem : invalid.problems()) {
                err.println((invalid.problems().size() > 1 ? "  " : "error: ") + problem);
            }
        } else {
            String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
            err.println("error: " + (isUsage(e) || isExplained(e) ? message : e.getClass().getSimpleName() + ": " + message));
        }
        if (debug) {
            e.printStackTrace(err);
        } else if (!isUsage(e) && !isExplained(e)) {
            err.println("(run with --debug for the stack trace)");
        }
        err.flush();
        return exitCode(e);
    }

    /** Failures at run time whose message says all there is to say (status 1, no stack trace needed). */
    private static boolean isExplained(Throwable e) {
        return e instanceof RunFailedException || e instanceof OutputException;
    }

    private static boolean isUsage(Throwable e) {
        return e instanceof InvalidConfigException || e instanceof RunFolderException || e instanceof DataException
                || e instanceof UnsatisfiableConstraintsException || e instanceof CheckpointMismatchException
                || e instanceof InvalidArchitectureException || e instanceof PluginException || e instanceof UsageException
                || e instanceof IllegalArgumentException;
    }
}
