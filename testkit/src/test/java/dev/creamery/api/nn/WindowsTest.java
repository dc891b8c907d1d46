package dev.creamery.api.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Windows round-trip with padding in both layouts, roll is torch.roll, and the shift mask is Swin's. */
class WindowsTest {
    @Test
    void windowsRoundTripWithPaddingInBothLayouts() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray map = manager.arange(2 * 3 * 10 * 9f).reshape(2, 3, 10, 9);
            NDArray windows = Windows.partitionChannelsFirst(map, 7);
            assertThat(windows.getShape()).isEqualTo(new Shape(8, 3, 7, 7));
            // Window (batch 0, row 0, column 1) starts at column 7 of the map and is zero beyond column 8.
            assertThat(windows.get(1).get(0, 0, 0).getFloat()).isEqualTo(map.get(0, 0, 0, 7).getFloat());
            assertThat(windows.get(1).get(":, :, 2:").abs().sum().getFloat()).isZero();
            assertThat(Windows.reverseChannelsFirst(windows, 2, 10, 9).contentEquals(map)).isTrue();

            NDArray tokens = manager.arange(2 * 10 * 9 * 3f).reshape(2, 10, 9, 3);
            NDArray tokenWindows = Windows.partition(tokens, 7);
            assertThat(tokenWindows.getShape()).isEqualTo(new Shape(8, 49, 3));
            assertThat(tokenWindows.get(2).get(0).contentEquals(tokens.get(0, 7, 0))).isTrue();
            // Token 8 of a window is its second row's second token.
            assertThat(tokenWindows.get(0).get(8).contentEquals(tokens.get(0, 1, 1))).isTrue();
            assertThat(Windows.reverse(tokenWindows, 2, 10, 9, 7).contentEquals(tokens)).isTrue();
            assertThat(Windows.count(10, 7)).isEqualTo(2);
        }
    }

    @Test
    void rollMovesEveryTokenAsTorchRollDoes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            int h = 4;
            int w = 6;
            NDArray grid = manager.arange((float) (h * w)).reshape(1, h, w, 1);
            for (int shift : new int[] {-3, -1, 1, 2}) {
                float[] rolled = Windows.roll(grid, shift).toFloatArray();
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        // torch.roll: out[i, j] = in[(i - shift) mod h, (j - shift) mod w].
                        assertThat(rolled[i * w + j]).isEqualTo((float) (Math.floorMod(i - shift, h) * w + Math.floorMod(j - shift, w)));
                    }
                }
            }
            assertThat(Windows.roll(grid, 0)).isSameAs(grid);
        }
    }

    /** The official construction: label the regions of the grid by slices, partition the labels, compare pairs. */
    @Test
    void theShiftMaskIsSwinsMaskOfLabelledRegions() {
        int height = 8;
        int width = 12;
        int window = 4;
        int shift = 2;
        int[][] labels = new int[height][width];
        int label = 0;
        int[][] bands = {{0, -window}, {-window, -shift}, {-shift, 0}};
        for (int[] rows : bands) {
            for (int[] columns : bands) {
                for (int y = from(rows[0], height); y < to(rows[1], height); y++) {
                    for (int x = from(columns[0], width); x < to(columns[1], width); x++) {
                        labels[y][x] = label;
                    }
                }
                label++;
            }
        }
        float[] mask = Windows.shiftMask(height, width, window, shift);
        int n = window * window;
        int across = width / window;
        assertThat(mask).hasSize(height / window * across * n * n);
        for (int wi = 0; wi < height / window * across; wi++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int a = labels[wi / across * window + i / window][wi % across * window + i % window];
                    int b = labels[wi / across * window + j / window][wi % across * window + j % window];
                    assertThat(mask[(wi * n + i) * n + j]).isEqualTo(a == b ? 0f : Windows.MASKED);
                }
            }
        }
        // The top-left window never meets wrapped-around tokens.
        for (int k = 0; k < n * n; k++) {
            assertThat(mask[k]).isZero();
        }
        assertThatThrownBy(() -> Windows.shiftMask(10, 12, 4, 2)).hasMessageContaining("10x12 grid");
    }

    private static int from(int index, int side) {
        return index < 0 ? side + index : index;
    }

    private static int to(int index, int side) {
        return index <= 0 ? side + index : index;
    }
}
