package dev.creamery.runtime;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The runtime's packages depend on each other in one direction only (the command line on the jobs, the jobs on the models, ...). */
class PackageCyclesTest {
    @Test
    void runtimePackagesAreFreeOfCycles() {
        slices().matching("dev.creamery.runtime.(*)..").should().beFreeOfCycles()
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.creamery.runtime"));
    }
}
