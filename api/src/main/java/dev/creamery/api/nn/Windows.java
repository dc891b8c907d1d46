package dev.creamery.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * Local-window attention's bookkeeping, as the official Swin, TinyViT, EfficientViT and As-ViT code
 * does it: split a feature map into non-overlapping square windows and back, and Swin's cyclic shift
 * with the mask that keeps a shifted window from mixing tokens that were not neighbours.
 *
 * <p>A side that the window does not divide is padded bottom and right with zeros up to the next
 * multiple (the padding takes part in the attention, as in the official code) and cropped again on
 * the way back. Windows are ordered by batch, then window row, then window column; the tokens of a
 * window row-major. Everything here is reshapes, transposes, slices and concatenations, so it is
 * exact and its outputs belong to the input's manager.
 */
public final class Windows {
    /** The official Swin mask value between tokens of different regions of a shifted window. */
    public static final float MASKED = -100f;

    private Windows() {}

    /**
     * @param size a side of the feature map
     * @param window the window side
     * @return how many windows cover it
     */
    public static long count(long size, int window) {
        return (size + window - 1) / window;
    }

    /**
     * @param x {@code (B, H, W, C)}
     * @param window the window side
     * @return {@code (B * nH * nW, window * window, C)}
     */
    public static NDArray partition(NDArray x, int window) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(3);
        long nh = count(s.get(1), window);
        long nw = count(s.get(2), window);
        NDArray padded = nh * window == s.get(1) && nw * window == s.get(2) ? x
                : x.pad(new Shape(0, 0, 0, nw * window - s.get(2), 0, nh * window - s.get(1)), 0);
        return padded.reshape(b, nh, window, nw, window, c).transpose(0, 1, 3, 2, 4, 5).reshape(b * nh * nw, (long) window * window, c);
    }

    /**
     * @param windows {@code (B * nH * nW, window * window, C)}
     * @param batch B
     * @param height H before padding
     * @param width W before padding
     * @param window the window side
     * @return {@code (B, H, W, C)}
     */
    public static NDArray reverse(NDArray windows, long batch, long height, long width, int window) {
        long c = windows.getShape().get(2);
        long nh = count(height, window);
        long nw = count(width, window);
        NDArray merged = windows.reshape(batch, nh, nw, window, window, c).transpose(0, 1, 3, 2, 4, 5)
                .reshape(batch, nh * window, nw * window, c);
        return crop(merged, 1, height, width);
    }

    /**
     * The channels-first form (EfficientViT runs its attention on feature maps).
     *
     * @param x {@code (B, C, H, W)}
     * @param window the window side
     * @return {@code (B * nH * nW, C, window, window)}
     */
    public static NDArray partitionChannelsFirst(NDArray x, int window) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long nh = count(s.get(2), window);
        long nw = count(s.get(3), window);
        long bottom = nh * window - s.get(2);
        long right = nw * window - s.get(3);
        NDArray padded = bottom == 0 && right == 0 ? x : x.pad(new Shape(0, right, 0, bottom), 0);
        return padded.reshape(b, c, nh, window, nw, window).transpose(0, 2, 4, 1, 3, 5).reshape(b * nh * nw, c, window, window);
    }

    /**
     * @param windows {@code (B * nH * nW, C, window, window)}
     * @param batch B
     * @param height H before padding
     * @param width W before padding
     * @return {@code (B, C, H, W)}
     */
    public static NDArray reverseChannelsFirst(NDArray windows, long batch, long height, long width) {
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
     * {@code torch.roll(x, shifts=(shift, shift), dims=(1, 2))}: Swin's cyclic shift of the token
     * grid, as one slice and concatenation per axis (the engine has no roll).
     *
     * @param x {@code (B, H, W, C)}
     * @param shift how far every token moves down and right (negative: up and left)
     * @return the rolled grid
     */
    public static NDArray roll(NDArray x, int shift) {
        if (shift == 0) {
            return x;
        }
        long rowCut = Math.floorMod(-shift, x.getShape().get(1));
        long columnCut = Math.floorMod(-shift, x.getShape().get(2));
        NDArray rows = NDArrays.concat(new NDList(x.get(":, " + rowCut + ":"), x.get(":, :" + rowCut)), 1);
        return NDArrays.concat(new NDList(rows.get(":, :, " + columnCut + ":"), rows.get(":, :, :" + columnCut)), 2);
    }

    /**
     * The official Swin {@code attn_mask} of a grid rolled by {@code -shift}: along each axis the
     * rolled grid falls into three bands (what stays, the rest of the last window, the part that
     * wrapped around); two tokens of a window may attend to each other only within one band pair.
     *
     * @param height the grid's height, a multiple of the window (pad first)
     * @param width the grid's width, a multiple of the window
     * @param window the window side
     * @param shift the shift, below the window
     * @return {@code (windows, window², window²)} values, 0 or {@link #MASKED}, row-major, windows in
     *     {@link #partition} order
     */
    public static float[] shiftMask(int height, int width, int window, int shift) {
        if (height % window != 0 || width % window != 0 || shift < 1 || shift >= window) {
            throw new IllegalArgumentException("a shift mask needs a " + height + "x" + width + " grid that " + window
                    + "x" + window + " windows tile and a shift in [1, " + window + "), got " + shift);
        }
        int across = width / window;
        int count = height / window * across;
        int n = window * window;
        float[] mask = new float[count * n * n];
        int[] region = new int[n];
        for (int w = 0; w < count; w++) {
            for (int t = 0; t < n; t++) {
                int y = (w / across) * window + t / window;
                int x = (w % across) * window + t % window;
                region[t] = 3 * band(y, height, window, shift) + band(x, width, window, shift);
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    mask[(w * n + i) * n + j] = region[i] == region[j] ? 0f : MASKED;
                }
            }
        }
        return mask;
    }

    private static int band(int position, int side, int window, int shift) {
        return position < side - window ? 0 : position < side - shift ? 1 : 2;
    }

    private static NDArray crop(NDArray x, int heightAxis, long height, long width) {
        Shape s = x.getShape();
        if (s.get(heightAxis) == height && s.get(heightAxis + 1) == width) {
            return x;
        }
        String format = heightAxis == 1 ? ":, :%d, :%d, :" : ":, :, :%d, :%d";
        return x.get(String.format(Locale.ROOT, format, height, width));
    }
}
