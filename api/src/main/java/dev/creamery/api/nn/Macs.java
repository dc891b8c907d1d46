package dev.creamery.api.nn;

/** Adds up multiply-accumulates while a {@link Module} traces shapes through itself. */
public final class Macs {
    private long total;

    /** @param macs multiply-accumulates to add */
    public void add(long macs) {
        total = Math.addExact(total, macs);
    }

    /** @return the sum so far */
    public long total() {
        return total;
    }
}
