package dev.creamery.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link ConvolutionProbe} in a fresh JVM with one setting: oneDNN fixes its instruction set
 * at its first kernel, so each setting needs a process of its own. The child has this JVM's class
 * path; a child that crashes or hangs counts as a setting that failed.
 */
final class ChildProbe {
    private static final long TIMEOUT_MINUTES = 5;
    /** System properties the engine reads, passed on so the child loads the same natives the same way. */
    private static final List<String> PASSED_PROPERTIES = List.of("ai.djl.offline", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR");

    /**
     * @param setting the setting to check
     * @return the worst error the child found
     * @throws UncheckedIOException if no child process can be started at all
     */
    ConvolutionProbe.Finding run(ConvolutionSetting setting) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-D" + ConvolutionProbe.CHILD_PROPERTY + "=" + setting.name());
        for (String property : PASSED_PROPERTIES) {
            String value = System.getProperty(property);
            if (value != null) {
                command.add("-D" + property + "=" + value);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ConvolutionProbe.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command);
        if (setting.instructionSetCap() != null) {
            builder.environment().put("ONEDNN_MAX_CPU_ISA", setting.instructionSetCap());
        }
        Path errors = null;
        try {
            errors = Files.createTempFile("creamery-engine-check", ".log");
            Process process = builder.redirectError(errors.toFile()).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return failed("the check did not finish within " + TIMEOUT_MINUTES + " minutes");
            }
            for (String line : new String(output, StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(ConvolutionProbe.RESULT + " ") && (process.exitValue() == 0 || process.exitValue() == 1)) {
                    String[] parts = line.split(" ", 4);
                    return new ConvolutionProbe.Finding(Double.parseDouble(parts[1]), parts.length > 3 ? parts[3] : "",
                            Integer.parseInt(parts[2]));
                }
            }
            return failed("the check ended with status " + process.exitValue() + lastLine(errors));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the engine's convolutions", e);
        } finally {
            if (errors != null) {
                try {
                    Files.deleteIfExists(errors);
                } catch (IOException ignored) {
                    // a leftover temporary log harms nothing
                }
            }
        }
    }

    private static ConvolutionProbe.Finding failed(String why) {
        return new ConvolutionProbe.Finding(Double.POSITIVE_INFINITY, why, 0);
    }

    private static String lastLine(Path errors) throws IOException {
        List<String> lines = new String(Files.readAllBytes(errors), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.isBlank() && !l.contains("NNPACK")).toList();
        return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1).trim();
    }
}
