package dev.creamery.runtime.job;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
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
 * {@code --overwrite} clears it first. A lock keeps two processes out of one folder.
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
     * @throws RunFolderException if the mode does not fit what is there, the folder is locked or cannot be written
     */
    public static RunFolder open(Path path, Mode mode) {
        boolean hasContents = hasContents(path);
        if (mode == Mode.NEW && hasContents) {
            throw new RunFolderException("run folder " + path + " already holds a run; continue it with --resume, write "
                    + "elsewhere with --out DIR, or replace it with --overwrite");
        }
        if (mode == Mode.RESUME && !Files.isRegularFile(path.resolve("job.conf"))) {
            throw new RunFolderException("nothing to resume in " + path + " (no job.conf there); start the run without --resume");
        }
        try {
            Files.createDirectories(path);
            if (!Files.isWritable(path)) {
                throw new RunFolderException("run folder " + path + " is not writable; choose another with --out DIR");
            }
            FileChannel channel = FileChannel.open(path.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new RunFolderException("run folder " + path + " is in use by another creamery process");
            }
            RunFolder folder = new RunFolder(path, channel, lock);
            if (mode == Mode.OVERWRITE) {
                folder.clear();
            }
            return folder;
        } catch (AccessDeniedException e) {
            throw new RunFolderException("run folder " + path + " is not writable (" + e.getFile() + "); choose another with --out DIR");
        } catch (FileSystemException e) {
            throw new RunFolderException("cannot use run folder " + path + ": " + e.getReason() + " (" + e.getFile() + ")");
        } catch (IOException e) {
            throw new RunFolderException("cannot use run folder " + path + ": " + e.getMessage());
        }
    }

    private static boolean hasContents(Path path) {
        if (!Files.isDirectory(path)) {
            return Files.exists(path);
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.anyMatch(p -> !p.getFileName().toString().equals(".lock"));
        } catch (IOException e) {
            return true;
        }
    }

    private void clear() throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(path) && !p.getFileName().toString().equals(".lock")) {
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
        lock.release();
        lockChannel.close();
        Files.deleteIfExists(path.resolve(".lock"));
    }
}
