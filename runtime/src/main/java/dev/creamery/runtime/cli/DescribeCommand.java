package dev.creamery.runtime.cli;

import com.typesafe.config.ConfigRenderOptions;
import dev.creamery.api.ComponentKind;
import dev.creamery.api.Registration;
import dev.creamery.wiring.ComponentRegistry;
import dev.creamery.wiring.Names;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code creamery describe NAME}: a component's defaults with their comments. */
@Command(name = "describe", description = "Show a component's settings with their defaults and comments.")
final class DescribeCommand implements Callable<Integer> {
    @ParentCommand
    Creamery root;

    @Parameters(paramLabel = "NAME", description = "A component name, e.g. evolution or fashion-mnist.")
    String name;

    @Override
    public Integer call() {
        ComponentRegistry registry = root.registry();
        List<Registration<?>> matches = registry.all().stream().filter(r -> r.name().equals(name)).toList();
        if (matches.isEmpty()) {
            List<String> names = registry.all().stream().map(Registration::name).distinct().toList();
            throw new UsageException("no component is called '" + name + "'" + Names.suggestion(name, names)
                    + "; see 'creamery list'");
        }
        PrintWriter out = root.spec.commandLine().getOut();
        for (Registration<?> registration : matches) {
            out.printf("%s '%s' (from %s)%n", registration.kind().description(), registration.name(), ComponentRegistry.source(registration));
            if (registration.kind() == ComponentKind.FAMILY) {
                out.printf("use in a training job as: model = \"%s:ARCHITECTURE\" (or a variant), model-settings { ... }%n",
                        registration.name());
            } else {
                out.printf("use in a job as: %s { type = %s, ... }%n", registration.kind().key(), registration.name());
            }
            var defaults = registry.defaults(registration);
            if (defaults.isEmpty()) {
                out.println("(no settings)");
            } else {
                out.println(defaults.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)));
            }
        }
        return Creamery.OK;
    }
}
