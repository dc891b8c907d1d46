package dev.creamery.runtime.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folder of one run. Opening it decides what may happen to what is already there: a new run
 * needs an empty or missing folder, {@code --resume} needs the folder of the same job, and
 * {@code --overwrite} clears it first. A lock keeps two processes out of one folder; the one
 * refused is told the holder's process id.
 */
public final class RunFolder implements AutoCloseable {
    /** How to treat existing contents. */
    public enum Mode {
        /** The folder must be new or empty. */
        NEW,
        /** Continue the run recorded in the folder. */
        RESUME,
        /** Delete what the folder holds, then start anew. */
        OVERWRITE
    }

    private static final String LOCK = ".lock";

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private RunFolder(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * @param path the run folder
     * @param mode how to treat existing contents
     * @return the opened, locked folder
     * @throws RunFolderException if the mode does not fit what is there, the folder is locked (naming the holder's process id)
     *     or cannot be written
     */
    public static RunFolder open(Path path, Mode mode) {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new RunFolderException("run folder " + path + " is a file, not a folder; choose another with --out DIR");
        }
        if (mode == Mode.RESUME && !Files.isRegularFile(path.resolve("job.conf"))) {
            throw new RunFolderException("nothing to resume in " + path + " (no job.conf there); start the run without --resume");
        }
        try {
            Files.createDirectories(path);
            if (!Files.isWritable(path)) {
                throw new RunFolderException("run folder " + path + " is not writable; choose another with --out DIR");
            }
            // The lock comes first: a folder in use is refused as such, whatever it holds.
            RunFolder folder = lock(path);
            try {
                if (mode == Mode.NEW && hasContents(path)) {
                    throw new RunFolderException("run folder " + path + " already holds a run; continue it with --resume, write "
                            + "elsewhere with --out DIR, or replace it with --overwrite");
                }
                if (mode == Mode.OVERWRITE) {
                    folder.clear();
                }
                return folder;
            } catch (RuntimeException | IOException e) {
                folder.close();
                throw e;
            }
        } catch (AccessDeniedException e) {
            throw new RunFolderException("run folder " + path + " is not writable (" + e.getFile() + "); choose another with --out DIR");
        } catch (FileSystemException e) {
            throw new RunFolderException("cannot use run folder " + path + ": " + e.getReason() + " (" + e.getFile() + ")");
        } catch (IOException e) {
            throw new RunFolderException("cannot use run folder " + path + ": " + e.getMessage());
        }
    }

    /**
     * Takes the folder's lock, a lock on {@code .lock} that the system releases when the process
     * ends however it ends, and writes this process's id into the file for whoever is refused next.
     * The file stays (emptied on close): deleting it could let two processes lock two files of one name.
     */
    private static RunFolder lock(Path path) throws IOException {
        Path file = path.resolve(LOCK);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new RunFolderException("run folder " + path + " is in use by another creamery process (" + holder + "); wait for it "
                    + "to end, or stop it and continue with --resume");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        return new RunFolder(path, channel, lock);
    }

    /** @return "pid N" as the holder wrote it, or "pid unknown" if it has not yet */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer bytes = ByteBuffer.allocate(32);
            channel.read(bytes, 0);
            String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII).trim();
            return text.matches("\\d{1,19}") ? "pid " + text : "pid unknown";
        } catch (IOException e) {
            return "pid unknown";
        }
    }

    private static boolean hasContents(Path path) {
        try (Stream<Path> entries = Files.list(path)) {
            return entries.anyMatch(p -> !p.getFileName().toString().equals(LOCK));
        } catch (IOException e) {
            return true;
        }
    }

    private void clear() throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(path) && !p.getFileName().toString().equals(LOCK)) {
                    Files.delete(p);
                }
            }
        }
    }

    /** @return the folder */
    public Path path() {
        return path;
    }

    /**
     * @param name a sub-folder name
     * @return the sub-folder, created if needed
     */
    public Path subfolder(String name) {
        try {
            return Files.createDirectories(path.resolve(name));
        } catch (IOException e) {
            throw new RunFolderException("cannot create " + path.resolve(name) + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lockChannel.truncate(0);
        } finally {
            lock.release();
            lockChannel.close();
        }
    }
}
