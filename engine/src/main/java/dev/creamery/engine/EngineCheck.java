package dev.creamery.engine;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineProvider;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the engine compute float32 convolutions correctly on this CPU before anything can use it.
 *
 * <p>PyTorch's oneDNN picks its convolution kernels by the CPU's instruction set, and on some
 * processors some of them are wrong (on one AVX-512 EPYC a 24-to-48-channel 3x3 stride-2
 * convolution is off by 40%, which breaks every convolutional model). Which kernels fail depends on
 * the CPU, so the check asks the CPU: the first time this engine runs on a CPU it computes a
 * catalogue of convolutions in a child process under each {@link ConvolutionSetting} in turn, from
 * the fastest, and keeps the first that gets all of them right. The verdict is cached per CPU and
 * engine version ({@link VerdictCache}); later starts only read it.
 *
 * <p>DJL builds its engine providers through {@code ServiceLoader} before any engine exists, so
 * registering this class as one (it names no engine of its own and is never the default) is the one
 * place that runs before the first convolution of every program on the class path: the command
 * line, a test, a benchmark, an embedding application. An instruction-set cap the user set in the
 * environment ({@code ONEDNN_MAX_CPU_ISA}) is taken as given.
 */
public final class EngineCheck implements EngineProvider {
    private static final Logger LOG = LoggerFactory.getLogger(EngineCheck.class);
    private static Verdict verdict;

    /** Applies the verdict for this CPU; DJL calls it once, before any engine loads. */
    public EngineCheck() {
        verdict();
    }

    /** @return the verdict in force in this process, checking and applying it on first call */
    public static synchronized Verdict verdict() {
        if (verdict == null) {
            verdict = decide();
        }
        return verdict;
    }

    private static Verdict decide() {
        String child = System.getProperty(ConvolutionProbe.CHILD_PROPERTY);
        if (child != null) {
            return new Verdict(ConvolutionSetting.valueOf(child), Verdict.Source.CHECKED, 0, 0, "");
        }
        String cap = OneDnn.capFromEnvironment();
        if (cap != null) {
            Verdict fromEnvironment = new Verdict(null, Verdict.Source.ENVIRONMENT, 0, 0, "ONEDNN_MAX_CPU_ISA=" + cap);
            LOG.info("{}", fromEnvironment.explain());
            return fromEnvironment;
        }
        VerdictCache cache = VerdictCache.forThisMachine();
        Verdict found = cache.read().orElse(null);
        if (found == null) {
            LOG.info("checking this CPU's float32 convolutions in the engine (once per CPU and engine version) ...");
            try {
                found = choose(new ChildProbe()::run);
            } catch (UncheckedIOException e) {
                Verdict unchecked = new Verdict(ConvolutionSetting.DEFAULT, Verdict.Source.UNCHECKED, 0, 0, e.getCause().toString());
                LOG.warn("{}", unchecked.explain());
                return unchecked;
            }
            cache.write(found);
            if (found.setting() != ConvolutionSetting.DEFAULT) {
                LOG.warn("{}", found.explain());
            } else {
                LOG.info("{}", found.explain());
            }
        } else if (found.setting() != ConvolutionSetting.DEFAULT) {
            LOG.info("{} (cached verdict in {})", found.explain(), cache.file());
        }
        if (found.setting() == null) {
            LOG.warn("{}", found.explain());
            return found;
        }
        try {
            OneDnn.apply(found.setting());
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("cannot apply '{}' to the engine ({}); float32 convolutions may be wrong on this CPU", found.setting().describe(),
                    e.toString());
        }
        return found;
    }

    /**
     * The widest setting that computes every convolution correctly.
     *
     * @param probe the worst error of the catalogue under one setting
     * @return the verdict: the first correct setting, or no setting if none is correct
     */
    static Verdict choose(Function<ConvolutionSetting, ConvolutionProbe.Finding> probe) {
        ConvolutionProbe.Finding atDefault = null;
        for (ConvolutionSetting setting : ConvolutionSetting.LADDER) {
            ConvolutionProbe.Finding finding = probe.apply(setting);
            if (atDefault == null) {
                atDefault = finding;
            }
            if (finding.correct()) {
                return new Verdict(setting, Verdict.Source.CHECKED, finding.checked(), atDefault.error(), atDefault.where());
            }
        }
        return new Verdict(null, Verdict.Source.CHECKED, atDefault.checked(), atDefault.error(), atDefault.where());
    }

    /**
     * The convolutions the check verifies, as catalogue lines ({@code in out kernel stride padding
     * dilation groups height width}). A jar adds its own in {@code dev/creamery/engine/convolutions.txt};
     * a family's tests check that every convolution its variants run is listed.
     *
     * @return the lines of every catalogue on the class path
     */
    public static Set<String> checkedConvolutions() {
        return ConvolutionProbe.catalogue().stream().map(ConvolutionProbe.Convolution::line)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public String getEngineName() {
        return "CreameryEngineCheck";
    }

    @Override
    public int getEngineRank() {
        return Integer.MAX_VALUE;
    }

    /** @return the PyTorch engine, the one this check prepares */
    @Override
    public Engine getEngine() {
        return Engine.getEngine("PyTorch");
    }
}
