package dev.creamery.api;

/** The engine's random generator is one per process: what {@link EvaluationContext#seeded} holds while it seeds and draws. */
final class EngineGenerator {
    static final Object LOCK = new Object();

    private EngineGenerator() {}
}
