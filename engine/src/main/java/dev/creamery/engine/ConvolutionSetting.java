package dev.creamery.engine;

import java.util.List;

/**
 * How the engine computes float32 convolutions. PyTorch hands them to oneDNN, whose kernels are
 * chosen by the instruction set of the CPU; on some processors some of those kernels are wrong, and
 * capping the instruction set oneDNN may use avoids them. The settings are ordered from fastest to
 * most conservative; the engine check takes the first that computes every checked convolution
 * correctly.
 */
public enum ConvolutionSetting {
    /** oneDNN at the CPU's own instruction set. */
    DEFAULT(null),
    /** oneDNN capped at AVX-512 (no VNNI, BF16 or AMX kernels). */
    AVX512_CORE("AVX512_CORE"),
    /** oneDNN capped at AVX2. */
    AVX2("AVX2"),
    /** oneDNN capped at SSE4.1: its oldest x86 kernels. */
    SSE41("SSE41"),
    /** oneDNN off: PyTorch's own convolution kernels (much slower, last resort). */
    NO_ONEDNN(null);

    /** The order in which the check tries the settings. */
    public static final List<ConvolutionSetting> LADDER = List.of(values());

    private final String isa;

    ConvolutionSetting(String isa) {
        this.isa = isa;
    }

    /** @return the value of {@code ONEDNN_MAX_CPU_ISA} this setting needs, or null if it sets none */
    String instructionSetCap() {
        return isa;
    }

    /** @return how the setting reads in messages */
    public String describe() {
        return switch (this) {
            case DEFAULT -> "oneDNN at this CPU's instruction set";
            case NO_ONEDNN -> "PyTorch's own convolution kernels (oneDNN off)";
            default -> "oneDNN capped at " + isa;
        };
    }
}
