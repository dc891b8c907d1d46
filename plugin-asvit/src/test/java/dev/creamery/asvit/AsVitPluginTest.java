package dev.creamery.asvit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.api.ComponentKind;
import dev.creamery.api.Plugin;
import dev.creamery.testkit.Defaults;
import dev.creamery.testkit.PluginContract;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plugin registers its components, and reference.conf holds exactly their settings, valid as they are. */
class AsVitPluginTest extends PluginContract {
    @Override
    protected Class<? extends Plugin> plugin() {
        return AsVitPlugin.class;
    }

    @Override
    protected Set<String> components() {
        return Set.of("space asvit", "family asvit", "evaluator ntk-condition", "evaluator length-distortion",
                "evaluator training-free", "strategy reinforce", "strategy grow");
    }

    /** The official search's schedule: 500 REINFORCE steps, learning rate 0.08, baseline momentum 0.9. */
    @Test
    void reinforceDefaultsAreTheOfficialSchedule() {
        ReinforceSettings reinforce = Defaults.settings(ComponentKind.STRATEGY, "reinforce", ReinforceSettings.class);
        assertThat(reinforce.steps()).isEqualTo(500);
        assertThat(reinforce.learningRate()).isEqualTo(0.08);
        assertThat(reinforce.emaMomentum()).isEqualTo(0.9);
    }
}
