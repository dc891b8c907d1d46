package dev.creamery.runtime;

import dev.creamery.runtime.cli.Creamery;
import java.io.PrintWriter;
import java.io.StringWriter;

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
}
