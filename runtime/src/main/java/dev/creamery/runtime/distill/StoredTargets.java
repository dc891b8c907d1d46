package dev.creamery.runtime.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.creamery.api.Batch;
import dev.creamery.api.DataException;
import dev.creamery.api.SoftTargets;

/**
 * Soft targets read from a {@link LogitStore}: the teacher does not run. Each example's stored
 * augmentation seed must be the one the training loop drew its augmentation from, so the student
 * sees exactly the image the teacher saw.
 */
public final class StoredTargets implements SoftTargets {
    private final LogitStore store;
    private LogitStore.Reader reader;
    private int readerEpoch;

    /** @param store a store holding every epoch the training will run */
    public StoredTargets(LogitStore store) {
        this.store = store;
    }

    @Override
    public NDArray of(NDManager scope, int epoch, Batch batch, long[] augmentationSeeds) {
        if (reader == null || readerEpoch != epoch) {
            close();
            reader = store.reader(epoch);
            readerEpoch = epoch;
        }
        int k = store.manifest().topK();
        int[] indices = batch.indices();
        float[] values = new float[indices.length * k];
        int[] classes = new int[indices.length * k];
        for (int i = 0; i < indices.length; i++) {
            LogitStore.Entry entry = reader.entry(indices[i]);
            if (entry.seed() != augmentationSeeds[i]) {
                throw new DataException(reader.path() + ": entry " + indices[i] + " was saved for the augmentation seed " + entry.seed()
                        + " but training draws " + augmentationSeeds[i] + "; save the logits again with this job");
            }
            System.arraycopy(entry.probabilities(), 0, values, i * k, k);
            System.arraycopy(entry.classes(), 0, classes, i * k, k);
        }
        return SoftLabels.dense(scope, values, classes, k, store.manifest().classes());
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
