package dev.creamery.runtime.distill;

/**
 * IEEE 754 half precision (binary16), the dtype stored probabilities take on disk. Java 17 has no
 * conversion of its own; rounding is to nearest, ties to even, as PyTorch's {@code .half()}.
 */
public final class Float16 {
    private Float16() {}

    /**
     * @param value a float
     * @return its nearest binary16 value, as raw bits
     */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign;
            }
            // Subnormal: the implicit leading one becomes explicit and is shifted down with the rest.
            return (short) (sign | roundShift(mantissa | 0x800000, 14 - halfExponent));
        }
        // A carry out of the mantissa correctly bumps the exponent (up to infinity).
        return (short) (sign | roundShift((halfExponent << 23) | mantissa, 13));
    }

    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        return rest > half || (rest == half && (kept & 1) == 1) ? kept + 1 : kept;
    }

    /**
     * @param half binary16 bits
     * @return the exact float value
     */
    public static float toFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /**
     * @param value a finite float
     * @return the largest error rounding it to binary16 can make: half the spacing of binary16
     *     values around it
     */
    public static float roundingError(float value) {
        float magnitude = Math.abs(value);
        if (magnitude < 0x1p-14f) {
            return 0x1p-25f;
        }
        return Math.scalb(1f, Math.getExponent(magnitude) - 11);
    }
}
