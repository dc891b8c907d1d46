package dev.creamery.testkit;

import dev.creamery.api.Progress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Progress for tests: prints nothing and keeps every note, so a test can count what was done. */
public final class RecordingProgress implements Progress {
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Tracker start(String activity, long total, String unit) {
        return new Tracker() {
            @Override
            public void advance(long units, String status) {}

            @Override
            public void close() {}
        };
    }

    @Override
    public void note(String message) {
        notes.add(message);
    }

    /** @return the notes so far, in order */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** @return how many trials were evaluated: the notes of the form {@code [phase ]trial N: ...} */
    public long trialsEvaluated() {
        return notes().stream().filter(n -> n.matches("(\\S+ )?trial \\d+:.*")).count();
    }
}
