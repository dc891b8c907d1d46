package dev.creamery.runtime;

import static dev.creamery.testkit.Generated.bytes;
import static dev.creamery.testkit.Generated.intBetween;
import static dev.creamery.testkit.Generated.list;
import static dev.creamery.testkit.Generated.longBetween;
import static dev.creamery.testkit.Generated.oneOf;
import static dev.creamery.testkit.Generated.pick;

import dev.creamery.testkit.Generated;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Test helper for property tests: random changes to a file's bytes, and a scratch folder for the files. */
public final class Mutations {
    private static Path scratch;

    private Mutations() {}

    /** One change to a file's bytes; positions are taken modulo the length, so every change applies to every file. */
    public sealed interface Mutation permits Flip, Truncate, Insert, Delete, PutLong, PutInt {
        /**
         * @param bytes a file's content
         * @return the changed content
         */
        byte[] apply(byte[] bytes);
    }

    /** XOR one byte with a mask. */
    public record Flip(int at, int mask) implements Mutation {
        @Override
        public byte[] apply(byte[] bytes) {
            if (bytes.length == 0) {
                return bytes;
            }
            byte[] copy = bytes.clone();
            copy[at % copy.length] ^= (byte) (mask == 0 ? 1 : mask);
            return copy;
        }
    }

    /** Cut the file to a fraction of its length, as a kill or a full disk would. */
    public record Truncate(int permille) implements Mutation {
        @Override
        public byte[] apply(byte[] bytes) {
            return Arrays.copyOf(bytes, (int) ((long) bytes.length * permille / 1000));
        }
    }

    /** Insert bytes. */
    public record Insert(int at, byte[] inserted) implements Mutation {
        @Override
        public byte[] apply(byte[] bytes) {
            int position = at % (bytes.length + 1);
            byte[] copy = new byte[bytes.length + inserted.length];
            System.arraycopy(bytes, 0, copy, 0, position);
            System.arraycopy(inserted, 0, copy, position, inserted.length);
            System.arraycopy(bytes, position, copy, position + inserted.length, bytes.length - position);
            return copy;
        }

        @Override
        public String toString() {
            return "Insert[at=" + at + ", inserted=" + Arrays.toString(inserted) + "]";
        }
    }

    /** Delete bytes. */
    public record Delete(int at, int count) implements Mutation {
        @Override
        public byte[] apply(byte[] bytes) {
            int position = at % (bytes.length + 1);
            int end = Math.min(bytes.length, position + count);
            byte[] copy = new byte[bytes.length - (end - position)];
            System.arraycopy(bytes, 0, copy, 0, position);
            System.arraycopy(bytes, end, copy, position, bytes.length - end);
            return copy;
        }
    }

    /** Overwrite 8 bytes with a little-endian long (a safetensors header length, say). */
    public record PutLong(int at, long value) implements Mutation {
        @Override
        public byte[] apply(byte[] bytes) {
            if (bytes.length < 8) {
                return bytes;
            }
            byte[] copy = bytes.clone();
            ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(at % (copy.length - 7), value);
            return copy;
        }
    }

    /** Overwrite 4 bytes with a big-endian int (an IDX magic or size, say). */
    public record PutInt(int at, int value) implements Mutation {
        @Override
        public byte[] apply(byte[] bytes) {
            if (bytes.length < 4) {
                return bytes;
            }
            byte[] copy = bytes.clone();
            ByteBuffer.wrap(copy).putInt((at % (copy.length - 3)) & ~3 & Integer.MAX_VALUE, value);
            return copy;
        }
    }

    /**
     * @param random a case's random source
     * @param headerBytes where the interesting bytes of the format are (changes prefer them half of the time)
     * @return one to four changes
     */
    public static List<Mutation> mutations(SplittableRandom random, int headerBytes) {
        return list(random, 1, 4, r -> oneOf(r,
                one -> new Flip(at(one, headerBytes), intBetween(one, 0, 255)),
                one -> new Truncate(intBetween(one, 0, 999)),
                one -> new Insert(at(one, headerBytes), bytes(one, 1, 16)),
                one -> new Delete(at(one, headerBytes), intBetween(one, 1, 64)),
                one -> new PutLong(at(one, headerBytes), oneOf(one, Generated::anyLong, l -> longBetween(l, 0, 1 << 16),
                        l -> pick(l, 0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 100_000_000L, 100_000_001L, 1L << 32))),
                one -> new PutInt(at(one, headerBytes), oneOf(one, Generated::anyInt, i -> intBetween(i, 0, 1 << 12),
                        i -> pick(i, 0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x801, 0x803, 0x903)))));
    }

    private static int at(SplittableRandom random, int headerBytes) {
        return random.nextBoolean() ? intBetween(random, 0, Integer.MAX_VALUE) : intBetween(random, 0, Math.max(0, headerBytes - 1));
    }

    /**
     * @param original a file's content
     * @param mutations changes
     * @return the content with every change applied in order
     */
    public static byte[] apply(byte[] original, List<Mutation> mutations) {
        byte[] bytes = original;
        for (Mutation mutation : mutations) {
            bytes = mutation.apply(bytes);
        }
        return bytes;
    }

    /**
     * @param name a file name, possibly in a sub-folder ({@code cifar/test_batch.bin})
     * @param bytes its content
     * @return the file, in a scratch folder that lives as long as the test JVM
     */
    public static synchronized Path file(String name, byte[] bytes) {
        try {
            if (scratch == null) {
                scratch = Files.createTempDirectory("mutations");
                scratch.toFile().deleteOnExit();
            }
            Path file = scratch.resolve(name);
            if (!Files.isDirectory(file.getParent())) {
                Files.createDirectories(file.getParent());
                file.getParent().toFile().deleteOnExit();
            }
            Files.write(file, bytes);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
