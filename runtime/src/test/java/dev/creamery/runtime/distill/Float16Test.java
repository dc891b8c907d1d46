package dev.creamery.runtime.distill;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Float16Test {
    @Test
    void knownValuesRoundToNearestEven() {
        assertThat(Float16.fromFloat(1f)).isEqualTo((short) 0x3C00);
        assertThat(Float16.fromFloat(0.1f)).isEqualTo((short) 0x2E66);
        assertThat(Float16.fromFloat(-2f)).isEqualTo((short) 0xC000);
        assertThat(Float16.fromFloat(65504f)).isEqualTo((short) 0x7BFF);
        assertThat(Float16.fromFloat(65520f)).isEqualTo((short) 0x7C00);
        assertThat(Float16.fromFloat(0x1p-24f)).isEqualTo((short) 0x0001);
        assertThat(Float16.fromFloat(0x1p-25f)).isEqualTo((short) 0x0000);
        assertThat(Float16.fromFloat(2049f)).isEqualTo(Float16.fromFloat(2048f));
        assertThat(Float16.fromFloat(2051f)).isEqualTo(Float16.fromFloat(2052f));
        assertThat(Float16.toFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(Float16.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    }

    @Test
    void everyHalfValueSurvivesARoundTrip() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            float value = Float16.toFloat((short) bits);
            if (!Float.isNaN(value)) {
                assertThat(Float16.fromFloat(value)).as("0x%04x", bits).isEqualTo((short) bits);
            }
        }
    }

    @Test
    void matchesPyTorchAndStaysWithinTheRoundingError() {
        Random random = new Random(5);
        float[] values = new float[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.pow(random.nextFloat(), 8);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray half = manager.create(values).toType(DataType.FLOAT16, false);
            ByteBuffer bytes = half.toByteBuffer().order(ByteOrder.nativeOrder());
            for (float value : values) {
                short expected = bytes.getShort();
                assertThat(Float16.fromFloat(value)).as("%s", value).isEqualTo(expected);
                assertThat(Math.abs(Float16.toFloat(expected) - value)).isLessThanOrEqualTo(Float16.roundingError(value));
            }
        }
    }
}
