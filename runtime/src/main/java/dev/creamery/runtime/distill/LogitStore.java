package dev.creamery.runtime.distill;

import dev.creamery.api.DataException;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * A folder of a teacher's sparse soft labels: {@code manifest.json} and one file per epoch,
 * {@code epoch-NNNN.logits}, holding for every training example (in index order) the seed of its
 * augmentation and the teacher's k most probable classes with their probabilities. Epochs are
 * independent, so processes may fill disjoint epoch ranges of one store at the same time; an epoch
 * file appears (by an atomic rename) only when it is complete. The byte layout is documented in
 * docs/distillation.md.
 */
public final class LogitStore {
    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";
    /** Bytes before the first record. */
    static final int HEADER = 32;
    /** Bytes after the last record (the checksum). */
    static final int TRAILER = 4;
    private static final byte[] MAGIC = "CRMLOGIT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private final Path folder;
    private final StoreManifest manifest;

    private LogitStore(Path folder, StoreManifest manifest) {
        this.folder = folder;
        this.manifest = manifest;
    }

    /**
     * Opens a store for a job, creating the folder and its manifest if they do not exist yet.
     *
     * @param folder the store folder
     * @param expected what the job would store
     * @return the store
     * @throws DataException if the folder holds a store for another teacher, k, data or seed
     */
    public static LogitStore create(Path folder, StoreManifest expected) {
        Path file = folder.resolve(MANIFEST);
        try {
            Files.createDirectories(folder);
            if (!Files.exists(file)) {
                Path temp = folder.resolve(MANIFEST + "." + UUID.randomUUID() + ".part");
                try {
                    expected.write(temp);
                    // A link, unlike a rename, fails if another process created the manifest first.
                    Files.createLink(file, temp);
                } catch (FileAlreadyExistsException e) {
                    // That process's manifest is compared below like any other.
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException e) {
            throw new DataException("cannot create the logit store " + folder + ": " + e.getMessage(), e);
        }
        return open(folder, expected);
    }

    /**
     * @param folder an existing store
     * @param expected what the job expects it to hold
     * @return the store
     * @throws DataException if there is no store or it was filled for another job
     */
    public static LogitStore open(Path folder, StoreManifest expected) {
        Path file = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new DataException("there is no logit store in " + folder + " (no " + MANIFEST + "); fill it with "
                    + "'creamery save-logits JOB.conf' first");
        }
        StoreManifest stored = StoreManifest.read(file);
        var differences = stored.differences(expected);
        if (!differences.isEmpty()) {
            throw new DataException("the logit store " + folder + " was filled for another job (" + String.join("; ", differences)
                    + "); point distillation.store at another folder, or delete this one and save the logits again");
        }
        return new LogitStore(folder, stored);
    }

    /** @return the manifest */
    public StoreManifest manifest() {
        return manifest;
    }

    /**
     * @param epoch an epoch, from 1
     * @return its file (it may not exist yet)
     */
    public Path file(int epoch) {
        return folder.resolve(String.format(Locale.ROOT, "epoch-%04d.logits", epoch));
    }

    /**
     * @param epoch an epoch
     * @return whether its file is complete (it exists; a partial write never has the final name)
     */
    public boolean isStored(int epoch) {
        return Files.isRegularFile(file(epoch));
    }

    /** @return the size of a complete epoch file in bytes */
    public long epochFileSize() {
        return HEADER + (long) manifest.trainSize() * recordSize() + TRAILER;
    }

    private int recordSize() {
        return Long.BYTES + 4 * manifest.topK();
    }

    /**
     * Starts writing an epoch; a partial file a killed save left behind is discarded.
     *
     * @param epoch the epoch
     * @return a writer to append every example to, in index order, then {@link Writer#commit()}
     */
    public Writer writer(int epoch) {
        try {
            return new Writer(epoch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(epoch), e);
        }
    }

    /**
     * @param epoch a stored epoch
     * @return a reader of its records
     * @throws DataException if the file is missing, truncated or not an epoch file of this store
     */
    public Reader reader(int epoch) {
        return new Reader(epoch);
    }

    /** One example's record. */
    public record Entry(long seed, int[] classes, float[] probabilities) {}

    /** Writes one epoch to a temporary file and renames it into place when complete. */
    public final class Writer implements AutoCloseable {
        private final int epoch;
        private final Path part;
        private final FileOutputStream file;
        private final OutputStream out;
        private final CRC32C checksum = new CRC32C();
        private final ByteBuffer record = ByteBuffer.allocate(recordSize()).order(ByteOrder.LITTLE_ENDIAN);
        private int written;
        private boolean committed;

        private Writer(int epoch) throws IOException {
            this.epoch = epoch;
            this.part = folder.resolve(file(epoch).getFileName() + ".part");
            Files.deleteIfExists(part);
            this.file = new FileOutputStream(Files.createFile(part).toFile());
            this.out = new BufferedOutputStream(file, 1 << 16);
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            header.put(MAGIC).putInt(VERSION).putInt(epoch).putInt(manifest.topK()).putInt(manifest.classes())
                    .putInt(manifest.trainSize()).putInt(recordSize());
            write(header.array());
        }

        /**
         * @param seed the augmentation seed of the next example
         * @param classes its k classes, most probable first
         * @param probabilities their probabilities (rounded to float16 here)
         */
        public void append(long seed, int[] classes, float[] probabilities) {
            int k = manifest.topK();
            if (classes.length != k || probabilities.length != k || written >= manifest.trainSize()) {
                throw new IllegalStateException("record " + written + " of " + part + " does not fit the store");
            }
            record.clear();
            record.putLong(seed);
            for (int c : classes) {
                record.putShort((short) c);
            }
            for (float p : probabilities) {
                record.putShort(Float16.fromFloat(p));
            }
            try {
                write(record.array());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + part, e);
            }
            written++;
        }

        private void write(byte[] bytes) throws IOException {
            checksum.update(bytes);
            out.write(bytes);
        }

        /** Finishes the file: checksum, flush to disk, rename to the epoch's name. */
        public void commit() {
            if (written != manifest.trainSize()) {
                throw new IllegalStateException(part + " has " + written + " of " + manifest.trainSize() + " records");
            }
            try {
                byte[] trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN).putInt((int) checksum.getValue()).array();
                out.write(trailer);
                out.flush();
                file.getChannel().force(true);
                out.close();
                Files.move(part, file(epoch), StandardCopyOption.ATOMIC_MOVE);
                committed = true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot finish " + file(epoch), e);
            }
        }

        /** Discards the partial file unless the epoch was committed. */
        @Override
        public void close() {
            if (committed) {
                return;
            }
            try {
                out.close();
                Files.deleteIfExists(part);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the partial file " + part, e);
            }
        }
    }

    /** Random access to the records of one epoch file. */
    public final class Reader implements AutoCloseable {
        private final Path path;
        private final FileChannel channel;

        private Reader(int epoch) {
            this.path = file(epoch);
            if (!Files.isRegularFile(path)) {
                throw new DataException("the logit store has no epoch " + epoch + " (" + path + "); fill it with "
                        + "'creamery save-logits JOB.conf --epochs " + epoch + "'");
            }
            try {
                this.channel = FileChannel.open(path, StandardOpenOption.READ);
                checkHeader(epoch);
            } catch (IOException e) {
                throw new DataException("cannot read " + path + ": " + e.getMessage(), e);
            }
        }

        private void checkHeader(int epoch) throws IOException {
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            if (size >= HEADER) {
                channel.read(header, 0);
            }
            header.flip();
            byte[] magic = new byte[MAGIC.length];
            boolean valid = header.remaining() == HEADER;
            if (valid) {
                header.get(magic);
                valid = Arrays.equals(magic, MAGIC) && header.getInt() == VERSION && header.getInt() == epoch
                        && header.getInt() == manifest.topK() && header.getInt() == manifest.classes()
                        && header.getInt() == manifest.trainSize() && header.getInt() == recordSize();
            }
            if (!valid) {
                close();
                throw new DataException(path + " is not epoch " + epoch + " of this store (its header does not match "
                        + MANIFEST + "); delete it and save the epoch again");
            }
            if (size != epochFileSize()) {
                close();
                throw new DataException(path + " is truncated or damaged: " + size + " bytes, expected " + epochFileSize()
                        + "; delete it and save the epoch again");
            }
        }

        /**
         * @param index a training example
         * @return its record
         */
        public Entry entry(int index) {
            int k = manifest.topK();
            ByteBuffer record = ByteBuffer.allocate(recordSize()).order(ByteOrder.LITTLE_ENDIAN);
            try {
                channel.read(record, HEADER + (long) index * recordSize());
            } catch (IOException e) {
                throw new DataException("cannot read " + path + ": " + e.getMessage(), e);
            }
            record.flip();
            long seed = record.getLong();
            int[] classes = new int[k];
            float[] probabilities = new float[k];
            for (int j = 0; j < k; j++) {
                classes[j] = Short.toUnsignedInt(record.getShort());
            }
            for (int j = 0; j < k; j++) {
                probabilities[j] = Float16.toFloat(record.getShort());
            }
            return new Entry(seed, classes, probabilities);
        }

        /** @return whether the stored checksum matches the bytes (reads the whole file) */
        public boolean checksumMatches() {
            CRC32C checksum = new CRC32C();
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            long end = epochFileSize() - TRAILER;
            try {
                for (long position = 0; position < end; ) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                    int read = channel.read(buffer, position);
                    buffer.flip();
                    checksum.update(buffer);
                    position += read;
                }
                ByteBuffer trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN);
                channel.read(trailer, end);
                return trailer.flip().getInt() == (int) checksum.getValue();
            } catch (IOException e) {
                throw new DataException("cannot read " + path + ": " + e.getMessage(), e);
            }
        }

        /** @return the file */
        public Path path() {
            return path;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
