package dev.creamery.cdarts;

import dev.creamery.api.ComponentKind;
import dev.creamery.testkit.Defaults;

/** The plugin's settings as its reference.conf gives them. */
final class ReferenceConf {
    private ReferenceConf() {}

    static CdartsSettings family() {
        return Defaults.settings(ComponentKind.FAMILY, "cdarts", CdartsSettings.class);
    }
}
