package dev.creamery.models;

import dev.creamery.api.ComponentKind;
import dev.creamery.testkit.Defaults;

/** The families' settings as this jar's reference.conf gives them, bound as a job binds them. */
final class ReferenceConf {
    private ReferenceConf() {}

    static EfficientVitSettings efficientVit() {
        return Defaults.settings(ComponentKind.FAMILY, "efficientvit", EfficientVitSettings.class);
    }

    static TinyVitSettings tinyVit() {
        return Defaults.settings(ComponentKind.FAMILY, "tinyvit", TinyVitSettings.class);
    }

    static DeitSettings deit() {
        return Defaults.settings(ComponentKind.FAMILY, "deit", DeitSettings.class);
    }

    static DeitSettings miniVit() {
        return Defaults.settings(ComponentKind.FAMILY, "minivit", DeitSettings.class);
    }
}
