package dev.creamery.testkit;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The rule that keeps each paper an independent jar: a plugin's classes use the API, DJL's own API
 * (never an engine's internals: what a plugin needs from the engine, the API offers), the JDK, the
 * configuration and injection libraries the API is built on, and themselves — nothing of the
 * runtime and nothing of another plugin. The runtime's built-in components obey it too, so that
 * whatever they do a plugin can do.
 */
public final class ApiOnly {
    private ApiOnly() {}

    /**
     * Checks the main (not test) classes of a package and its subpackages.
     *
     * @param packageName the package, e.g. {@code dev.creamery.asvit}
     * @throws AssertionError listing every class that uses something else, and what
     */
    public static void check(String packageName) {
        JavaClasses imported = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(packageName);
        classes().that().resideInAPackage(packageName + "..")
                .should().onlyDependOnClassesThat(resideInAnyPackage(packageName + "..", "dev.creamery.api..", "java..", "ai.djl..",
                        "com.typesafe.config..", "jakarta.inject..", "com.google.inject..")
                        .and(not(resideInAPackage("ai.djl.pytorch.."))))
                .because("a plugin depends on the API only (plus DJL): docs/architecture.md")
                .check(imported);
    }
}
