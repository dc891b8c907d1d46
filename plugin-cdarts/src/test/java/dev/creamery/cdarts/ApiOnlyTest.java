package dev.creamery.cdarts;

import dev.creamery.testkit.ApiOnly;
import org.junit.jupiter.api.Test;

/** This plugin uses the API only (plus DJL): it is an independent jar. */
class ApiOnlyTest {
    @Test
    void usesTheApiOnly() {
        ApiOnly.check(ApiOnlyTest.class.getPackageName());
    }
}
