package dev.creamery.runtime.cli;

import dev.creamery.api.ComponentKind;
import dev.creamery.api.Registration;
import dev.creamery.wiring.ComponentRegistry;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code creamery list [KIND]}: the registered components and the jar each comes from. */
@Command(name = "list", description = "List registered components (space, strategy, evaluator, family, data) and their jars.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    Creamery root;

    @Parameters(arity = "0..1", paramLabel = "KIND", description = "Only this kind: space, strategy, evaluator, family or data.")
    String kind;

    @Override
    public Integer call() {
        List<Registration<?>> registrations;
        if (kind == null) {
            registrations = root.registry().all();
        } else {
            ComponentKind<?> k = ComponentRegistry.kind(kind).orElseThrow(() -> new UsageException("unknown kind '" + kind
                    + "'; kinds: space, strategy, evaluator, family, data"));
            registrations = root.registry().of(k);
        }
        PrintWriter out = root.spec.commandLine().getOut();
        out.printf("%-10s %-22s %s%n", "KIND", "NAME", "FROM");
        for (Registration<?> r : registrations) {
            out.printf("%-10s %-22s %s%n", r.kind().key(), r.name(), ComponentRegistry.source(r));
        }
        return Creamery.OK;
    }
}
