package dev.creamery.engine;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/**
 * The two switches over oneDNN that DJL does not offer, reached through the native libraries.
 * oneDNN reads {@code ONEDNN_MAX_CPU_ISA} from the C environment when it first dispatches a kernel;
 * a JVM cannot change its own environment, but libc's {@code setenv} can, before the engine loads.
 * Turning oneDNN off is PyTorch's {@code torch.backends.mkldnn.enabled = False}, a method of
 * {@code at::globalContext()} exported by libtorch_cpu.
 */
final class OneDnn {
    private static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

    private OneDnn() {}

    /**
     * Applies a setting to this process. A cap must come before the engine's first convolution; the
     * switch to PyTorch's kernels loads the engine's libraries first.
     *
     * @param setting the setting
     */
    static void apply(ConvolutionSetting setting) {
        if (setting.instructionSetCap() != null) {
            int status = NativeLibrary.getInstance("c").getFunction("setenv")
                    .invokeInt(new Object[] {ISA_VARIABLE, setting.instructionSetCap(), 1});
            if (status != 0) {
                throw new IllegalStateException("setenv(" + ISA_VARIABLE + ") failed");
            }
        } else if (setting == ConvolutionSetting.NO_ONEDNN) {
            LibUtils.loadLibrary();
            NativeLibrary torch = NativeLibrary.getInstance(
                    Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("torch_cpu")).toString());
            Pointer context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            torch.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb").invoke(Void.class, new Object[] {context, Boolean.FALSE});
            Function enabled = torch.getFunction("_ZNK2at7Context17userEnabledMkldnnEv");
            if ((enabled.invokeInt(new Object[] {context}) & 0xff) != 0) {
                throw new IllegalStateException("PyTorch kept oneDNN on");
            }
        }
    }

    /** @return the instruction-set cap this process's environment sets for oneDNN, or null */
    static String capFromEnvironment() {
        return System.getenv(ISA_VARIABLE);
    }
}
