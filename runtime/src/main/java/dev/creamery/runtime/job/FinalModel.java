package dev.creamery.runtime.job;

import ai.djl.nn.Block;
import dev.creamery.api.Accuracy;
import dev.creamery.api.FitOptions;
import dev.creamery.api.Split;
import dev.creamery.api.StateDict;
import dev.creamery.api.TrainingReport;
import dev.creamery.api.TrainingSettings;
import dev.creamery.api.TrialFailedException;
import dev.creamery.runtime.io.OutputException;
import dev.creamery.runtime.io.Safetensors;
import dev.creamery.runtime.model.ModelDescription;
import dev.creamery.runtime.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The last stretch shared by {@code run} and {@code train}: train a model (resumable), score it on
 * the validation and test splits, export its weights and description.
 */
final class FinalModel {
    private FinalModel() {}

    /**
     * @param validationAccuracy accuracy on the validation split
     * @param testAccuracy accuracy on the test split (NaN if not measured)
     * @param training what training did (null if there was none)
     * @param weights the exported weights (null if not exported)
     */
    record Outcome(double validationAccuracy, double testAccuracy, TrainingReport training, Path weights) {}

    static Outcome complete(Block model, TrainingLoop loop, TrainingSettings training, FitOptions options, boolean test, boolean export,
            RunFolder folder, ModelDescription description) {
        TrainingReport report = null;
        if (training.epochs() > 0) {
            try {
                report = loop.fit(model, training, options.checkpointed().validateEachEpoch());
            } catch (TrialFailedException e) {
                throw new RunFailedException(e.getMessage());
            }
        }
        Accuracy validation = loop.evaluate(model, Split.VALIDATION);
        double testAccuracy = test ? loop.evaluate(model, Split.TEST).top1() : Double.NaN;
        Path weights = null;
        if (export) {
            weights = folder.path().resolve("model.safetensors");
            try {
                Safetensors.write(weights, StateDict.tensors(model));
            } catch (IOException e) {
                throw new OutputException(weights, "cannot export the model", e);
            }
            Path json = folder.path().resolve("model.json");
            try {
                description.write(json);
            } catch (IOException e) {
                throw new OutputException(json, "cannot export the model's description", e);
            }
        }
        return new Outcome(validation.top1(), testAccuracy, report, weights);
    }
}
