package dev.creamery.runtime;

import dev.creamery.runtime.cli.Creamery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Test helper: runs the command line in this JVM and keeps what it printed. */
public final class Commands {
    private Commands() {}

    /**
     * @param status the exit status
     * @param out what went to standard output
     * @param err what went to standard error
     */
    public record Result(int status, String out, String err) {}

    /**
     * @param args the arguments after {@code creamery}
     * @return the exit status and the output
     */
    public static Result creamery(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Creamery.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(status, out.toString(), err.toString());
    }

    /**
     * Runs the command line and keeps its progress lines too (which go to {@code System.err}).
     *
     * @param args the arguments after {@code creamery}
     * @return the exit status, the output, and in {@code err} the progress lines followed by the errors
     */
    public static synchronized Result creameryWithProgress(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
        try {
            Result result = creamery(args);
            return new Result(result.status(), result.out(), progress.toString(StandardCharsets.UTF_8) + result.err());
        } finally {
            System.setErr(saved);
        }
    }
}
