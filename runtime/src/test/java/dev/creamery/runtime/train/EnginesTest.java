package dev.creamery.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnginesTest {
    /**
     * The check the command line runs at start-up: under the build's oneDNN setting a float32
     * convolution agrees with float64 to float32 rounding (on an affected CPU without the setting it
     * is off by tens of percent).
     */
    @Test
    void float32ConvolutionAgreesWithFloat64() {
        assertThat(Engines.convolutionError()).isLessThan(1e-5);
    }
}
