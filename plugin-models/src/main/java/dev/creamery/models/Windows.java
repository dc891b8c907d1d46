package dev.creamery.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Splits feature maps into non-overlapping square windows and back, padding bottom and right with
 * zeros up to a multiple of the window as the official code does (the padding takes part in the
 * attention, also as in the official code). Windows are ordered by batch, then window row, then
 * window column.
 */
final class Windows {
    private Windows() {}

    /** @return how many windows of side {@code window} cover {@code size} */
    static long count(long size, int window) {
        return (size + window - 1) / window;
    }

    /**
     * @param x {@code (B, C, H, W)}
     * @param window the window side
     * @return {@code (B * nH * nW, C, window, window)}
     */
    static NDArray partitionChannelsFirst(NDArray x, int window) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long nh = count(s.get(2), window);
        long nw = count(s.get(3), window);
        NDArray padded = pad(x, window, s.get(2), s.get(3));
        return padded.reshape(b, c, nh, window, nw, window).transpose(0, 2, 4, 1, 3, 5)
                .reshape(b * nh * nw, c, window, window);
    }

    /**
     * @param windows {@code (B * nH * nW, C, window, window)}
     * @param batch B
     * @param height H before padding
     * @param width W before padding
     * @return {@code (B, C, H, W)}
     */
    static NDArray reverseChannelsFirst(NDArray windows, long batch, long height, long width) {
        Shape s = windows.getShape();
        long c = s.get(1);
        int window = Math.toIntExact(s.get(2));
        long nh = count(height, window);
        long nw = count(width, window);
        NDArray merged = windows.reshape(batch, nh, nw, c, window, window).transpose(0, 3, 1, 4, 2, 5)
                .reshape(batch, c, nh * window, nw * window);
        return crop(merged, 2, height, width);
    }

    /**
     * @param x {@code (B, H, W, C)}
     * @param window the window side
     * @return {@code (B * nH * nW, window * window, C)}
     */
    static NDArray partitionChannelsLast(NDArray x, int window) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(3);
        long nh = count(s.get(1), window);
        long nw = count(s.get(2), window);
        NDArray padded = nh * window == s.get(1) && nw * window == s.get(2) ? x
                : x.pad(new Shape(0, 0, 0, nw * window - s.get(2), 0, nh * window - s.get(1)), 0);
        return padded.reshape(b, nh, window, nw, window, c).transpose(0, 1, 3, 2, 4, 5)
                .reshape(b * nh * nw, (long) window * window, c);
    }

    /**
     * @param windows {@code (B * nH * nW, window * window, C)}
     * @param batch B
     * @param height H before padding
     * @param width W before padding
     * @param window the window side
     * @return {@code (B, H, W, C)}
     */
    static NDArray reverseChannelsLast(NDArray windows, long batch, long height, long width, int window) {
        long c = windows.getShape().get(2);
        long nh = count(height, window);
        long nw = count(width, window);
        NDArray merged = windows.reshape(batch, nh, nw, window, window, c).transpose(0, 1, 3, 2, 4, 5)
                .reshape(batch, nh * window, nw * window, c);
        return crop(merged, 1, height, width);
    }

    private static NDArray pad(NDArray x, int window, long height, long width) {
        long bottom = count(height, window) * window - height;
        long right = count(width, window) * window - width;
        return bottom == 0 && right == 0 ? x : x.pad(new Shape(0, right, 0, bottom), 0);
    }

    private static NDArray crop(NDArray x, int heightAxis, long height, long width) {
        Shape s = x.getShape();
        if (s.get(heightAxis) == height && s.get(heightAxis + 1) == width) {
            return x;
        }
        String format = heightAxis == 1 ? ":, :%d, :%d, :" : ":, :, :%d, :%d";
        return x.get(String.format(java.util.Locale.ROOT, format, height, width));
    }
}
