package dev.creamery.cream;

import dev.creamery.api.ComponentKind;
import dev.creamery.testkit.Defaults;

/** The components' settings as this jar's reference.conf gives them, bound as a job binds them. */
final class ReferenceConf {
    private ReferenceConf() {}

    static CreamSpaceSettings space() {
        return Defaults.settings(ComponentKind.SPACE, "cream", CreamSpaceSettings.class);
    }

    static CreamSettings family() {
        return Defaults.settings(ComponentKind.FAMILY, "cream", CreamSettings.class);
    }
}
