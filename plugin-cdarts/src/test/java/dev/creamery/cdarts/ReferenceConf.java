package dev.creamery.cdarts;

import dev.creamery.api.ComponentKind;
import dev.creamery.testkit.Defaults;

/** The plugin's settings as its reference.conf gives them. */
final class ReferenceConf {
    private ReferenceConf() {}

    static CdartsSettings family() {
        return Defaults.settings(ComponentKind.FAMILY, "cdarts", CdartsSettings.class);
    }

    static DartsSpaceSettings space() {
        return Defaults.settings(ComponentKind.SPACE, "darts", DartsSpaceSettings.class);
    }

    static CdartsSearchSettings cdarts() {
        return Defaults.settings(ComponentKind.STRATEGY, "cdarts", CdartsSearchSettings.class);
    }

    static DartsSearchSettings darts() {
        return Defaults.settings(ComponentKind.STRATEGY, "darts", DartsSearchSettings.class);
    }
}
