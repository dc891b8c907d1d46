package dev.creamery.models;

/** Adds up multiply-accumulates while a {@link Module} traces shapes through itself. */
final class Macs {
    private long total;

    void add(long macs) {
        total = Math.addExact(total, macs);
    }

    long total() {
        return total;
    }
}
