package dev.creamery.runtime.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SoftLabelsTest {
    @Test
    void keptClassesKeepTheirProbabilityAndTheOthersShareTheRest() {
        // Two examples, 5 classes, k = 2: 0.6 and 0.3 kept, 0.1 shared by three classes.
        float[] dense = SoftLabels.dense(new float[] {0.6f, 0.3f, 0.5f, 0.5f}, new int[] {3, 0, 1, 4}, 2, 5);
        float third = (float) (0.1 / 3);
        assertThat(dense).containsExactly(new float[] {0.3f, third, third, 0.6f, third, 0f, 0.5f, 0f, 0f, 0.5f}, within(1e-7f));
        for (int row = 0; row < 2; row++) {
            double sum = 0;
            for (int c = 0; c < 5; c++) {
                sum += dense[row * 5 + c];
            }
            assertThat(sum).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void keepingEveryClassKeepsTheTeachersDistribution() {
        assertThat(SoftLabels.dense(new float[] {0.7f, 0.2f, 0.1f}, new int[] {2, 0, 1}, 3, 3)).containsExactly(0.2f, 0.1f, 0.7f);
        assertThatThrownBy(() -> SoftLabels.dense(new float[] {0.5f, 0.5f}, new int[] {0, 1}, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k <= classes");
    }
}
