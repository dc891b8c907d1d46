package dev.creamery.runtime.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.creamery.api.Batch;
import dev.creamery.api.DataException;
import dev.creamery.api.ImageSplit;
import dev.creamery.api.Progress;
import dev.creamery.runtime.train.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Fills a {@link LogitStore}: runs the teacher over the augmented training split of each epoch,
 * exactly as the training loop will augment it, and stores each example's augmentation seed and
 * top-k probabilities. It also checks a store by running the teacher again on random entries.
 */
public final class LogitSaver {
    private static final int BATCH = 256;

    private final ImageSplit train;
    private final Teacher teacher;
    private final LogitStore store;
    private final long seed;
    private final NDManager manager;
    private final Progress progress;

    /**
     * @param train the training split (with its augmentation)
     * @param teacher the teacher
     * @param store where the soft labels go
     * @param seed the job seed
     * @param manager batches use sub-managers of it
     * @param progress where progress goes
     */
    public LogitSaver(ImageSplit train, Teacher teacher, LogitStore store, long seed, NDManager manager, Progress progress) {
        this.train = train;
        this.teacher = teacher;
        this.store = store;
        this.seed = seed;
        this.manager = manager;
        this.progress = progress;
    }

    /**
     * Stores epochs {@code first..last}; epochs already stored (by this or another process) are
     * kept as they are.
     *
     * @param first the first epoch, from 1
     * @param last the last epoch
     * @return the epochs written by this call
     */
    public List<Integer> save(int first, int last) {
        List<Integer> written = new ArrayList<>();
        int k = store.manifest().topK();
        int batches = (train.size() + BATCH - 1) / BATCH;
        for (int epoch = first; epoch <= last; epoch++) {
            if (store.isStored(epoch)) {
                progress.note("epoch " + epoch + " is already stored in " + store.file(epoch) + "; kept");
                continue;
            }
            try (LogitStore.Writer writer = store.writer(epoch);
                    Progress.Tracker tracker = progress.start("save-logits epoch " + epoch + " (" + first + "-" + last + ")", batches,
                            "step")) {
                for (int start = 0; start < train.size(); start += BATCH) {
                    int[] indices = range(start, Math.min(train.size(), start + BATCH));
                    long[] seeds = seeds(epoch, indices);
                    Teacher.TopK top;
                    try (NDManager scope = manager.newSubManager()) {
                        top = Teacher.topK(teacher.probabilities(train.batch(scope, indices, seeds).images()), k);
                    }
                    for (int i = 0; i < indices.length; i++) {
                        writer.append(seeds[i], Arrays.copyOfRange(top.indices(), i * k, (i + 1) * k),
                                Arrays.copyOfRange(top.values(), i * k, (i + 1) * k));
                    }
                    tracker.advance(1, String.format(Locale.ROOT, "%,d images", start + indices.length));
                }
                writer.commit();
            }
            written.add(epoch);
            progress.note(String.format(Locale.ROOT, "epoch %d stored: %s (%,d bytes)", epoch, store.file(epoch),
                    store.epochFileSize()));
        }
        return written;
    }

    /**
     * Checks epochs {@code first..last}: that each is stored, its file's size and checksum, and
     * {@code samples} random entries recomputed with the teacher (the same classes, the same
     * probabilities up to float16 rounding, the seed the training loop derives).
     *
     * @param first the first epoch
     * @param last the last epoch
     * @param samples entries to recompute per epoch (all if at least the split's size)
     * @param random picks the entries
     * @return one line per problem, each naming the file; empty if all is well
     */
    public List<String> check(int first, int last, int samples, Random random) {
        List<String> problems = new ArrayList<>();
        for (int epoch = first; epoch <= last; epoch++) {
            if (!store.isStored(epoch)) {
                problems.add(store.file(epoch) + ": not stored (yet); fill it with 'creamery save-logits JOB.conf --epochs " + epoch + "'");
                continue;
            }
            int before = problems.size();
            try (LogitStore.Reader reader = store.reader(epoch)) {
                if (!reader.checksumMatches()) {
                    problems.add(reader.path() + ": the checksum does not match (the file is damaged); delete it and save the epoch again");
                    continue;
                }
                int[] picked = pick(samples, random);
                for (int start = 0; start < picked.length; start += BATCH) {
                    checkBatch(epoch, reader, Arrays.copyOfRange(picked, start, Math.min(picked.length, start + BATCH)),
                            problems);
                }
                progress.note(String.format(Locale.ROOT, "epoch %d: %d entries of %s checked, %s", epoch, picked.length,
                        reader.path().getFileName(), problems.size() == before ? "all match" : (problems.size() - before) + " differ"));
            } catch (DataException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    private void checkBatch(int epoch, LogitStore.Reader reader, int[] indices, List<String> problems) {
        int k = store.manifest().topK();
        LogitStore.Entry[] entries = new LogitStore.Entry[indices.length];
        long[] seeds = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            entries[i] = reader.entry(indices[i]);
            seeds[i] = entries[i].seed();
        }
        float[] probabilities;
        Teacher.TopK top;
        try (NDManager scope = manager.newSubManager()) {
            Batch batch = train.batch(scope, indices, seeds);
            NDArray p = teacher.probabilities(batch.images());
            probabilities = p.toFloatArray();
            top = Teacher.topK(p, k);
        }
        int classes = store.manifest().classes();
        for (int i = 0; i < indices.length; i++) {
            String problem = compare(epoch, indices[i], entries[i], top, i, probabilities, i * classes);
            if (problem != null) {
                problems.add(reader.path() + ": entry " + indices[i] + " " + problem);
            }
        }
    }

    /** @return what is wrong with a stored entry, or null if it matches the teacher */
    private String compare(int epoch, int index, LogitStore.Entry entry, Teacher.TopK top, int row, float[] probabilities, int offset) {
        if (entry.seed() != Seeds.augmentation(seed, epoch, index)) {
            return "has the augmentation seed " + entry.seed() + ", the training loop uses " + Seeds.augmentation(seed, epoch, index);
        }
        int k = top.k();
        for (int j = 0; j < k; j++) {
            int stored = entry.classes()[j];
            int recomputed = top.indices()[row * k + j];
            float value = top.values()[row * k + j];
            float tolerance = Float16.roundingError(value) + 1e-6f;
            // Classes may trade places only if the teacher finds them equally likely.
            if (stored != recomputed && (stored >= store.manifest().classes()
                    || Math.abs(probabilities[offset + stored] - value) > tolerance)) {
                return String.format(Locale.ROOT, "ranks class %d at place %d, the teacher class %d", stored, j + 1, recomputed);
            }
            if (Math.abs(entry.probabilities()[j] - value) > tolerance) {
                return String.format(Locale.ROOT, "has probability %.6f at place %d, the teacher %.6f", entry.probabilities()[j], j + 1,
                        value);
            }
        }
        return null;
    }

    private int[] pick(int samples, Random random) {
        if (samples >= train.size()) {
            return range(0, train.size());
        }
        int[] all = range(0, train.size());
        for (int i = 0; i < samples; i++) {
            int j = i + random.nextInt(all.length - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] picked = Arrays.copyOf(all, samples);
        Arrays.sort(picked);
        return picked;
    }

    private long[] seeds(int epoch, int[] indices) {
        long[] seeds = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            seeds[i] = Seeds.augmentation(seed, epoch, indices[i]);
        }
        return seeds;
    }

    private static int[] range(int from, int to) {
        int[] indices = new int[to - from];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = from + i;
        }
        return indices;
    }
}
