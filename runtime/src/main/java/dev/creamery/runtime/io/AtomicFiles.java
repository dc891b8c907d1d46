package dev.creamery.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader sees the old content or the whole new content, never a part:
 * into a temporary file next to the target ({@code <name>.<random>.part}), forced to disk, then
 * moved over the target in one step. A process killed while writing leaves at most that
 * {@code .part} file behind.
 */
public final class AtomicFiles {
    /** The suffix of the temporary files. */
    public static final String PART = ".part";

    private AtomicFiles() {}

    /** Writes a file's content into an open channel. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param channel the temporary file, open for writing
         * @throws IOException if writing fails
         */
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * @param file the target, replaced if it exists
     * @param content writes the content
     * @throws IOException if the file cannot be written; the target is then unchanged
     */
    public static void write(Path file, Content content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, file.getFileName() + ".", PART);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(channel);
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(parent);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * @param file the target, replaced if it exists
     * @param bytes its content
     * @throws IOException if the file cannot be written; the target is then unchanged
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, channel -> writeFully(channel, ByteBuffer.wrap(bytes)));
    }

    /**
     * @param channel a channel
     * @param buffer what to write, all of it
     * @throws IOException if writing fails
     */
    public static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /**
     * @param file a target of {@link #write}
     * @param candidate a file in the same folder
     * @return whether {@code candidate} is a temporary file {@link #write} left behind for {@code file}
     */
    public static boolean isPartOf(Path file, Path candidate) {
        String name = candidate.getFileName().toString();
        String prefix = file.getFileName() + ".";
        return name.startsWith(prefix) && name.endsWith(PART) && name.length() > prefix.length() + PART.length()
                && name.substring(prefix.length(), name.length() - PART.length()).chars().allMatch(Character::isDigit);
    }

    /** Makes the move durable: the new directory entry reaches the disk too (where the platform allows it). */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform or file system can open or force a directory; the file itself is forced.
        }
    }
}
