package dev.creamery.autoformer;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.creamery.api.FitOptions;
import dev.creamery.api.Progress;
import dev.creamery.api.Split;
import dev.creamery.api.Task;
import dev.creamery.api.TrainingReport;
import dev.creamery.api.TrainingSettings;
import dev.creamery.runtime.data.Augmentation;
import dev.creamery.runtime.data.FashionMnist;
import dev.creamery.runtime.train.TrainingLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScratchRecipeTest {
    @Test
    void recipe() throws Exception {
        String[] cfg = System.getenv("RECIPE").split(";");
        int patch = Integer.parseInt(cfg[0]);
        int embed = Integer.parseInt(cfg[1]);
        int depth = Integer.parseInt(cfg[2]);
        double ratio = Double.parseDouble(cfg[3]);
        int heads = Integer.parseInt(cfg[4]);
        int headDim = Integer.parseInt(cfg[5]);
        boolean rel = Boolean.parseBoolean(cfg[6]);
        int epochs = Integer.parseInt(cfg[7]);
        double lr = Double.parseDouble(cfg[8]);
        int batch = Integer.parseInt(cfg[9]);
        double smoothing = Double.parseDouble(cfg[10]);
        int trainSize = Integer.parseInt(cfg[11]);
        double warm = Double.parseDouble(cfg[12]);
        FashionMnist data = new FashionMnist(new FashionMnist.Settings(Path.of("/usr/share/datasets/fashion-mnist"), 5000, trainSize, 0, 0,
                List.of(0.286), List.of(0.353), new Augmentation(Integer.parseInt(cfg[13]), Boolean.parseBoolean(cfg[14]))));
        Task task = data.task();
        double[] ratios = new double[depth];
        int[] hs = new int[depth];
        java.util.Arrays.fill(ratios, ratio);
        java.util.Arrays.fill(hs, heads);
        AutoFormerNetwork net = AutoFormerSpace.standalone(new Structure(patch, headDim, rel, 28 / patch, true),
                new Subnet(embed, depth, ratios, hs), task, 0.0);
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, task.inputShape(1));
            Path dir = Files.createTempDirectory("recipe");
            TrainingLoop loop = new TrainingLoop(data, m, 42, dir, new Progress() {
                public Tracker start(String a, long t, String u) {
                    return new Tracker() {
                        public void advance(long units, String status) {}
                        public void close() {}
                    };
                }
                public void note(String message) { System.out.println(message); }
            });
            TrainingSettings s = new TrainingSettings(epochs, batch, TrainingSettings.OptimizerKind.ADAMW, lr, 1e-5, warm, 1e-6, 0.05, 0.9,
                    smoothing, 5.0, 0);
            TrainingReport r = loop.fit(net, s, FitOptions.named("x").validateEachEpoch());
            System.out.printf("RESULT %s params=%d img/s=%.0f secs=%.0f val=%s test=%.4f%n", System.getenv("RECIPE"), net.params(),
                    r.imagesPerSecond(), r.seconds(), r.epochs().stream().map(e -> String.format("%.4f", e.validationAccuracy())).toList(),
                    loop.evaluate(net, Split.TEST).top1());
        }
    }
}
