package dev.creamery.api.nn;

import java.util.Locale;

/**
 * A convolution as a trace meets it: what the engine has to compute. The engine check verifies
 * convolutions of these shapes on each CPU, so a family's tests can check that every convolution it
 * runs is among them.
 *
 * @param in input channels
 * @param out output channels
 * @param kernel kernel side
 * @param stride stride
 * @param padding zero padding on each side
 * @param dilation dilation
 * @param groups channel groups
 * @param height input height
 * @param width input width
 */
public record ConvolutionShape(long in, long out, long kernel, long stride, long padding, long dilation, long groups, long height,
        long width) {
    /** @return the shape as the engine check's catalogue writes it: the components in order, space-separated */
    public String catalogueLine() {
        return String.format(Locale.ROOT, "%d %d %d %d %d %d %d %d %d", in, out, kernel, stride, padding, dilation, groups, height, width);
    }
}
