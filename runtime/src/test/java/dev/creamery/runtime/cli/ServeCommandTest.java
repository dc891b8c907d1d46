package dev.creamery.runtime.cli;

import static dev.creamery.runtime.Commands.creamery;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creamery.runtime.Commands.Result;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code creamery serve} refuses what it cannot serve with one clear error and exit status 2. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void aMissingRunsFolderIsAUsageError() {
        Result result = creamery("serve", dir.resolve("nope").toString(), "--port", "0");
        assertThat(result.status()).isEqualTo(Creamery.USAGE);
        assertThat(result.err()).contains("runs folder " + dir.resolve("nope") + " does not exist; give the folder that holds run folders");
    }

    @Test
    void aPortInUseIsAUsageError() throws Exception {
        Files.createDirectories(dir.resolve("runs"));
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Result result = creamery("serve", dir.resolve("runs").toString(), "--port", String.valueOf(taken.getLocalPort()));
            assertThat(result.status()).isEqualTo(Creamery.USAGE);
            assertThat(result.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()).contains("pick another with --port");
        }
    }
}
