package dev.creamery.api;

/** The settings of a component that has none. */
public record NoSettings() {}
