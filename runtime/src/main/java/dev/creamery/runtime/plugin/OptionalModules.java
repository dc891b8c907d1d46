package dev.creamery.runtime.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The distribution's optional modules: the jars under {@code engines/} of the installation
 * ({@code engines/spark/} holds the Spark executor and a whole Spark). They load in a class loader of
 * their own, so that the core and the plugins never see their classes, and none of their classes is
 * loaded unless a job asks for one of their components. Removing a module's folder removes the module.
 *
 * <p>The loader looks in the module's jars first: a module gets the library versions it was built
 * with (Spark needs newer commons-io than DJL brings), except for the types it shares with the core
 * — Creamery's, DJL's, Typesafe Config's, Guice's (plugins are Guice modules) and SLF4J's (one
 * logging set-up) — which always come from the core.
 */
public final class OptionalModules {
    /** The system property the launcher sets to the installation's folder. */
    public static final String HOME = "creamery.home";

    private OptionalModules() {}

    /**
     * @param core the class loader of the core and the plugins
     * @return a loader that also sees the optional modules, or {@code core} if there are none
     */
    public static ClassLoader classLoader(ClassLoader core) {
        String home = System.getProperty(HOME);
        Path engines = home == null ? null : Path.of(home, "engines");
        if (engines == null || !Files.isDirectory(engines)) {
            return core;
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.walk(engines, 2)) {
            for (Path jar : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted()::iterator) {
                jars.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the optional modules in " + engines + ": " + e.getMessage(), e);
        }
        return jars.isEmpty() ? core : new ModuleFirst(jars.toArray(URL[]::new), core);
    }

    /** Looks in the modules' jars before the core's, except for the shared types. */
    private static final class ModuleFirst extends URLClassLoader {
        private static final List<String> SHARED = List.of("dev.creamery.", "ai.djl.", "com.typesafe.config.", "com.google.inject.",
                "jakarta.inject.", "org.slf4j.");

        static {
            registerAsParallelCapable();
        }

        ModuleFirst(URL[] jars, ClassLoader core) {
            super("creamery-engines", jars, core);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (SHARED.stream().anyMatch(name::startsWith)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException notHere) {
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
