package dev.creamery.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a command line in a JVM of its own and records that process's resident memory (VmRSS, Linux
 * only) every {@code every} trials, as the trials' progress lines appear: what a long search costs in
 * memory, measured on the process as a user runs it.
 *
 * <p>The child gets the test JVM's class path and environment (the build gives tests the launcher's
 * allocator settings), and {@link #JVM_OPTIONS}.
 */
public final class ResidentMemory {
    /**
     * The launcher's JVM options (distribution/src/bin/creamery): its heap limit and a heap that is
     * resident from the start. Left to itself, the JVM touches the pages of its young generation
     * for the first time over the first hundreds of trials of a search, which is the JVM warming up,
     * not the search leaking; the launcher pre-touches a heap of fixed initial size, so what a long
     * search's resident size shows is native memory, where tensors live.
     */
    public static final List<String> JVM_OPTIONS = List.of("-Xmx4g", "-Xms256m", "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true");

    /** A progress line of the run's main search: {@code trial N: ...}, N counted from 0. */
    public static final Pattern TRIAL_LINE = Pattern.compile("^trial (\\d+): .*");

    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {}

    /**
     * @param trials trials done when the sample was taken
     * @param seconds since the process started
     * @param residentKib its resident size, KiB
     */
    public record Sample(int trials, double seconds, long residentKib) {}

    /**
     * @param samples one every {@code every} trials, in order
     * @param status the process's exit status
     * @param output what it printed (standard output and error)
     * @param seconds how long it ran
     */
    public record Trace(List<Sample> samples, int status, String output, double seconds) {
        /**
         * @param warmUpTrials the trials the warm-up lasts
         * @return the first sample taken once the warm-up is over
         */
        public Sample afterWarmUp(int warmUpTrials) {
            return samples.stream().filter(s -> s.trials() >= warmUpTrials).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no sample after " + warmUpTrials + " trials:\n" + table()));
        }

        /** @return the last sample */
        public Sample end() {
            if (samples.isEmpty()) {
                throw new IllegalStateException("no sample was taken; the run printed:\n" + output);
            }
            return samples.get(samples.size() - 1);
        }

        /**
         * @param warmUpTrials the trials the warm-up lasts
         * @return (resident size at the end - after the warm-up) / after the warm-up
         */
        public double growthAfter(int warmUpTrials) {
            long after = afterWarmUp(warmUpTrials).residentKib();
            return (double) (end().residentKib() - after) / after;
        }

        /** @return the samples, one line each: trials, seconds, MiB */
        public String table() {
            StringBuilder text = new StringBuilder();
            for (Sample s : samples) {
                text.append(String.format(Locale.ROOT, "%5d trials %6.1f s %7.1f MiB%n", s.trials(), s.seconds(), s.residentKib() / 1024.0));
            }
            return text.toString();
        }
    }

    /** @return whether this system reports resident sizes the way this class reads them */
    public static boolean available() {
        return Files.isReadable(STATUS);
    }

    /**
     * @param pid a process
     * @return its resident size (VmRSS), KiB
     * @throws IllegalStateException if the process has gone or reports none
     */
    public static long residentKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the resident size of process " + pid + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("process " + pid + " reports no VmRSS");
    }

    /**
     * Runs {@code mainClass} with {@code arguments} in a new JVM and samples its resident size each
     * time a progress line reports that a multiple of {@code every} trials is done.
     *
     * @param mainClass the class to run, on this JVM's class path
     * @param arguments its arguments
     * @param every the trials between two samples
     * @param timeout how long the run may take; it is killed after that
     * @param log where the run's output is copied as it comes
     * @return the samples and the outcome
     */
    public static Trace run(String mainClass, List<String> arguments, int every, Duration timeout, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(arguments);
        long started = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
        Thread killer = new Thread(() -> {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }, "resident-memory-timeout");
        killer.setDaemon(true);
        killer.start();
        List<Sample> samples = new ArrayList<>();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer copy = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher trial = TRIAL_LINE.matcher(line);
                if (trial.matches() && (Integer.parseInt(trial.group(1)) + 1) % every == 0) {
                    long kib = residentKib(process.pid());
                    samples.add(new Sample(Integer.parseInt(trial.group(1)) + 1, (System.nanoTime() - started) / 1e9, kib));
                }
                output.append(line).append('\n');
                copy.write(line);
                copy.write('\n');
                copy.flush();
            }
            int status = process.waitFor();
            return new Trace(List.copyOf(samples), status, output.toString(), (System.nanoTime() - started) / 1e9);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("cannot read the run's output", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the run", e);
        }
    }
}
