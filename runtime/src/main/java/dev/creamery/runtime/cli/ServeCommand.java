package dev.creamery.runtime.cli;

import dev.creamery.runtime.serve.DashboardServer;
import dev.creamery.runtime.serve.RunFolders;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code creamery serve}: the runs of a folder over HTTP, read-only, live while they run. */
@Command(name = "serve", description = "Serve the runs of RUNS_DIR over HTTP, read-only and live: JSON at /api/runs (docs/dashboard.md).")
final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "RUNS_DIR", defaultValue = "runs", description = "The folder of run folders (default: runs).")
    Path runs;

    @Option(names = "--port", defaultValue = "8080", description = "The port (default: 8080; 0: any free port).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "The address to listen on (default: 127.0.0.1, this machine only; "
            + "another address lets anyone who can reach it read every run under RUNS_DIR).")
    String host;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!Files.isDirectory(runs)) {
            throw new UsageException("runs folder " + runs + " does not exist; give the folder that holds run folders (runs/ by default)");
        }
        PrintWriter out = spec.commandLine().getOut();
        InetAddress address = InetAddress.getByName(host);
        try (DashboardServer server = new DashboardServer(new RunFolders(runs), new InetSocketAddress(address, port), Duration.ofMillis(500))) {
            out.printf("serving the runs of %s (read-only) at http://%s:%d/api/runs; Ctrl-C stops%n", runs.toAbsolutePath().normalize(),
                    host, server.port());
            if (!address.isLoopbackAddress()) {
                out.println("warning: listening on " + host + ": anyone who can reach it can read every run under " + runs);
            }
            out.flush();
            new CountDownLatch(1).await();
            return Creamery.OK;
        } catch (BindException e) {
            throw new UsageException("cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); pick another with --port");
        }
    }
}
