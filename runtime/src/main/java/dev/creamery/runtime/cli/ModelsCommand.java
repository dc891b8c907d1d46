package dev.creamery.runtime.cli;

import dev.creamery.api.Complexity;
import dev.creamery.api.Variant;
import dev.creamery.runtime.model.ModelResolver;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code creamery models}: every family and variant with its parameters and FLOPs. */
@Command(name = "models", description = "List every model family and variant with parameters and FLOPs (multiply-accumulates).")
final class ModelsCommand implements Callable<Integer> {
    @ParentCommand
    Creamery root;

    @Override
    public Integer call() {
        PrintWriter out = root.spec.commandLine().getOut();
        out.printf("%-14s %-22s %12s %12s  %-28s %s%n", "FAMILY", "VARIANT", "PARAMS", "FLOPS", "INPUT", "DESCRIPTION");
        for (ModelResolver.NamedFamily named : new ModelResolver(root.registry()).families()) {
            for (Variant variant : named.family().variants()) {
                Complexity c = named.family().complexity(variant.architecture(), variant.task());
                out.printf("%-14s %-22s %12s %12s  %-28s %s%n", named.name(), variant.name(), Complexity.human(c.params()),
                        Complexity.human(c.flops()), variant.task(), variant.description());
            }
        }
        return Creamery.OK;
    }
}
