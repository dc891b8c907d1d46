package dev.creamery.runtime.io;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What a stop (SIGTERM, Ctrl-C) must not cut in half. The JVM runs its shutdown hooks and then
 * halts, whatever its threads are doing; the hook installed here first waits, a few seconds at
 * most, for every {@linkplain #whole whole} write under way to finish, lets no new one start, and
 * then prints the notices of the work under way (what was kept, how to go on).
 */
public final class ShutdownGuard {
    /** The longest the hook waits for writes under way. */
    public static final long WAIT_SECONDS = 10;

    private static final ReentrantReadWriteLock LOCK = new ReentrantReadWriteLock();
    private static final List<String> NOTICES = new CopyOnWriteArrayList<>();
    private static final PrintStream ERR = System.err;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ShutdownGuard::stop, "creamery-stop"));
    }

    private ShutdownGuard() {}

    /** A write that a stop lets finish. */
    @FunctionalInterface
    public interface Write {
        /** @throws IOException if it fails */
        void run() throws IOException;
    }

    /**
     * Runs a write that a stop lets finish (a journal line, say: short, and ruined if cut).
     *
     * @param write the write
     * @throws IOException as the write does
     */
    public static void whole(Write write) throws IOException {
        LOCK.readLock().lock();
        try {
            write.run();
        } finally {
            LOCK.readLock().unlock();
        }
    }

    /**
     * Says what to do if the process is stopped while some work is under way.
     *
     * @param message printed on stderr if the process is stopped before {@link Notice#close}
     * @return the notice, to close when the work ends
     */
    public static Notice notice(String message) {
        NOTICES.add(message);
        return () -> NOTICES.remove(message);
    }

    /** A notice in force until closed. */
    public interface Notice extends AutoCloseable {
        @Override
        void close();
    }

    private static void stop() {
        try {
            // Held until the JVM halts: writes under way end, no new one begins.
            LOCK.writeLock().tryLock(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String message : NOTICES) {
            ERR.println(message);
        }
        ERR.flush();
    }
}
