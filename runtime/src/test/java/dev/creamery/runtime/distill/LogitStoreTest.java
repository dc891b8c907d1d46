package dev.creamery.runtime.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creamery.api.DataException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogitStoreTest {
    private static final StoreManifest MANIFEST = new StoreManifest(StoreManifest.FORMAT, "teacher.json", "depth=1", "abc", 3, 300, 5,
            42, "{\"type\":\"synthetic\"}");

    @TempDir
    Path dir;

    private static long seed(int epoch, int index) {
        return epoch * 1_000_003L - index * 7L;
    }

    private static int[] classes(int epoch, int index) {
        return new int[] {(index * 31 + epoch) % 300, 299, 257};
    }

    private static float[] probabilities(int index) {
        return new float[] {0.5f + index * 0.01f, 0.123456f, 1e-5f};
    }

    private static void fill(LogitStore store, int epoch) {
        try (LogitStore.Writer writer = store.writer(epoch)) {
            for (int i = 0; i < MANIFEST.trainSize(); i++) {
                writer.append(seed(epoch, i), classes(epoch, i), probabilities(i));
            }
            writer.commit();
        }
    }

    @Test
    void recordsReadBackExactlyAndValuesWithinFloat16Rounding() throws Exception {
        LogitStore store = LogitStore.create(dir, MANIFEST);
        fill(store, 2);
        // 32-byte header, 5 records of 8 + 3 * 2 + 3 * 2 bytes, 4-byte checksum.
        assertThat(Files.size(store.file(2))).isEqualTo(32 + 5 * 20 + 4).isEqualTo(store.epochFileSize());
        assertThat(store.file(2).getFileName().toString()).isEqualTo("epoch-0002.logits");
        try (LogitStore.Reader reader = LogitStore.open(dir, MANIFEST).reader(2)) {
            assertThat(reader.checksumMatches()).isTrue();
            for (int i = 4; i >= 0; i--) {
                LogitStore.Entry entry = reader.entry(i);
                assertThat(entry.seed()).isEqualTo(seed(2, i));
                assertThat(entry.classes()).containsExactly(classes(2, i));
                for (int j = 0; j < 3; j++) {
                    float expected = probabilities(i)[j];
                    assertThat(entry.probabilities()[j]).isEqualTo(Float16.toFloat(Float16.fromFloat(expected)));
                    assertThat(Math.abs(entry.probabilities()[j] - expected)).isLessThanOrEqualTo(Float16.roundingError(expected));
                }
            }
        }
        assertThat(store.isStored(1)).isFalse();
    }

    @Test
    void epochRangesFillOneStoreInParallel() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> saves = List.of(pool.submit(() -> List.of(1, 2, 3).forEach(e -> fill(LogitStore.create(dir, MANIFEST), e))),
                    pool.submit(() -> List.of(4, 5, 6).forEach(e -> fill(LogitStore.create(dir, MANIFEST), e))));
            for (Future<?> save : saves) {
                save.get();
            }
        } finally {
            pool.shutdown();
        }
        LogitStore store = LogitStore.open(dir, MANIFEST);
        for (int epoch = 1; epoch <= 6; epoch++) {
            try (LogitStore.Reader reader = store.reader(epoch)) {
                assertThat(reader.checksumMatches()).isTrue();
                assertThat(reader.entry(3).seed()).isEqualTo(seed(epoch, 3));
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).hasSize(7).contains(LogitStore.MANIFEST)
                    .noneMatch(name -> name.endsWith(".part"));
        }
    }

    @Test
    void aStoreForAnotherJobIsRefusedNamingWhatDiffers() {
        LogitStore.create(dir, MANIFEST);
        StoreManifest otherK = new StoreManifest(StoreManifest.FORMAT, "teacher.json", "depth=1", "abc", 5, 300, 5, 42,
                MANIFEST.data());
        assertThatThrownBy(() -> LogitStore.create(dir, otherK)).isInstanceOf(DataException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("top-k: the store has 3, the job 5")
                .hasMessageContaining("another folder");
        StoreManifest otherTeacher = new StoreManifest(StoreManifest.FORMAT, "teacher.json", "depth=1", "abd", 3, 300, 5, 42,
                MANIFEST.data());
        assertThatThrownBy(() -> LogitStore.open(dir, otherTeacher)).hasMessageContaining("teacher weights");
        assertThatThrownBy(() -> LogitStore.open(dir.resolve("none"), MANIFEST)).isInstanceOf(DataException.class)
                .hasMessageContaining("save-logits");
    }

    @Test
    void anUnfinishedEpochLeavesNoFileAndIsRedoneFromScratch() throws Exception {
        LogitStore store = LogitStore.create(dir, MANIFEST);
        try (LogitStore.Writer writer = store.writer(1)) {
            writer.append(1, classes(1, 0), probabilities(0));
        }
        assertThat(store.isStored(1)).isFalse();
        assertThat(dir.resolve("epoch-0001.logits.part")).doesNotExist();
        // What a killed process leaves behind is discarded by the next save of that epoch.
        Files.writeString(dir.resolve("epoch-0001.logits.part"), "partial");
        fill(store, 1);
        assertThat(dir.resolve("epoch-0001.logits.part")).doesNotExist();
        try (LogitStore.Reader reader = store.reader(1)) {
            assertThat(reader.checksumMatches()).isTrue();
        }
    }

    @Test
    void truncatedAndDamagedFilesAreDetected() throws Exception {
        LogitStore store = LogitStore.create(dir, MANIFEST);
        fill(store, 1);
        fill(store, 2);
        try (RandomAccessFile file = new RandomAccessFile(store.file(1).toFile(), "rw")) {
            file.setLength(file.length() - 7);
        }
        assertThatThrownBy(() -> store.reader(1)).isInstanceOf(DataException.class).hasMessageContaining("epoch-0001.logits")
                .hasMessageContaining("truncated");
        try (RandomAccessFile file = new RandomAccessFile(store.file(2).toFile(), "rw")) {
            file.seek(40);
            file.write(file.read() ^ 1);
        }
        try (LogitStore.Reader reader = store.reader(2)) {
            assertThat(reader.checksumMatches()).isFalse();
        }
        assertThatThrownBy(() -> store.reader(3)).isInstanceOf(DataException.class).hasMessageContaining("--epochs 3");
    }
}
